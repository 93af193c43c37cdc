import { z } from 'zod';
import { fromBase64Url, P256_PUBLIC_KEY_LENGTH } from '../crypto/index.ts';
import { canonicalCidr } from './cidr.ts';
import { ID_PATTERN } from './ids.ts';
import { PROTOCOL_VERSION } from './version.ts';

/** Zod building blocks shared by the JSON bodies: byte fields travel as base64url strings. */

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodedLength(text: string): number | undefined {
  try {
    return fromBase64Url(text).length;
  } catch {
    return undefined;
  }
}

/** A base64url string (no padding, canonical) decoding to exactly `bytes` bytes. */
export function base64UrlBytes(bytes: number) {
  const chars = Math.ceil((bytes * 4) / 3);
  return z
    .string()
    .length(chars, `must be ${chars} base64url characters (${bytes} bytes)`)
    .regex(BASE64URL, 'must be base64url')
    .refine((text) => decodedLength(text) === bytes, `must decode to ${bytes} bytes`);
}

/** A base64url string decoding to between 1 and `maxBytes` bytes (e.g. a sealed blob). */
export function base64UrlBlob(maxBytes: number) {
  return z
    .string()
    .min(1)
    .max(Math.ceil((maxBytes * 4) / 3))
    .regex(BASE64URL, 'must be base64url')
    .refine((text) => decodedLength(text) !== undefined, 'must be canonical base64url');
}

export const idField = z.string().regex(ID_PATTERN, 'must be a 22-character Coffer id');
export const keyVersionField = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
export const unixSecondsField = z.int().min(0).max(999_999_999_999);
export const protocolField = z.literal(PROTOCOL_VERSION);
export const p256PublicKeyField = base64UrlBytes(P256_PUBLIC_KEY_LENGTH).refine(
  (text) => text.startsWith('B'),
  'must be an uncompressed P-256 point (0x04 first)',
);
export const cidrField = z
  .string()
  .refine((text) => canonicalCidr(text) === text, 'must be a canonical IPv4 or IPv6 CIDR block');
/** The longest application or device name, in UTF-16 code units. */
export const DISPLAY_NAME_MAX = 100;

/** A display name: 1-100 characters, no control characters (they could forge log lines). */
export const displayNameField = z
  .string()
  .min(1)
  .max(DISPLAY_NAME_MAX)
  .regex(/^[^\p{Cc}\u2028\u2029]+$/u, 'must not contain control characters');
