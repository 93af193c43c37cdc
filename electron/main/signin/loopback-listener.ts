import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertNever, CofferError } from '../../../shared/errors.ts';
import {
  DESKTOP_CALLBACK_PATH,
  PER_ATTEMPT_SEGMENT_BYTES,
  type DesktopRedirectMode,
} from '../../../shared/protocol/identity-provider.ts';
import type { Logger } from '../logger.ts';
import {
  CALLBACK_PAGE_HEADERS,
  FAILED_PAGE,
  NEUTRAL_PAGE,
  SIGNED_IN_PAGE,
} from './callback-page.ts';

/**
 * The redirect receiver of a native-app sign-in (RFC 8252 §7.3, §8.3; SECURITY-CASES OA-02,
 * OA-03). It binds the IPv4 loopback literal on a port the OS picks — never 0.0.0.0, never the
 * name `localhost` — under a per-attempt random path, and accepts exactly one callback: the first
 * one whose `state` matches. Anything else (wrong path, wrong or missing state, a stray `error=`)
 * gets a neutral page and neither finishes nor cancels the attempt. After the one callback, an
 * abort or the timeout, the server closes. A provider configured with `fixed-path` (it compares
 * the path exactly) gets `/callback` instead; the state check, PKCE and the one callback hold.
 */
export const LOOPBACK_HOST = '127.0.0.1';
export const DEFAULT_SIGNIN_TIMEOUT_MS = 5 * 60_000;
const MAX_URL_LENGTH = 4096;
const MAX_CODE_LENGTH = 2048;

export interface LoopbackCallback {
  readonly code: string;
  /** RFC 9207 issuer identifier, when the provider sends one; the caller compares it. */
  readonly iss?: string;
}

export interface LoopbackListener {
  readonly redirectUri: string;
  /**
   * Settles once: the code, or a CofferError (state matched but provider error, timeout,
   * abort).
   */
  readonly result: Promise<LoopbackCallback>;
  /** Stops waiting; `result` rejects with `signin_cancelled` if it had not settled. */
  abort(): void;
}

export interface LoopbackListenerOptions {
  readonly expectedState: string;
  readonly log: Logger;
  /** The path's shape; `per-attempt-path` unless the provider's configuration says otherwise. */
  readonly redirect?: DesktopRedirectMode;
  readonly timeoutMs?: number;
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison is constant-time even when the lengths differ.
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, CALLBACK_PAGE_HEADERS);
  response.end(body);
}

type Outcome = { kind: 'code'; callback: LoopbackCallback } | { kind: 'error'; error: CofferError };

/** Classifies one request: undefined means "not our callback" (neutral page, keep waiting). */
function judge(request: IncomingMessage, path: string, state: string): Outcome | undefined {
  const target = request.url ?? '';
  if (request.method !== 'GET' || target.length > MAX_URL_LENGTH) return undefined;
  const url = new URL(target, `http://${LOOPBACK_HOST}`);
  if (url.pathname !== path) return undefined;
  const params = url.searchParams;
  const received = params.getAll('state');
  if (received.length !== 1 || !sameSecret(received[0] ?? '', state)) return undefined;
  const iss = params.get('iss') ?? undefined;
  if (params.has('error')) {
    const code = (params.get('error') ?? '').replace(/[^a-z_]/g, '').slice(0, 64);
    const error = new CofferError(
      'signin_provider_error',
      `The identity provider refused the sign-in (${code || 'no reason given'}).`,
    );
    return { kind: 'error', error };
  }
  const codes = params.getAll('code');
  const code = codes[0];
  if (codes.length !== 1 || code === undefined || code === '' || code.length > MAX_CODE_LENGTH) {
    return {
      kind: 'error',
      error: new CofferError('invalid_input', 'The sign-in callback carried no usable code.'),
    };
  }
  return { kind: 'code', callback: iss === undefined ? { code } : { code, iss } };
}

function callbackPath(mode: DesktopRedirectMode): string {
  switch (mode) {
    case 'per-attempt-path': {
      const segment = randomBytes(PER_ATTEMPT_SEGMENT_BYTES).toString('base64url');
      return `${DESKTOP_CALLBACK_PATH}/${segment}`;
    }
    case 'fixed-path':
      return DESKTOP_CALLBACK_PATH;
    default:
      return assertNever(mode, 'desktop redirect mode');
  }
}

export async function startLoopbackListener(
  options: LoopbackListenerOptions,
): Promise<LoopbackListener> {
  const { log } = options;
  const redirect = options.redirect ?? 'per-attempt-path';
  const path = callbackPath(redirect);
  let settle: { resolve: (v: LoopbackCallback) => void; reject: (e: CofferError) => void };
  const result = new Promise<LoopbackCallback>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Marks the promise handled: a caller that aborts before awaiting must not leave an
  // unhandled rejection behind. Awaiting `result` still sees the rejection.
  result.catch(() => undefined);
  let done = false;

  const server = createServer({ maxHeaderSize: 8192 }, (request, response) => {
    if (done) {
      answer(response, 404, NEUTRAL_PAGE);
      return;
    }
    let outcome: Outcome | undefined;
    try {
      outcome = judge(request, path, options.expectedState);
    } catch {
      outcome = undefined;
    }
    if (outcome === undefined) {
      log.warn('callback ignored', { method: request.method ?? '?' });
      answer(response, 404, NEUTRAL_PAGE);
      return;
    }
    if (outcome.kind === 'code') {
      answer(response, 200, SIGNED_IN_PAGE);
      finish(() => settle.resolve(outcome.callback));
    } else {
      answer(response, 400, FAILED_PAGE);
      finish(() => settle.reject(outcome.error));
    }
  });
  // Slow-loris guard: a request must arrive whole, quickly.
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;

  const timeout = setTimeout(() => {
    log.warn('sign-in timed out');
    finish(() =>
      settle.reject(
        new CofferError('signin_timeout', 'The sign-in was not completed in time. Try again.'),
      ),
    );
  }, options.timeoutMs ?? DEFAULT_SIGNIN_TIMEOUT_MS);

  function finish(report: () => void): void {
    if (done) return;
    done = true;
    clearTimeout(timeout);
    report();
    // Stops listening at once; idle keep-alive sockets (browsers preconnect) are closed too, and
    // the answered request's socket closes after its page (Connection: close).
    server.close();
    server.closeIdleConnections();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      clearTimeout(timeout);
      reject(
        new CofferError('signin_listener_failed', 'Could not open the sign-in listener.', {
          cause: error,
        }),
      );
    });
    // Port 0: the OS picks a free port, so a squatter on a "preferred" port changes nothing.
    server.listen({ host: LOOPBACK_HOST, port: 0, exclusive: true }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  log.info('sign-in listener open', { port, redirect });

  return {
    redirectUri: `http://${LOOPBACK_HOST}:${port}${path}`,
    result,
    abort() {
      finish(() =>
        settle.reject(new CofferError('signin_cancelled', 'The sign-in was cancelled.')),
      );
    },
  };
}
