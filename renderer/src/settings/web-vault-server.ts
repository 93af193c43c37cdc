/**
 * The web vault reaches only the server that served it: that server's Content-Security-Policy
 * names its own origin alone in connect-src (server/http/web-app.ts), so any other address fails
 * in the browser before a request leaves, looking like an unreachable server. The desktop app
 * has no such limit: its policy follows the server chosen in settings.
 */
export const WEB_VAULT_SERVER_NOTE =
  'This web vault works only with the server it was opened from. To use another vault ' +
  'server, open that server’s address in your browser.';

/**
 * Whether the web vault served from `ownOrigin` can use `serverUrl` (an http(s) origin, as
 * parseServerUrl answers it): compared as URLs, so "HTTP://Vault.example.com:443" is no other.
 */
export function webVaultCanUse(serverUrl: string, ownOrigin: string): boolean {
  return new URL(serverUrl).origin === new URL(ownOrigin).origin;
}
