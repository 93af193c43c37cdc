import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CofferError, isCofferError } from '../../shared/errors.ts';
import type { ErrorCode } from '../../shared/protocol/error-codes.ts';
import { PROBLEM_TYPE_PREFIX, problemStatus } from '../../shared/protocol/problem-details.ts';

/** HTTP status for each code the server answers with; anything unlisted is a 400. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  unauthenticated: 401,
  id_token_malformed: 401,
  id_token_unknown_issuer: 401,
  id_token_algorithm_refused: 401,
  id_token_bad_signature: 401,
  id_token_issuer_mismatch: 401,
  id_token_audience_mismatch: 401,
  id_token_expired: 401,
  id_token_issued_in_future: 401,
  id_token_nonce_invalid: 401,
  email_not_verified: 403,
  sign_in_not_allowed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  revision_conflict: 409,
  account_keys_exist: 409,
  payload_too_large: 413,
  rate_limited: 429,
  identity_provider_unavailable: 502,
  server_unavailable: 503,
  internal_error: 500,
};

/** Server-only codes first; the protocol's table (device refusals among them) for the rest. */
export function statusFor(code: ErrorCode): number {
  return STATUS[code] ?? problemStatus(code);
}

/**
 * A refusal that carries extra, non-secret members for the problem body (RFC 9457 §3.2), such as
 * the current version of a record on a revision conflict.
 */
export class ProblemError extends CofferError {
  readonly extensions: Record<string, unknown>;
  /** Response headers the refusal needs, such as `Retry-After` on a 429. */
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    extensions: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) {
    super(code, message);
    this.extensions = extensions;
    this.headers = headers;
  }
}

function send(reply: FastifyReply, code: ErrorCode, detail: string, extra = {}): FastifyReply {
  const status = statusFor(code);
  return reply
    .status(status)
    .type('application/problem+json')
    .send({ type: `${PROBLEM_TYPE_PREFIX}${code}`, title: code, status, code, detail, ...extra });
}

/**
 * The one error handler: CofferErrors become problem documents with their code; Fastify's own
 * refusals (body too large, bad JSON, unsupported media type) get codes too; anything else is an
 * internal error whose detail stays in the log, never in the response.
 */
export function problemHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (isCofferError(error)) {
    const extra = error instanceof ProblemError ? error.extensions : {};
    if (error instanceof ProblemError) reply.headers(error.headers);
    if (statusFor(error.code) >= 500) {
      request.log.error({ code: error.code, err: safeError(error) }, 'request failed');
    }
    return send(reply, error.code, error.message, extra);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return send(reply, 'payload_too_large', 'The request body is larger than this route accepts');
  }
  if (
    fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
    fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    fastifyError.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' ||
    (fastifyError.statusCode === 400 && error instanceof SyntaxError)
  ) {
    return send(reply, 'invalid_input', 'The request body must be JSON');
  }
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) {
    return send(reply, 'invalid_input', 'The request was malformed');
  }
  request.log.error({ err: safeError(error) }, 'request failed unexpectedly');
  return send(reply, 'internal_error', 'The server failed to handle the request');
}

export function notFoundHandler(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return send(reply, 'not_found', 'No such route');
}

/**
 * The loggable part of an error. Driver errors carry fields (PostgreSQL's `detail`, the failing
 * statement's parameters) that can hold row values, so only name, code and message are kept.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
  };
}
