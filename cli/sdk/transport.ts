import type { IncomingMessage } from 'node:http';
import { CofferError } from '../../shared/errors.ts';

/**
 * The device's HTTP transport on `node:http`/`node:https` rather than global `fetch`: loading
 * undici costs about three times the start-up of the plain modules (issue #5), and the plain
 * modules let a caller bind a local address (the IP-rule tests call from 127.0.0.2).
 *
 * It classifies every failure into what the offline cache may answer for (DESIGN.md "Offline
 * cache"): `server_unreachable` for DNS, connect, reset and timeout failures, `tls_failed` for
 * any certificate or handshake failure (never bypassed, never served from cache).
 */

export interface HttpRequest {
  readonly method: string;
  /** Absolute URL: origin and path with query. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
}

export interface TransportOptions {
  /** Local address to send from (e.g. "127.0.0.2"). */
  readonly localAddress?: string;
  /** Connect-plus-response budget per attempt, milliseconds. */
  readonly timeoutMs?: number;
  /** Largest response body accepted. */
  readonly maxResponseBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE = 256 * 1024 * 1024;

const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

/** Node's TLS verification codes (OpenSSL X509_V_ERR names) and handshake errors. */
function isTlsFailure(code: string): boolean {
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('CERT_') ||
    code.startsWith('UNABLE_TO_') ||
    code.includes('SELF_SIGNED') ||
    code === 'HOSTNAME_MISMATCH' ||
    code === 'EPROTO'
  );
}

/** Why a request never got an answer: a message naming the failure, never the request. */
export function classifyNetworkError(error: unknown, host: string): CofferError {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (isTlsFailure(code)) {
    return new CofferError(
      'tls_failed',
      `TLS connection to ${host} failed (${code}). Check the server's certificate and the ` +
        'system clock; Coffer never skips certificate checks.',
      { cause: error },
    );
  }
  if (code === 'ERR_INVALID_IP_ADDRESS' || code === 'EADDRNOTAVAIL') {
    return new CofferError(
      'cli_usage',
      `The local address to send from cannot be used (${code}).`,
      { cause: error },
    );
  }
  const what =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL'
      ? 'its name does not resolve'
      : code === 'ETIMEDOUT'
        ? 'it did not answer in time'
        : code === 'ECONNREFUSED'
          ? 'the connection was refused'
          : code === ''
            ? 'the connection failed'
            : `the connection failed (${code})`;
  const known = UNREACHABLE_CODES.has(code) || code === '';
  return new CofferError(
    'server_unreachable',
    `Cannot reach the Coffer server ${host}: ${what}.` +
      (known ? '' : ' Check the network and the server address.'),
    { cause: error },
  );
}

/** Sends one request and reads the whole answer. Never retries; see retry.ts. */
export async function send(
  request: HttpRequest,
  options: TransportOptions = {},
): Promise<HttpResponse> {
  const url = new URL(request.url);
  const secure = url.protocol === 'https:';
  const { request: open } = secure ? await import('node:https') : await import('node:http');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
  const body = request.body ?? new Uint8Array(0);
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const fail = (error: CofferError) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const req = open(
      url,
      {
        method: request.method,
        headers: { ...request.headers, 'content-length': String(body.length) },
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        // One request per process run: no agent keeps sockets (or the process) alive.
        agent: false,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            fail(
              new CofferError(
                'response_invalid',
                `The server's answer is larger than ${maxBytes} bytes; refusing it.`,
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (error) => fail(classifyNetworkError(error, url.host)));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const joined = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: new Uint8Array(joined.buffer, joined.byteOffset, joined.length),
          });
        });
      },
    );
    const timer = setTimeout(() => {
      const error = Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' });
      req.destroy(error);
      fail(classifyNetworkError(error, url.host));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      fail(classifyNetworkError(error, url.host));
    });
    req.end(body);
  });
}
