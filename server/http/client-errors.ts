import { STATUS_CODES, maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../../shared/protocol/error-codes.ts';
import { PROBLEM_TYPE_PREFIX } from '../../shared/protocol/problem-details.ts';
import { SECURITY_HEADERS } from './headers.ts';

interface Answer {
  status: number;
  code: ErrorCode;
  detail: string;
}

/** What Node's HTTP parser could not read, by the code of its error. */
function answerFor(code: string | undefined): Answer {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      // No code of the shared enumeration names headers; this one says "the request is too
      // large", with the status that says which part.
      return {
        status: 431,
        code: 'payload_too_large',
        detail: `The request headers are larger than the server accepts (${maxHeaderSize} bytes)`,
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        code: 'payload_too_large',
        detail: 'The chunk extensions of the request body are larger than the server accepts',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: 'invalid_input',
        detail: 'The request did not arrive in time',
      };
    default:
      return { status: 400, code: 'invalid_input', detail: 'The request is not valid HTTP' };
  }
}

/**
 * Fastify's `clientErrorHandler`. Some requests fail in Node's HTTP parser before any request
 * object exists — headers past `maxHeaderSize`, a malformed request line, a request too slow to
 * arrive — so neither a route nor the error handler sees them: Node emits `clientError`, and
 * Fastify's default answer is plain JSON without the security headers. This answers them like
 * every other error, a problem document (problem.ts), written to the socket by hand for want of
 * a reply object, and only when no answer to an earlier request on this connection has begun,
 * so the peer never reads a corrupted stream (the same guard as Node's own `socketOnError`).
 */
export function answerClientError(error: { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })
    ._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const { status, code, detail } = answerFor(error.code);
    const body = JSON.stringify({
      type: `${PROBLEM_TYPE_PREFIX}${code}`,
      title: code,
      status,
      code,
      detail,
    });
    const headers = {
      'content-type': 'application/problem+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
      ...SECURITY_HEADERS,
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head.join('')}\r\n${body}`);
  }
  socket.destroy();
}
