import { issuerLabel } from '../app/issuer-label.ts';

/** What the sign-in screen knows of a provider; `name` when the server configures one. */
export interface ProviderDescription {
  readonly issuer: string;
  readonly clientIds: readonly string[];
  readonly name?: string | undefined;
}

/**
 * The built-in development provider's client ids (server/devidp: the desktop client, then the
 * web one). tests/unit/renderer/provider-labels.test.ts keeps this copy equal to the server's.
 */
export const DEVELOPMENT_CLIENT_IDS: readonly string[] = ['coffer-desktop', 'coffer-web'];

/**
 * The built-in development provider, as `npm start` runs it: plain http on 127.0.0.1 at the
 * root, with exactly its two clients. Any other provider on loopback (a local Keycloak, a
 * second test provider) is named by its address, so two local providers never read alike.
 */
export function isDevelopmentProvider(provider: ProviderDescription): boolean {
  const url = new URL(provider.issuer);
  const ids = new Set(provider.clientIds);
  return (
    url.protocol === 'http:' &&
    url.hostname === '127.0.0.1' &&
    url.pathname === '/' &&
    ids.size === DEVELOPMENT_CLIENT_IDS.length &&
    DEVELOPMENT_CLIENT_IDS.every((id) => ids.has(id))
  );
}

function ownLabel(provider: ProviderDescription): string {
  const name = provider.name?.trim();
  if (name !== undefined && name !== '') return name;
  return isDevelopmentProvider(provider)
    ? 'the development provider'
    : issuerLabel(provider.issuer);
}

/**
 * A distinct label for each provider, by issuer: the configured name if any, else the issuer's
 * host and port. Two that would still read alike carry their whole issuer too.
 */
export function providerLabels(providers: readonly ProviderDescription[]): Map<string, string> {
  const own = providers.map((provider) => ownLabel(provider));
  const labels = new Map<string, string>();
  providers.forEach((provider, i) => {
    const label = own[i] ?? provider.issuer;
    const shared = own.filter((other) => other === label).length > 1;
    labels.set(provider.issuer, shared ? `${label} (${provider.issuer})` : label);
  });
  return labels;
}
