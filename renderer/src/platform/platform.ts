import type { StateStorage } from 'zustand/middleware';
import type { SignInAttempt } from '../../../shared/client/index.ts';
import type { DesktopRedirectMode } from '../../../shared/protocol/identity-provider.ts';

/** What the identity provider's redirect carried back to the app. */
export interface AuthorizationResult {
  readonly code: string;
  /** The redirect URI actually used; the code exchange must repeat it exactly. */
  readonly redirectUri: string;
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
  /** The redirect URI to put in the attempt; Electron's is chosen by main per attempt. */
  redirectUri(): string;
  /**
   * Sends the user to the provider. Electron answers with the code once main's loopback
   * listener has it (state checked there too), on the path shape the provider is configured
   * for; the web build navigates away and never answers.
   */
  authorize(
    attempt: SignInAttempt,
    serverUrl: string,
    desktopRedirect: DesktopRedirectMode,
  ): Promise<AuthorizationResult>;
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
