import {
  authorizationUrl,
  createSignInAttempt,
  discoverProvider,
} from '../../../shared/client/index.ts';
import { CofferError } from '../../../shared/errors.ts';
import { AutoClearingClipboard } from './clipboard.ts';
import type { Platform } from './platform.ts';
import { CALLBACK_PATH, savePendingSignIn, takeReturnedSignIn } from './web-signin.ts';

/** The web build in a browser tab: same-origin server, redirect sign-in, navigator.clipboard. */
export function createBrowserPlatform(): Platform {
  const clipboard = new AutoClearingClipboard({
    writeText: (text) => navigator.clipboard.writeText(text),
    readText: () => navigator.clipboard.readText(),
  });
  return {
    kind: 'web',
    clientKind: 'web',
    defaultServerUrl: () => window.location.origin,
    signInWithProvider: async ({ serverUrl, issuer, pkce, clientId, nonce }) => {
      // The page's CSP admits each issuer's origin, so the web build asks the provider itself.
      const attempt = await createSignInAttempt({
        provider: await discoverProvider(issuer, pkce),
        clientId,
        redirectUri: `${window.location.origin}${CALLBACK_PATH}`,
        nonce,
      });
      savePendingSignIn(window.sessionStorage, attempt, serverUrl);
      window.location.assign(authorizationUrl(attempt));
      // The page is leaving; the sign-in finishes when the provider sends the user back.
      return new Promise(() => undefined);
    },
    takeReturnedSignIn: () =>
      takeReturnedSignIn(window.sessionStorage, window.location, window.history),
    copySecret: (text, seconds) => clipboard.copy(text, seconds),
    clearClipboard: async () => {
      await clipboard.clearIfUnchanged();
    },
    openLink: async (url) => {
      if (!isWebLink(url)) {
        throw new CofferError('external_link_refused', 'Only http and https links open.');
      }
      // noopener: the new page cannot reach back into the vault through window.opener;
      // noreferrer: it is not told which page sent it.
      window.open(url, '_blank', 'noopener,noreferrer');
    },
    openServer: (serverUrl) => window.location.assign(serverUrl),
    onLockRequested: () => () => undefined,
    settingsStorage: {
      getItem: (name) => window.localStorage.getItem(name),
      setItem: (name, value) => window.localStorage.setItem(name, value),
      removeItem: (name) => window.localStorage.removeItem(name),
    },
  };
}

function isWebLink(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
