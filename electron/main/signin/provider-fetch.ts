import type { FetchLike } from '../../../shared/client/api-client.ts';
import { CofferError } from '../../../shared/errors.ts';

/**
 * The fetch main uses for the identity provider's discovery document and token endpoint. The
 * provider is remote and the answers are small, so each request gets a deadline that covers the
 * body as well as the headers (a provider that drips its answer is as stuck as a silent one) and
 * a size cap checked while reading, before anything is parsed. It never follows a redirect (a
 * redirected token request would carry the code and verifier to wherever it points), sends no
 * cookies, and fetches only http(s): Electron's `net.fetch` would also open `file:` and the app's
 * own scheme.
 */
export const PROVIDER_TIMEOUT_MS = 15_000;
/** Discovery documents and token responses are a few kilobytes; this leaves ample room. */
export const PROVIDER_MAX_BYTES = 64 * 1024;

export interface ProviderFetchOptions {
  /** Electron's `net.fetch` in the app; Node's fetch in tests. */
  readonly fetch: FetchLike;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /** The sign-in attempt's: aborting it (a newer attempt started) stops the request at once. */
  readonly signal?: AbortSignal;
}

function tooLarge(maxBytes: number): CofferError {
  return new CofferError(
    'payload_too_large',
    `The identity provider sent an answer larger than ${Math.floor(maxBytes / 1024)} KiB; ` +
      'sign-in stopped. Ask your administrator to check the provider.',
  );
}

/** Settles with `work`, or rejects as soon as `signal` aborts, whichever comes first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new Error('aborted'));
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

async function readCapped(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await untilAborted(reader.read(), signal);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function requireWebUrl(input: string): void {
  let protocol: string;
  try {
    protocol = new URL(input).protocol;
  } catch (cause) {
    throw new CofferError('config_invalid', 'The identity provider URL is not a URL.', { cause });
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new CofferError('config_invalid', 'The identity provider URL must use https.');
  }
}

/**
 * Wraps `options.fetch` with the limits above. The answer is a Response whose body has already
 * been read within them, so `json()` on it can neither wait nor grow.
 */
export function createProviderFetch(options: ProviderFetchOptions): FetchLike {
  const timeoutMs = options.timeoutMs ?? PROVIDER_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? PROVIDER_MAX_BYTES;
  return async (input, init) => {
    requireWebUrl(input);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const signal =
      options.signal === undefined
        ? deadline.signal
        : AbortSignal.any([deadline.signal, options.signal]);
    try {
      const response = await untilAborted(
        options.fetch(input, {
          ...init,
          signal,
          redirect: 'error',
          credentials: 'omit',
          cache: 'no-store',
        }),
        signal,
      );
      const body = await readCapped(response, maxBytes, signal);
      const contentType = response.headers.get('content-type');
      return new Response(body.byteLength === 0 ? null : body, {
        status: response.status,
        headers: contentType === null ? {} : { 'content-type': contentType },
      });
    } catch (error) {
      if (options.signal?.aborted === true) {
        throw new CofferError('signin_cancelled', 'The sign-in was cancelled.', { cause: error });
      }
      if (deadline.signal.aborted) {
        throw new CofferError(
          'identity_provider_unavailable',
          `The identity provider did not answer within ${Math.round(timeoutMs / 1000)} ` +
            'seconds; try again, or ask your administrator whether it is up.',
          { cause: error },
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}
