import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../shared/errors.ts';
import {
  ERROR_CODES,
  makeProblem,
  PROBLEM_JSON_MEDIA_TYPE,
  problemDetailsSchema,
  problemFromError,
  problemStatus,
  problemToError,
} from '../../../../shared/protocol/index.ts';

describe('problem details', () => {
  it('uses the RFC 9457 media type', () => {
    expect(PROBLEM_JSON_MEDIA_TYPE).toBe('application/problem+json');
  });

  it('maps device refusals to distinct codes with the right HTTP status', () => {
    expect(problemStatus('unauthenticated')).toBe(401);
    expect(problemStatus('stale_timestamp')).toBe(401);
    expect(problemStatus('request_replayed')).toBe(401);
    expect(problemStatus('device_revoked')).toBe(403);
    expect(problemStatus('read_only_grant')).toBe(403);
    expect(problemStatus('not_found')).toBe(404);
    expect(problemStatus('revision_conflict')).toBe(409);
    expect(problemStatus('rate_limited')).toBe(429);
    expect(problemStatus('server_unavailable')).toBe(503);
    expect(problemStatus('invalid_input')).toBe(400);
    expect(problemStatus('redemption_failed')).toBe(400);
  });

  it('builds a body every code can travel in, and reads it back as the same code', () => {
    for (const code of ERROR_CODES) {
      const body = makeProblem(code, 'Something was refused.');
      expect(problemDetailsSchema.parse(JSON.parse(JSON.stringify(body)))).toEqual(body);
      expect(body.type).toBe(`urn:coffer:problem:${code}`);
      expect(problemToError(body).code).toBe(code);
    }
  });

  it('carries a CofferError code and message', () => {
    const body = problemFromError(new CofferError('device_expired', 'Device access has expired.'));
    expect(body).toMatchObject({ code: 'device_expired', status: 403 });
    expect(problemToError(body).message).toBe('Device access has expired.');
  });

  it('turns an unknown code or a non-problem answer into invalid_input', () => {
    const unknown = { ...makeProblem('forbidden', 'No.'), code: 'no_such_code' };
    expect(problemToError(unknown).code).toBe('invalid_input');
    expect(problemToError('<html>captive portal</html>').code).toBe('invalid_input');
    expect(problemToError(null).code).toBe('invalid_input');
    expect(problemToError({ ...makeProblem('forbidden', 'No.'), status: 200 }).code).toBe(
      'invalid_input',
    );
  });
});
