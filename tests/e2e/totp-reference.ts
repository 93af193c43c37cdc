import { createHmac, randomBytes } from 'node:crypto';

/**
 * RFC 4648 base32 and RFC 6238 TOTP computed with node:crypto, so the end-to-end checks of the
 * codes the app shows share no code with the app's own implementation (otpauth).
 */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function toBase32(bytes: Uint8Array): string {
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  return (bits.match(/.{1,5}/g) ?? [])
    .map((chunk) => BASE32[parseInt(chunk.padEnd(5, '0'), 2)])
    .join('');
}

export function fromBase32(text: string): Uint8Array {
  let bits = '';
  for (const char of text) bits += BASE32.indexOf(char).toString(2).padStart(5, '0');
  return new Uint8Array((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
}

/** A fresh random TOTP secret in base32, as authenticator apps show it. */
export function randomBase32Secret(bytes = 20): string {
  return toBase32(randomBytes(bytes));
}

/** The code for `unixMs` with HMAC-SHA-1 and RFC 4226 §5.3 dynamic truncation. */
export function totpAt(secretBase32: string, unixMs: number, periodSeconds = 30, digits = 6) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixMs / 1000 / periodSeconds)));
  const mac = createHmac('sha1', fromBase32(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** digits).padStart(digits, '0');
}
