import { fromBase64Url, toBase64Url, utf8 } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import { crc32Bytes } from './crc32.ts';
import { isCanonicalServerOrigin, MAX_ORIGIN_LENGTH, normaliseServerOrigin } from './origin.ts';

/**
 * Device token string (README.md, "Device token"):
 *
 *   coffer_dt_ ‖ base64url(secret, 32 bytes → 43 chars) ‖ base64url(CRC-32, 4 bytes → 6 chars)
 *              ‖ "@" ‖ canonical server origin
 *
 * The fixed prefix followed by exactly 49 base64url characters is what secret scanners match.
 * The CRC-32 covers the token with its own 6 characters removed (prefix, secret text, "@",
 * origin), so a typo anywhere — including in the origin — is caught before the token is spent.
 */
export const DEVICE_TOKEN_PREFIX = 'coffer_dt_';
export const DEVICE_TOKEN_SECRET_BYTES = 32;

const SECRET_CHARS = 43;
const CHECKSUM_CHARS = 6;
const BODY_CHARS = SECRET_CHARS + CHECKSUM_CHARS;
const BODY_SHAPE = /^[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = DEVICE_TOKEN_PREFIX.length + BODY_CHARS + 1 + MAX_ORIGIN_LENGTH;
// Pasted tokens and tokens read from stdin often carry a trailing newline or spaces; these are the
// only characters removed before parsing (the one canonical form, SECURITY-CASES DT-05).
const SURROUNDING_WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

export interface DeviceToken {
  /** Canonical origin of the server that issued the token. */
  readonly origin: string;
  /** The 32 random bytes every device key derivation starts from. */
  readonly secret: Uint8Array;
}

function checksumText(secretText: string, origin: string): string {
  return toBase64Url(crc32Bytes(utf8(`${DEVICE_TOKEN_PREFIX}${secretText}@${origin}`)));
}

function malformed(reason: string, cause?: unknown): never {
  throw new CofferError(
    'token_malformed',
    `Device token ${reason}.`,
    cause === undefined ? undefined : { cause },
  );
}

/** Builds the token string for `secret` (32 bytes) issued by the server at `origin`. */
export function formatDeviceToken(origin: string, secret: Uint8Array): string {
  if (!(secret instanceof Uint8Array) || secret.length !== DEVICE_TOKEN_SECRET_BYTES) {
    throw new CofferError(
      'invalid_input',
      `Device token secret must be ${DEVICE_TOKEN_SECRET_BYTES} bytes.`,
    );
  }
  const canonicalOrigin = normaliseServerOrigin(origin);
  const secretText = toBase64Url(secret);
  const checksum = checksumText(secretText, canonicalOrigin);
  return `${DEVICE_TOKEN_PREFIX}${secretText}${checksum}@${canonicalOrigin}`;
}

/**
 * Parses a device token, saying precisely what is wrong with a bad one: not a Coffer token, cut
 * short, a character that cannot occur, probably mistyped (checksum), or an unusable origin.
 * Messages never repeat any part of the token.
 */
export function parseDeviceToken(input: string): DeviceToken {
  if (typeof input !== 'string') malformed('must be a string');
  const text = input.replace(SURROUNDING_WHITESPACE, '');
  if (text.length === 0) malformed('is empty');
  if (text.length > MAX_TOKEN_LENGTH) malformed(`is longer than ${MAX_TOKEN_LENGTH} characters`);
  if (!text.startsWith(DEVICE_TOKEN_PREFIX)) {
    malformed(`does not start with "${DEVICE_TOKEN_PREFIX}"; this is not a Coffer device token`);
  }
  const at = text.indexOf('@', DEVICE_TOKEN_PREFIX.length);
  if (at < 0) malformed('has no "@<server origin>" part; copy the whole token');
  const body = text.slice(DEVICE_TOKEN_PREFIX.length, at);
  if (body.length !== BODY_CHARS) {
    malformed(
      `has the wrong length: ${body.length} characters between the prefix and "@", expected ` +
        `${BODY_CHARS}; copy the whole token`,
    );
  }
  if (!BODY_SHAPE.test(body)) malformed('contains a character that never occurs in a token');
  const secretText = body.slice(0, SECRET_CHARS);
  const origin = text.slice(at + 1);
  if (body.slice(SECRET_CHARS) !== checksumText(secretText, origin)) {
    throw new CofferError(
      'token_checksum_mismatch',
      'Device token checksum does not match: it was probably mistyped or altered. Copy it again.',
    );
  }
  if (!isCanonicalServerOrigin(origin)) {
    malformed('names a server origin that is not a canonical https origin');
  }
  let secret: Uint8Array;
  try {
    secret = fromBase64Url(secretText);
  } catch (error) {
    malformed('secret part is not canonical base64url', error);
  }
  if (secret.length !== DEVICE_TOKEN_SECRET_BYTES) malformed('secret part has the wrong size');
  return { origin, secret };
}
