/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF) — the
 * checksum zlib, PNG and GitHub's token format use. It is an error-detecting code, not a MAC: it
 * catches every single-character typo and every burst up to 32 bits, so a mistyped device token
 * is rejected locally instead of being spent against the server's rate limit.
 */

const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let bit = 0; bit < 8; bit += 1) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 of `data` as an unsigned 32-bit integer (check value of "123456789" is 0xCBF43926). */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc = (TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of `data` as 4 big-endian bytes. */
export function crc32Bytes(data: Uint8Array): Uint8Array {
  const value = crc32(data);
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}
