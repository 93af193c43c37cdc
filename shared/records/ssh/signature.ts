import { ed25519 } from '@noble/curves/ed25519.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import {
  bigIntToBytes,
  bytesEqual,
  bytesToBigInt,
  concatBytes,
  fromHex,
  SshReader,
} from './bytes.ts';
import { ECDSA_CURVES } from './key-material.ts';
import type { SshPublicMaterial } from './key-material.ts';

/**
 * Verifies an SSH signature blob (RFC 4253 §6.6, RFC 8332, RFC 5656 §3.1.2, RFC 8709 §6) with
 * a public key. Used for the CA signature on certificates; returns false on any mismatch or
 * malformed signature rather than throwing, since a bad signature is a finding, not damage.
 */

/** DER DigestInfo prefixes for EMSA-PKCS1-v1_5 (RFC 8017 §9.2 note 1). */
const RSA_HASHES: Readonly<
  Record<string, { hash: (m: Uint8Array) => Uint8Array; prefix: string }>
> = {
  'ssh-rsa': { hash: sha1, prefix: '3021300906052b0e03021a05000414' },
  'rsa-sha2-256': { hash: sha256, prefix: '3031300d060960864801650304020105000420' },
  'rsa-sha2-512': { hash: sha512, prefix: '3051300d060960864801650304020305000440' },
};

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

function verifyRsa(
  key: { e: bigint; n: bigint },
  algorithm: string,
  signature: Uint8Array,
  message: Uint8Array,
): boolean {
  const scheme = Object.hasOwn(RSA_HASHES, algorithm) ? RSA_HASHES[algorithm] : undefined;
  if (scheme === undefined) return false;
  const length = Math.ceil(key.n.toString(16).length / 2);
  const s = bytesToBigInt(signature);
  if (signature.length > length || s >= key.n) return false;
  // Encode-and-compare (RFC 8017 §8.2.2): rebuild the expected block instead of parsing it.
  const digestInfo = concatBytes(fromHex(scheme.prefix, 'DigestInfo'), scheme.hash(message));
  const expected = new Uint8Array(length).fill(0xff);
  expected[0] = 0;
  expected[1] = 1;
  expected[length - digestInfo.length - 1] = 0;
  expected.set(digestInfo, length - digestInfo.length);
  return bytesEqual(bigIntToBytes(modPow(s, key.e, key.n), length), expected);
}

export function verifySshSignature(
  key: SshPublicMaterial,
  signatureBlob: Uint8Array,
  message: Uint8Array,
): boolean {
  try {
    const r = new SshReader(signatureBlob, 'The signature');
    const algorithm = new TextDecoder().decode(r.string());
    const signature = r.string();
    r.end();
    if (key.type === 'ssh-ed25519') {
      return algorithm === 'ssh-ed25519' && ed25519.verify(signature, message, key.publicKey);
    }
    if (key.type === 'ssh-rsa') return verifyRsa(key, algorithm, signature, message);
    if (algorithm !== key.type) return false;
    const info = ECDSA_CURVES[key.type];
    const parts = new SshReader(signature, 'The ECDSA signature');
    const compact = concatBytes(
      bigIntToBytes(parts.mpint(), info.scalarLength),
      bigIntToBytes(parts.mpint(), info.scalarLength),
    );
    parts.end();
    // OpenSSL does not normalise s, so high-s signatures are legitimate here.
    return info.curve.verify(compact, message, key.point, { lowS: false });
  } catch {
    // Malformed signature encoding: reported as not verified.
    return false;
  }
}
