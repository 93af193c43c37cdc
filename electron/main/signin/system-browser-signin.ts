import { CofferError } from '../../../shared/errors.ts';
import type { IpcRequest, IpcResponse } from '../../../shared/ipc/contract.ts';
import type { ExternalLinkGate } from '../external-links.ts';
import type { Logger } from '../logger.ts';
import { startLoopbackListener, type LoopbackListener } from './loopback-listener.ts';

export type AuthorizeRequest = IpcRequest<'signin:authorize'>;
export type AuthorizeResult = IpcResponse<'signin:authorize'>;

/**
 * Parses the provider's authorization endpoint: https, or http on a loopback literal for the
 * development provider on this machine; no credentials, no fragment (RFC 6749 §3.1).
 */
function parseEndpoint(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new CofferError('invalid_input', 'The authorization endpoint is not a URL.', { cause });
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new CofferError('invalid_input', 'The authorization endpoint must use https.');
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '') {
    throw new CofferError(
      'invalid_input',
      'The authorization endpoint must not carry credentials or a fragment.',
    );
  }
  return url;
}

export function buildAuthorizationUrl(request: AuthorizeRequest, redirectUri: string): URL {
  const url = parseEndpoint(request.authorizationEndpoint);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: redirectUri,
    scope: request.scope,
    state: request.state,
    nonce: request.nonce,
    code_challenge: request.codeChallenge,
    code_challenge_method: request.codeChallengeMethod,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/**
 * Sign-in through the system browser (RFC 8252). The renderer supplies the PKCE challenge, state
 * and nonce (it keeps the verifier); main opens a one-shot loopback listener, sends the browser to
 * the provider through the external-link gate with the provider's origin allowed for this one
 * call, and returns the code. A new attempt cancels the one before it, so two listeners never
 * race for one sign-in.
 */
export function createSystemBrowserSignIn(options: {
  readonly gate: ExternalLinkGate;
  readonly log: Logger;
  readonly timeoutMs?: number;
}) {
  type Attempt = { cancelled: boolean; listener?: LoopbackListener };
  let current: Attempt | undefined;

  const cancelCurrent = () => {
    if (current === undefined) return;
    current.cancelled = true;
    current.listener?.abort();
    current = undefined;
  };

  return {
    async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
      const endpoint = parseEndpoint(request.authorizationEndpoint);
      cancelCurrent();
      const attempt: Attempt = { cancelled: false };
      current = attempt;
      const listener = await startLoopbackListener({
        expectedState: request.state,
        log: options.log,
        redirect: request.desktopRedirect,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
      attempt.listener = listener;
      try {
        // Cancelled while the listener was starting: do not send the browser anywhere.
        if (attempt.cancelled) listener.abort();
        else {
          const url = buildAuthorizationUrl(request, listener.redirectUri);
          await options.gate.open(url.href, { allowOrigin: endpoint.origin });
        }
        const callback = await listener.result;
        return { ...callback, redirectUri: listener.redirectUri };
      } finally {
        listener.abort();
        if (current === attempt) current = undefined;
      }
    },
    cancel: cancelCurrent,
  };
}
