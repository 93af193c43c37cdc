/**
 * An identity provider as people tell providers apart: the issuer's host, with its port when it
 * has one and its path when it has one (two realms of one Keycloak differ only there), as in
 * "okta.example.com" or "127.0.0.1:9000". Never more than the issuer, which is public.
 */
export function issuerLabel(issuer: string): string {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    // The server checks issuers as URLs; a value that is not one is still shown, as it is.
    return issuer;
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.host}${path}`;
}
