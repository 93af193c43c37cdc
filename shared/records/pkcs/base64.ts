/**
 * Standard base64 (RFC 4648 §4) for PEM bodies and SSH key lines, without atob/btoa or Buffer so
 * that it runs unchanged everywhere and never tolerates what atob does (whitespace, missing
 * padding).
 */

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE64_ALPHABET.length; i += 1) {
  BASE64_VALUES[BASE64_ALPHABET.charCodeAt(i)] = i;
}

function valueAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (BASE64_VALUES[code] ?? -1) : -1;
}

/**
 * Strict standard base64: whitespace must already be removed, the length must be a multiple of
 * four and padding may only end the text. Returns undefined when the text is not base64, so the
 * caller can name the block or line that holds it.
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let outIndex = 0;
  for (let i = 0; i < text.length; i += 4) {
    let group = 0;
    for (let j = 0; j < 4; j += 1) {
      const isPad = i + 4 === text.length && j >= 4 - padding;
      const value = isPad ? 0 : valueAt(text, i + j);
      if (value < 0) return undefined;
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
    const group = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64_ALPHABET[(group >> 18) & 63];
    out += BASE64_ALPHABET[(group >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64_ALPHABET[(group >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64_ALPHABET[group & 63] : '=';
  }
  return out;
}
