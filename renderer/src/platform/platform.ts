import type { StateStorage } from 'zustand/middleware';
import type { SignInAttempt } from '../../../shared/client/index.ts';
import type {
  DesktopRedirectMode,
  PkcePolicy,
} from '../../../shared/protocol/identity-provider.ts';

/** One sign-in at a provider the server lists, with the server's single-use login nonce. */
export interface ProviderSignIn {
  readonly serverUrl: string;
  readonly issuer: string;
  readonly pkce: PkcePolicy;
  readonly clientId: string;
  readonly nonce: string;
  readonly desktopRedirect: DesktopRedirectMode;
}

/** A sign-in that left the page and came back (web build): the attempt and the redirect query. */
export interface ReturnedSignIn {
  /** Null when no attempt was pending in this tab: a callback nobody here started. */
  readonly serverUrl: string | null;
  readonly attempt: SignInAttempt | null;
  readonly params: URLSearchParams;
}

/**
 * Everything the renderer needs from where it runs: the Electron bridge (`window.coffer`) or a
 * plain browser tab. The vault logic above it is the same in both.
 */
export interface Platform {
  readonly kind: 'web' | 'electron';
  /** Which of an issuer's client ids to use (shared/client chooseClientId). */
  readonly clientKind: 'web' | 'desktop';
  /** The server offered on first launch. */
  defaultServerUrl(): string;
  /**
   * The provider's half of a sign-in; answers the ID token for the server. Electron's main does
   * all of it (discovery, system browser, loopback redirect, code exchange) and hands back the
   * token alone: the page's CSP admits only the Coffer server, and the PKCE verifier and the
   * code stay in main. The web build discovers the provider from the page and navigates there;
   * it never answers, and the sign-in finishes when the provider sends the user back.
   */
  signInWithProvider(request: ProviderSignIn): Promise<string>;
  /** The web build's returned sign-in, taken once (the stored attempt is deleted). */
  takeReturnedSignIn(): ReturnedSignIn | null;
  /** Copies a secret and clears it after `seconds`, only if the clipboard still holds it. */
  copySecret(text: string, seconds: number): Promise<void>;
  /** Clears the clipboard now if it still holds what Coffer put there (lock, quit). */
  clearClipboard(): Promise<void>;
  /**
   * Opens a record's web link the user has confirmed after seeing it in full (EL-05): a new tab
   * with neither opener nor referrer in the web build; Electron's one external-link gate in
   * main, which opens https only.
   */
  openLink(url: string): Promise<void>;
  /**
   * Goes to another vault server after the user confirmed the change (LS-05). A page's
   * Content-Security-Policy names the one server it may reach, so this is always a fresh page:
   * the web build goes to that server's own web vault; Electron reloads, and main serves the
   * policy for the server just saved in settings.
   */
  openServer(serverUrl: string): void;
  /** Lock requests from outside the page (OS lock, suspend); answers an unsubscribe. */
  onLockRequested(listener: () => void): () => void;
  /** Where persisted settings live; nothing but settings is ever written to it. */
  readonly settingsStorage: StateStorage;
}
