import { z } from 'zod';
import type { SignInAttempt } from '../../../shared/client/index.ts';
import type { ReturnedSignIn } from './platform.ts';

/**
 * The web build's redirect-in-place sign-in. The attempt (verifier, state, nonce) must survive
 * the round trip through the provider, so it waits in this tab's sessionStorage — never in
 * localStorage, never in the persisted store — and is deleted the moment the app comes back,
 * whether the answer is accepted or not: a second callback finds nothing (OA-02).
 */
export const CALLBACK_PATH = '/signin/callback';
const KEY = 'coffer.signin.attempt';

const pendingSchema = z.strictObject({
  serverUrl: z.string().url(),
  attempt: z.strictObject({
    issuer: z.string(),
    clientId: z.string(),
    redirectUri: z.string(),
    state: z.string(),
    nonce: z.string(),
    codeVerifier: z.string(),
    codeChallenge: z.string(),
    tokenEndpoint: z.string(),
    authorizationEndpoint: z.string(),
  }),
});

export function savePendingSignIn(
  storage: Storage,
  attempt: SignInAttempt,
  serverUrl: string,
): void {
  storage.setItem(KEY, JSON.stringify({ serverUrl, attempt }));
}

/** Takes the pending attempt if the page is the callback; clears the query from the address bar. */
export function takeReturnedSignIn(
  storage: Storage,
  location: Location,
  history: History,
): ReturnedSignIn | null {
  if (location.pathname !== CALLBACK_PATH) return null;
  const params = new URLSearchParams(location.search);
  const stored = storage.getItem(KEY);
  storage.removeItem(KEY);
  // The code must not linger in the address bar or the history.
  history.replaceState(null, '', '/');
  if (stored === null) return { serverUrl: null, attempt: null, params };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return { serverUrl: null, attempt: null, params };
  }
  const result = pendingSchema.safeParse(parsed);
  if (!result.success) return { serverUrl: null, attempt: null, params };
  return { serverUrl: result.data.serverUrl, attempt: result.data.attempt, params };
}
