import { describe, expect, it } from 'vitest';
import { fromHex, utf8, verifyP1363 } from '../../../../shared/crypto/index.ts';
import {
  assertTimestampFresh,
  canonicalRequestString,
  formatRequestHeaders,
  isTimestampFresh,
  parseRequestHeaders,
  requestBodySha256,
} from '../../../../shared/protocol/index.ts';
import vector from '../../../fixtures/protocol/signed-request.json';
import { thrownCode, thrownError } from './helpers/errors.ts';

const request = vector.request;

describe('signed-request canonical string', () => {
  it('hashes the raw body and builds the vector string', async () => {
    expect(await requestBodySha256(utf8(vector.body))).toBe(request.bodySha256);
    expect(await requestBodySha256(new Uint8Array(0))).toBe(vector.emptyBodySha256);
    expect(canonicalRequestString(request)).toBe(vector.canonical);
  });

  it('is what the vector signature (made by Node crypto) signs', async () => {
    const ok = await verifyP1363(
      fromHex(vector.signingPublicKeyHex),
      utf8(canonicalRequestString(request)),
      fromHex(vector.signatureHex),
    );
    expect(ok).toBe(true);
  });

  it.each([
    ['a lower-case method', { method: 'post' }],
    ['a path without leading slash', { pathWithQuery: 'v1/records' }],
    ['a line feed in the path', { pathWithQuery: '/v1/records\nPOST' }],
    ['a space in the path', { pathWithQuery: '/v1/records?q=a b' }],
    ['non-ASCII in the path', { pathWithQuery: '/v1/récords' }],
    ['an upper-case host', { host: 'Vault.example.com' }],
    ['a host with a path', { host: 'vault.example.com/x' }],
    ['a fractional timestamp', { timestamp: 1767225600.5 }],
    ['a negative timestamp', { timestamp: -1 }],
    ['a short nonce', { nonce: 'abc' }],
    ['a device id with a line feed', { deviceId: 'abcdefghij\nlmnopqrstu' }],
    ['an upper-case body hash', { bodySha256: request.bodySha256.toUpperCase() }],
  ])('refuses %s, so no field can contain the separator', (_what, change) => {
    expect(thrownCode(() => canonicalRequestString({ ...request, ...change }))).toBe(
      'invalid_input',
    );
  });

  it('gives different strings when a field moves into its neighbour', () => {
    const a = canonicalRequestString({ ...request, pathWithQuery: '/v1/a', host: 'b.example' });
    const b = canonicalRequestString({ ...request, pathWithQuery: '/v1/ab', host: 'example' });
    expect(a).not.toBe(b);
  });
});

describe('request authentication headers', () => {
  const auth = {
    deviceId: request.deviceId,
    timestamp: request.timestamp,
    nonce: request.nonce,
    signature: fromHex(vector.signatureHex),
  };

  it('formats the vector headers and parses them back', () => {
    expect(formatRequestHeaders(auth)).toEqual(vector.headers);
    expect(parseRequestHeaders(vector.headers)).toEqual(auth);
  });

  it('reads fetch Headers and Node-style records, ignoring header-name case', () => {
    expect(parseRequestHeaders(new Headers(vector.headers))).toEqual(auth);
    const mixedCase = Object.fromEntries(
      Object.entries(vector.headers).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(parseRequestHeaders(mixedCase)).toEqual(auth);
  });

  it('names a missing header', () => {
    const rest: Record<string, string> = { ...vector.headers };
    delete rest['coffer-nonce'];
    const error = thrownError(() => parseRequestHeaders(rest));
    expect(error.code).toBe('unauthenticated');
    expect(error.message).toContain('coffer-nonce');
  });

  it('refuses a repeated header in either representation', () => {
    const nodeStyle = { ...vector.headers, 'coffer-timestamp': ['1', '2'] };
    expect(thrownCode(() => parseRequestHeaders(nodeStyle))).toBe('unauthenticated');
    const fetchStyle = new Headers(vector.headers);
    fetchStyle.append('coffer-timestamp', String(request.timestamp + 1));
    expect(thrownCode(() => parseRequestHeaders(fetchStyle))).toBe('unauthenticated');
  });

  it.each([
    ['coffer-timestamp', '01767225600'],
    ['coffer-timestamp', '+1767225600'],
    ['coffer-timestamp', '1767225600.0'],
    ['coffer-timestamp', ' 1767225600'],
    ['coffer-nonce', 'short'],
    ['coffer-device-id', '-evice0000000000000000'],
    ['coffer-signature', 'AAAA'],
    ['coffer-signature', `${vector.headers['coffer-signature'].slice(0, -1)}+`],
  ])('refuses a malformed %s (%s)', (name, value) => {
    expect(thrownCode(() => parseRequestHeaders({ ...vector.headers, [name]: value }))).toBe(
      'unauthenticated',
    );
  });
});

describe('timestamp window', () => {
  const now = 1_800_000_000;

  it('accepts exactly ±300 s and refuses ±301 s', () => {
    expect(isTimestampFresh(now - 300, now)).toBe(true);
    expect(isTimestampFresh(now + 300, now)).toBe(true);
    expect(isTimestampFresh(now - 301, now)).toBe(false);
    expect(isTimestampFresh(now + 301, now)).toBe(false);
  });

  it('says how far and which way the device clock is off', () => {
    const behind = thrownError(() => assertTimestampFresh(now - 600, now));
    expect(behind.code).toBe('stale_timestamp');
    expect(behind.message).toMatch(/600 s behind/);
    expect(thrownError(() => assertTimestampFresh(now + 3600, now)).message).toMatch(
      /3600 s ahead/,
    );
  });

  it('handles timestamps past 2038 and refuses non-integers', () => {
    const after2038 = 2 ** 31 + 10;
    expect(isTimestampFresh(after2038, after2038 + 5)).toBe(true);
    expect(isTimestampFresh(Number.NaN, now)).toBe(false);
    expect(isTimestampFresh(now + 0.5, now)).toBe(false);
  });
});
