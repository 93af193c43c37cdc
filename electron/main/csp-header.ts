import type { WebRequest } from 'electron';

/**
 * Adds the CSP header to every http(s) response of the app's own pages — in development, the
 * electron-vite dev server's. (Packaged pages come from the app protocol, which sets it itself.)
 * Any CSP the response already carries is replaced, so a dev server cannot loosen it.
 */
export function installCspHeader(
  webRequest: Pick<WebRequest, 'onHeadersReceived'>,
  isAppUrl: (url: string) => boolean,
  csp: () => string,
): void {
  webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url)) {
      callback({});
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [csp()];
    callback({ responseHeaders: headers });
  });
}
