import { fromBase64Url, sha256, toBase64Url, toHex } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import { isCofferId } from './ids.ts';
import { PROTOCOL_VERSION } from './version.ts';

/**
 * Signed device request (README.md, "Signed device request"). The canonical string is eight
 * lines joined by LF, no trailing LF:
 *
 *   coffer-request-v1 / METHOD / path-with-query / host / timestamp / nonce / device id /
 *   lower-case hex SHA-256 of the raw body
 *
 * Every field is validated against a character set that excludes CR and LF (and all other
 * controls), so no field can contain the separator and each string has exactly one parse.
 */
export const CANONICAL_REQUEST_TAG = `coffer-request-v${PROTOCOL_VERSION}`;

/** HTTP header names (lower case, as Node delivers them; HTTP compares them case-insensitively). */
export const REQUEST_HEADERS = {
  deviceId: 'coffer-device-id',
  timestamp: 'coffer-timestamp',
  nonce: 'coffer-nonce',
  signature: 'coffer-signature',
} as const;

/** Accepted clock difference between device and server, inclusive (DESIGN.md: ±5 minutes). */
export const REQUEST_TIMESTAMP_WINDOW_SECONDS = 300;

const METHOD = /^[A-Z]{1,16}$/;
// The request target exactly as sent: origin-form, printable ASCII only (RFC 9112 §3.2.1).
const PATH_WITH_QUERY = /^\/[\x21-\x7e]*$/;
const MAX_PATH_LENGTH = 4096;
// Lower-case host[:port]: a DNS name or IPv4 address, or a bracketed IPv6 literal.
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;
const MAX_HOST_LENGTH = 270;
const TIMESTAMP_TEXT = /^(?:0|[1-9][0-9]{0,11})$/;
const NONCE = /^[A-Za-z0-9_-]{22}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const SIGNATURE_TEXT = /^[A-Za-z0-9_-]{86}$/;

export interface RequestToSign {
  readonly method: string;
  readonly pathWithQuery: string;
  readonly host: string;
  /** Unix time in whole seconds. */
  readonly timestamp: number;
  readonly nonce: string;
  readonly deviceId: string;
  /** Lower-case hex SHA-256 of the raw body bytes (of the empty string when there is no body). */
  readonly bodySha256: string;
}

function invalid(what: string): never {
  throw new CofferError('invalid_input', `Signed request ${what}.`);
}

function assertTimestamp(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > 999_999_999_999) {
    invalid('timestamp must be a whole number of Unix seconds');
  }
}

/** The one canonical string a device signs and the server verifies. */
export function canonicalRequestString(request: RequestToSign): string {
  if (!METHOD.test(request.method)) invalid('method must be 1-16 upper-case letters');
  if (
    request.pathWithQuery.length > MAX_PATH_LENGTH ||
    !PATH_WITH_QUERY.test(request.pathWithQuery)
  ) {
    invalid('path must start with "/" and contain only printable ASCII (percent-encode the rest)');
  }
  if (request.host.length > MAX_HOST_LENGTH || !HOST.test(request.host)) {
    invalid('host must be a lower-case host name or IP literal with an optional port');
  }
  assertTimestamp(request.timestamp);
  if (!NONCE.test(request.nonce)) invalid('nonce must be 22 base64url characters');
  if (!isCofferId(request.deviceId)) invalid('device id must be a 22-character Coffer id');
  if (!SHA256_HEX.test(request.bodySha256)) invalid('body hash must be 64 lower-case hex digits');
  return [
    CANONICAL_REQUEST_TAG,
    request.method,
    request.pathWithQuery,
    request.host,
    String(request.timestamp),
    request.nonce,
    request.deviceId,
    request.bodySha256,
  ].join('\n');
}

/** Lower-case hex SHA-256 of the raw request body, as the canonical string carries it. */
export async function requestBodySha256(body: Uint8Array): Promise<string> {
  return toHex(await sha256(body));
}

export interface RequestAuthentication {
  readonly deviceId: string;
  readonly timestamp: number;
  readonly nonce: string;
  /** ECDSA P-256 / SHA-256 signature in IEEE P1363 form (r ‖ s, 64 bytes). */
  readonly signature: Uint8Array;
}

export function formatRequestHeaders(auth: RequestAuthentication): Record<string, string> {
  if (!isCofferId(auth.deviceId)) invalid('device id must be a 22-character Coffer id');
  assertTimestamp(auth.timestamp);
  if (!NONCE.test(auth.nonce)) invalid('nonce must be 22 base64url characters');
  if (!(auth.signature instanceof Uint8Array) || auth.signature.length !== 64) {
    invalid('signature must be 64 bytes (P1363)');
  }
  return {
    [REQUEST_HEADERS.deviceId]: auth.deviceId,
    [REQUEST_HEADERS.timestamp]: String(auth.timestamp),
    [REQUEST_HEADERS.nonce]: auth.nonce,
    [REQUEST_HEADERS.signature]: toBase64Url(auth.signature),
  };
}

/** Fetch `Headers`, or Node's incoming headers (lower-case keys, repeated headers as arrays). */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

function readHeader(source: HeaderSource, name: string): string {
  let value: string | readonly string[] | null | undefined;
  if (typeof source.get === 'function') {
    value = (source as { get(name: string): string | null }).get(name);
  } else {
    const record = source as Readonly<Record<string, string | readonly string[] | undefined>>;
    const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
    value = key === undefined ? undefined : record[key];
  }
  if (value === undefined || value === null) {
    throw new CofferError('unauthenticated', `Request has no ${name} header.`);
  }
  // A repeated header (array here, or "a, b" from fetch Headers) fails the field patterns below.
  if (typeof value !== 'string') {
    throw new CofferError('unauthenticated', `Request has more than one ${name} header.`);
  }
  return value;
}

function malformedHeader(name: string, expected: string): never {
  throw new CofferError('unauthenticated', `Request header ${name} must be ${expected}.`);
}

/** Reads and validates the four authentication headers of a device request. */
export function parseRequestHeaders(source: HeaderSource): RequestAuthentication {
  const deviceId = readHeader(source, REQUEST_HEADERS.deviceId);
  const timestampText = readHeader(source, REQUEST_HEADERS.timestamp);
  const nonce = readHeader(source, REQUEST_HEADERS.nonce);
  const signatureText = readHeader(source, REQUEST_HEADERS.signature);
  if (!isCofferId(deviceId)) malformedHeader(REQUEST_HEADERS.deviceId, 'a Coffer id');
  if (!TIMESTAMP_TEXT.test(timestampText)) {
    malformedHeader(REQUEST_HEADERS.timestamp, 'Unix seconds in decimal without leading zeros');
  }
  if (!NONCE.test(nonce)) malformedHeader(REQUEST_HEADERS.nonce, '22 base64url characters');
  if (!SIGNATURE_TEXT.test(signatureText)) {
    malformedHeader(REQUEST_HEADERS.signature, '86 base64url characters (64-byte P1363)');
  }
  let signature: Uint8Array;
  try {
    signature = fromBase64Url(signatureText);
  } catch (error) {
    throw new CofferError('unauthenticated', 'Request signature is not canonical base64url.', {
      cause: error,
    });
  }
  return { deviceId, timestamp: Number(timestampText), nonce, signature };
}

/**
 * Pure freshness check: true when |now − timestamp| ≤ window (both Unix seconds), so exactly
 * ±300 s is accepted and ±301 s is not. The server uses its own clock for `nowSeconds` and keeps
 * every nonce it has seen for at least twice the window so a replay inside it is caught.
 */
export function isTimestampFresh(
  timestamp: number,
  nowSeconds: number,
  windowSeconds: number = REQUEST_TIMESTAMP_WINDOW_SECONDS,
): boolean {
  return (
    Number.isSafeInteger(timestamp) &&
    Number.isFinite(nowSeconds) &&
    Math.abs(nowSeconds - timestamp) <= windowSeconds
  );
}

/** Throws `stale_timestamp`, saying how far off and in which direction the device clock is. */
export function assertTimestampFresh(
  timestamp: number,
  nowSeconds: number,
  windowSeconds: number = REQUEST_TIMESTAMP_WINDOW_SECONDS,
): void {
  if (isTimestampFresh(timestamp, nowSeconds, windowSeconds)) return;
  const skew = Math.round(timestamp - nowSeconds);
  const direction = skew > 0 ? 'ahead of' : 'behind';
  throw new CofferError(
    'stale_timestamp',
    `Request timestamp is ${Math.abs(skew)} s ${direction} the server clock (allowed ±` +
      `${windowSeconds} s); check the device clock.`,
  );
}

/** Current Unix time in whole seconds. */
export function unixSeconds(date: Date = new Date()): number {
  return Math.floor(date.getTime() / 1000);
}
