/** Small byte helpers for the certificate importer; platform-free (no Buffer). */

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A copy backed by a plain ArrayBuffer, which is what WebCrypto's BufferSource accepts. */
export function toBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Upper-case hex pairs joined by colons, the form OpenSSL and browsers show fingerprints in. */
export function toColonHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Map<string, number>(
  Array.from(BASE64_ALPHABET, (char, index) => [char, index] as const),
);

/**
 * Strict standard base64 (RFC 4648 §4): whitespace must already be removed, the length must be a
 * multiple of four and padding may only end the text. Returns undefined when the text is not
 * base64, so the caller can name the PEM block that holds it.
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let outIndex = 0;
  for (let i = 0; i < text.length; i += 4) {
    let group = 0;
    for (let j = 0; j < 4; j++) {
      const char = text[i + j] ?? '';
      const isPad = char === '=' && i + 4 === text.length && j >= 4 - padding;
      const value = isPad ? 0 : BASE64_VALUES.get(char);
      if (value === undefined) return undefined;
      group = (group << 6) | value;
    }
    const triple = [(group >> 16) & 0xff, (group >> 8) & 0xff, group & 0xff];
    for (const byte of triple) if (outIndex < out.length) out[outIndex++] = byte;
  }
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const group = (b0 << 16) | (b1 << 8) | b2;
    out += BASE64_ALPHABET[(group >> 18) & 63];
    out += BASE64_ALPHABET[(group >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64_ALPHABET[(group >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64_ALPHABET[group & 63] : '=';
  }
  return out;
}

/** PEM armour with 64-character lines and LF endings (RFC 7468 §2, the stored normal form). */
export function toPem(label: string, der: Uint8Array): string {
  const body = encodeBase64(der).replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${body.endsWith('\n') ? body : `${body}\n`}-----END ${label}-----\n`;
}
