import { CofferError } from '../../errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Base32 secrets above this length are not OTP seeds; the cap bounds work on hostile input. */
export const MAX_SECRET_CHARS = 1024;

/**
 * Characters people and exporters put between groups of a secret: any Unicode white space (tab,
 * newline, no-break space — keeweb/keeweb#734, pass-otp#190), hyphens from "XXXX-XXXX" displays,
 * and the invisible joiners web pages leave in copied text. None is a base32 character, so
 * dropping them can never change which secret was meant.
 */
const SEPARATOR = /[\s\-\u200B-\u200D\u2060\uFEFF]/u;

export interface NormalisedSecret {
  /** Upper case, unpadded, no separators. */
  readonly canonical: string;
  readonly bytes: Uint8Array;
}

/**
 * Reads a base32 secret the way people paste it: lower or mixed case (base32 is
 * case-insensitive, RFC 4648 §6), grouped with spaces, `=`-padded. Errors name the position of
 * the offending character (1-based, counting characters as typed) but never the secret itself.
 */
export function normaliseBase32Secret(raw: string): NormalisedSecret {
  let canonical = '';
  let paddingAt = 0;
  let position = 0;
  for (const char of raw) {
    position += 1;
    if (SEPARATOR.test(char)) continue;
    if (char === '=') {
      if (paddingAt === 0) paddingAt = position;
      continue;
    }
    // Only ASCII letters are folded: toUpperCase would also turn 'ı' into 'I' or 'ſ' into 'S'.
    const upper = /^[a-z]$/.test(char) ? char.toUpperCase() : char;
    if (upper.length !== 1 || !ALPHABET.includes(upper)) {
      throw new CofferError('otp_invalid_secret', badCharacterMessage(char, position));
    }
    if (paddingAt !== 0) {
      throw new CofferError(
        'otp_invalid_secret',
        `Secret has '=' padding at position ${paddingAt} before its end: ` +
          'padding may only close the secret',
      );
    }
    canonical += upper;
    if (canonical.length > MAX_SECRET_CHARS) {
      throw new CofferError(
        'otp_invalid_secret',
        `Secret is longer than ${MAX_SECRET_CHARS} base32 characters`,
      );
    }
  }
  if (canonical.length === 0) {
    throw new CofferError('otp_invalid_secret', 'Missing secret: no base32 characters were given');
  }
  // 8 base32 characters carry 5 bytes; 1, 3 or 6 leftover characters cannot end on a byte, which
  // means a character was dropped or added while copying — codes from it would silently be wrong.
  const leftover = canonical.length % 8;
  if (leftover === 1 || leftover === 3 || leftover === 6) {
    throw new CofferError(
      'otp_invalid_secret',
      `Secret has ${canonical.length} base32 characters, which cannot encode whole bytes: ` +
        'a character is probably missing or extra',
    );
  }
  return { canonical, bytes: decodeBase32(canonical) };
}

function badCharacterMessage(char: string, position: number): string {
  const base = `Bad base32 character at position ${position} of the secret`;
  // Digits are the common slip (O/0, I/1, B/8); naming the class helps without echoing it.
  if (/^[0189]$/.test(char)) {
    return `${base}: the digits 0, 1, 8 and 9 are not base32 (perhaps O, I, L or B was meant)`;
  }
  return `${base}: base32 uses only the letters A-Z and the digits 2-7`;
}

/** Decodes canonical base32 (already validated); trailing bits that end no byte are dropped. */
function decodeBase32(canonical: string): Uint8Array {
  const bytes = new Uint8Array(Math.floor((canonical.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of canonical) {
    buffer = ((buffer << 5) | ALPHABET.indexOf(char)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[index] = (buffer >> bits) & 0xff;
      index += 1;
    }
  }
  return bytes;
}

/** Encodes bytes as unpadded upper-case base32, the canonical form entries store. */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET.charAt((buffer >> bits) & 31);
    }
  }
  if (bits > 0) out += ALPHABET.charAt((buffer << (5 - bits)) & 31);
  return out;
}
