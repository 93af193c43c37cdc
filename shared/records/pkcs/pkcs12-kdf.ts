/** The PKCS#12 key derivation (RFC 7292 Appendix B.2), used for legacy PBE and for the MAC. */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';
import { CofferError } from '../../errors.ts';
import { concatBytes } from '../../crypto/bytes.ts';
import { OID } from '../asn1/oids.ts';

export type Hash = CHash;

export const PKCS12_HASHES: Readonly<Record<string, Hash>> = {
  [OID.sha1]: sha1,
  [OID.sha224]: sha224,
  [OID.sha256]: sha256,
  [OID.sha384]: sha384,
  [OID.sha512]: sha512,
};

/** Key material purposes (RFC 7292 B.3). */
export const KDF_PURPOSE = { key: 1, iv: 2, mac: 3 } as const;

/**
 * Iterations run in JavaScript here (about 0.1 s per 100,000 SHA-1 or SHA-256 rounds in Node on
 * the development machine) and a file needs several derivations. Real files use 2048 (OpenSSL,
 * Windows) to 10,000 (Java); the cap keeps a crafted file from freezing the app.
 */
export const MAX_PKCS12_ITERATIONS = 500_000;

/** Refuses a work factor above the cap before any hashing starts. */
export function checkPkcs12Iterations(iterations: number): void {
  if (iterations < 1 || iterations > MAX_PKCS12_ITERATIONS) {
    throw new CofferError(
      'kdf_parameters_too_costly',
      `The file asks for ${iterations} PKCS#12 key-derivation iterations; Coffer accepts 1 to ${MAX_PKCS12_ITERATIONS}.`,
    );
  }
}

/**
 * Hash^rounds(input). One hasher is reset from a fresh template each round instead of allocating
 * a new one, which is three to four times faster for the short inputs of these loops.
 */
export function iteratedHash(hash: Hash, input: Uint8Array, rounds: number): Uint8Array {
  const fresh = hash.create();
  const work = hash.create();
  const out = new Uint8Array(hash.outputLen);
  work.update(input).digestInto(out);
  for (let round = 1; round < rounds; round++) {
    fresh._cloneInto(work);
    work.update(out);
    work.digestInto(out);
  }
  return out;
}

/**
 * The password as PKCS#12 wants it: UTF-16BE with a two-byte terminator (B.1). An empty password
 * is ambiguous — OpenSSL writes the terminator only, some tools write nothing — so callers try
 * both forms.
 */
export function bmpPassword(
  password: string,
  emptyForm: 'terminated' | 'absent' = 'terminated',
): Uint8Array {
  if (password === '' && emptyForm === 'absent') return new Uint8Array();
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const unit = password.charCodeAt(i);
    out[i * 2] = unit >> 8;
    out[i * 2 + 1] = unit & 0xff;
  }
  return out;
}

function repeatTo(source: Uint8Array, blockLen: number): Uint8Array {
  if (source.length === 0) return new Uint8Array();
  const out = new Uint8Array(blockLen * Math.ceil(source.length / blockLen));
  for (let i = 0; i < out.length; i++) out[i] = source[i % source.length] ?? 0;
  return out;
}

export function pkcs12Kdf(
  hash: Hash,
  password: Uint8Array,
  salt: Uint8Array,
  purpose: number,
  iterations: number,
  length: number,
): Uint8Array {
  checkPkcs12Iterations(iterations);
  const v = hash.blockLen;
  const u = hash.outputLen;
  const diversifier = new Uint8Array(v).fill(purpose);
  const input = concatBytes(repeatTo(salt, v), repeatTo(password, v));
  const output = new Uint8Array(length);
  for (let produced = 0; produced < length; produced += u) {
    const a = iteratedHash(hash, concatBytes(diversifier, input), iterations);
    output.set(a.subarray(0, Math.min(u, length - produced)), produced);
    if (produced + u >= length) break;
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I, B being A repeated to v bytes.
    const b = repeatTo(a, v).subarray(0, v);
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = (input[j + k] ?? 0) + (b[k] ?? 0) + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return output;
}
