import type { FetchLike } from '../../../shared/client/api-client.ts';
import {
  authorizationUrl,
  checkRedirectIssuer,
  createSignInAttempt,
  discoverProvider,
  exchangeCode,
} from '../../../shared/client/oidc.ts';
import { CofferError } from '../../../shared/errors.ts';
import type { IpcRequest, IpcResponse } from '../../../shared/ipc/contract.ts';
import type { ExternalLinkGate } from '../external-links.ts';
import type { Logger } from '../logger.ts';
import { startLoopbackListener, type LoopbackListener } from './loopback-listener.ts';
import { createProviderFetch } from './provider-fetch.ts';

export type SignInRequest = IpcRequest<'signin:authenticate'>;
export type SignInResult = IpcResponse<'signin:authenticate'>;

const LOOPBACK_LITERALS = new Set(['127.0.0.1', '[::1]']);

/**
 * Parses a provider URL: https, or http on a loopback literal for the development provider on
 * this machine; no credentials, no fragment (RFC 6749 §3.1). `what` names it in the message.
 */
function parseProviderUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new CofferError('invalid_input', `The ${what} is not a URL.`, { cause });
  }
  const loopback = LOOPBACK_LITERALS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new CofferError('invalid_input', `The ${what} must use https.`);
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '') {
    throw new CofferError('invalid_input', `The ${what} must not carry credentials or a fragment.`);
  }
  return url;
}

export interface SystemBrowserSignInOptions {
  readonly gate: ExternalLinkGate;
  readonly log: Logger;
  /** Makes the provider requests: Electron's `net.fetch` in the app, bounded per request. */
  readonly fetch: FetchLike;
  /** How long the user has to finish at the provider (the loopback listener's time-out). */
  readonly timeoutMs?: number;
  /** Per provider request; see provider-fetch.ts. */
  readonly providerTimeoutMs?: number;
  readonly providerMaxBytes?: number;
}

/**
 * The provider's half of a desktop sign-in, in main (RFC 8252): discovery with the exact issuer
 * and the S256 check (OA-01), a fresh verifier, `state` and the server's nonce, a one-shot
 * loopback listener (OA-02, OA-03), the system browser through the external-link gate with the
 * provider's origin allowed for this one call, and the code redeemed here. The renderer's CSP
 * admits only the Coffer server, and providers such as Entra ID redeem codes cross-origin only
 * for single-page-app registrations, so none of this can happen in the page; it also keeps the
 * verifier and the code out of the renderer, which receives the ID token alone. A new attempt
 * cancels the one before it, so two listeners never race for one sign-in.
 */
export function createSystemBrowserSignIn(options: SystemBrowserSignInOptions) {
  const { log } = options;
  type Attempt = { readonly controller: AbortController; listener?: LoopbackListener };
  let current: Attempt | undefined;

  const cancelCurrent = () => {
    if (current === undefined) return;
    current.controller.abort();
    current.listener?.abort();
    current = undefined;
  };

  const cancelled = () => new CofferError('signin_cancelled', 'The sign-in was cancelled.');

  async function authenticate(request: SignInRequest, attempt: Attempt): Promise<SignInResult> {
    const fetch = createProviderFetch({
      fetch: options.fetch,
      signal: attempt.controller.signal,
      ...(options.providerTimeoutMs === undefined ? {} : { timeoutMs: options.providerTimeoutMs }),
      ...(options.providerMaxBytes === undefined ? {} : { maxBytes: options.providerMaxBytes }),
    });
    const provider = await discoverProvider(request.issuer, request.pkce, fetch);
    const endpoint = parseProviderUrl(provider.authorizationEndpoint, 'authorization endpoint');
    // The redirect URI is the listener's, and the listener needs the attempt's state: the
    // attempt is made first and given its redirect URI once the listener is open.
    const draft = await createSignInAttempt({
      provider,
      clientId: request.clientId,
      redirectUri: '',
      nonce: request.nonce,
    });
    if (attempt.controller.signal.aborted) throw cancelled();
    const listener = await startLoopbackListener({
      expectedState: draft.state,
      log,
      redirect: request.desktopRedirect,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    attempt.listener = listener;
    try {
      // Cancelled while the listener was starting: do not send the browser anywhere.
      if (attempt.controller.signal.aborted) listener.abort();
      const signIn = { ...draft, redirectUri: listener.redirectUri };
      if (!attempt.controller.signal.aborted) {
        await options.gate.open(authorizationUrl(signIn), { allowOrigin: endpoint.origin });
      }
      const callback = await listener.result;
      checkRedirectIssuer(signIn, callback.iss);
      const idToken = await exchangeCode(signIn, callback.code, fetch);
      log.info('sign-in completed', { idTokenLength: idToken.length });
      return { idToken };
    } finally {
      listener.abort();
    }
  }

  return {
    async authenticate(request: SignInRequest): Promise<SignInResult> {
      parseProviderUrl(request.issuer, 'issuer');
      cancelCurrent();
      const attempt: Attempt = { controller: new AbortController() };
      current = attempt;
      try {
        return await authenticate(request, attempt);
      } finally {
        if (current === attempt) current = undefined;
      }
    },
    cancel: cancelCurrent,
  };
}
