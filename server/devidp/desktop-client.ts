import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';
import { isPerAttemptLoopbackRedirect } from '../../shared/protocol/identity-provider.ts';

export const DESKTOP_CLIENT_ID = 'coffer-desktop';

/**
 * The desktop app's public native client. oidc-provider requires a registered redirect URI, but
 * for this client the registration is never what decides: see `acceptPerAttemptRedirects`.
 */
export const DESKTOP_CLIENT: ClientMetadata = {
  client_id: DESKTOP_CLIENT_ID,
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  redirect_uris: ['http://127.0.0.1/callback'],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  id_token_signed_response_alg: 'ES256',
};

/**
 * The app redirects to `http://127.0.0.1:<port>/callback/<per-attempt segment>` (OA-03), which
 * no exact or port-ignoring comparison of a registered URI matches. oidc-provider's documented
 * extension point is `Client.prototype.redirectUriAllowed` (recipes/redirect_uri_wildcards.md);
 * for the desktop client it accepts exactly that form on 127.0.0.1 or [::1] and nothing else —
 * not the bare `/callback`, not `localhost`, no query or further path. Other clients keep the
 * library's check. The prototype belongs to this provider instance alone.
 */
export function acceptPerAttemptRedirects(provider: Provider): void {
  const prototype = provider.Client.prototype;
  const registeredCheck = prototype.redirectUriAllowed;
  prototype.redirectUriAllowed = function redirectUriAllowed(redirectUri: string): boolean {
    if (this.clientId !== DESKTOP_CLIENT_ID) return registeredCheck.call(this, redirectUri);
    return isPerAttemptLoopbackRedirect(redirectUri);
  };
}

/**
 * Which page origins may call the token endpoint cross-origin: the web build's, for the web
 * client, whose page redeems its own code. None for the desktop client: its code is redeemed by
 * Electron's main process, which sends no Origin, so a page — even the desktop renderer — never
 * may (oidc-provider's default would derive an origin from the loopback redirect).
 */
export function corsOriginAllowed(clientId: string, origin: string, webOrigin: string): boolean {
  return clientId !== DESKTOP_CLIENT_ID && origin === webOrigin;
}
