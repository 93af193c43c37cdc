import { z } from 'zod';
import { CofferError } from '../errors.ts';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

/**
 * Error bodies are RFC 9457 problem details with one extension member, `code`, taken from the
 * shared enumeration; clients branch on `code`, never on `title` or `detail`. `detail` is for
 * people and must never carry secret material or echo request content.
 */
export const PROBLEM_JSON_MEDIA_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_PREFIX = 'urn:coffer:problem:';

/** HTTP status per code. Codes not listed are input errors and answer 400. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  unauthenticated: 401,
  bad_signature: 401,
  stale_timestamp: 401,
  request_replayed: 401,
  forbidden: 403,
  device_revoked: 403,
  device_expired: 403,
  ip_not_allowed: 403,
  application_disabled: 403,
  read_only_grant: 403,
  not_found: 404,
  conflict: 409,
  revision_conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  server_unavailable: 503,
};

export function problemStatus(code: ErrorCode): number {
  return STATUS[code] ?? 400;
}

const MAX_TEXT = 1024;

/** Built on first use (`z.lazy`): a client parses one only when a request fails (issue #5). */
export const problemDetailsSchema = z.lazy(() =>
  z.object({
    type: z.string().max(MAX_TEXT),
    title: z.string().max(MAX_TEXT),
    status: z.int().min(400).max(599),
    code: z.enum(ERROR_CODES),
    detail: z.string().max(MAX_TEXT).optional(),
    instance: z.string().max(MAX_TEXT).optional(),
  }),
);

export type ProblemDetails = z.infer<typeof problemDetailsSchema>;

/** Builds the problem body for `code`; `detail` must already be free of secrets. */
export function makeProblem(code: ErrorCode, title: string, detail?: string): ProblemDetails {
  const problem: ProblemDetails = {
    type: `${PROBLEM_TYPE_PREFIX}${code}`,
    title: title.slice(0, MAX_TEXT),
    status: problemStatus(code),
    code,
  };
  if (detail !== undefined) problem.detail = detail.slice(0, MAX_TEXT);
  return problem;
}

/** Problem body for a thrown CofferError: its code and its (secret-free) message. */
export function problemFromError(error: CofferError): ProblemDetails {
  return makeProblem(error.code, error.message);
}

/**
 * Validates a problem body received from a server and turns it into a CofferError with the
 * server's code. A body that is not a valid problem (an HTML page from a captive portal, an
 * unknown code from a newer server) becomes `invalid_input` and is never trusted further.
 */
export function problemToError(body: unknown): CofferError {
  const parsed = problemDetailsSchema.safeParse(body);
  if (!parsed.success) {
    return new CofferError('invalid_input', 'Server answered with an unrecognised error body.', {
      cause: parsed.error,
    });
  }
  return new CofferError(parsed.data.code, parsed.data.detail ?? parsed.data.title);
}
