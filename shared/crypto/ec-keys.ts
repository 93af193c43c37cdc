import { p256 } from '@noble/curves/nist.js';
import { CofferError } from '../errors.ts';
import { assertBytes, bufferSource } from './bytes.ts';

/**
 * P-256 key handling shared by ECDH and ECDSA. Public keys travel as 65-byte uncompressed points
 * (SEC 1 §2.3.3: 0x04 ‖ X ‖ Y); private keys as PKCS#8, which is what WebCrypto exports.
 * A public key from the wire is checked here — right length, uncompressed prefix, coordinates
 * in the field and on the curve — before WebCrypto sees it, so a hostile server's point is
 * refused the same way in every runtime (invalid-curve attacks; SECURITY-CASES CR-06).
 */

export const P256_PUBLIC_KEY_LENGTH = 65;

export type EcAlgorithm = 'ECDH' | 'ECDSA';

export interface EcKeyPair {
  /** Uncompressed point, 65 bytes. */
  publicKey: Uint8Array;
  /** PKCS#8 DER. */
  privateKey: Uint8Array;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** Throws `invalid_input` naming `what` unless `publicKey` is a valid uncompressed P-256 point. */
export function assertP256PublicKey(publicKey: Uint8Array, what = 'public key'): void {
  assertBytes(publicKey, what);
  if (publicKey.length !== P256_PUBLIC_KEY_LENGTH || publicKey[0] !== 0x04) {
    throw new CofferError(
      'invalid_input',
      `${what} must be a 65-byte uncompressed P-256 point (got ${publicKey.length} bytes)`,
    );
  }
  try {
    p256.Point.fromBytes(publicKey).assertValidity();
  } catch (error) {
    throw new CofferError('invalid_input', `${what} is not a point on P-256`, { cause: error });
  }
}

export function isValidP256PublicKey(publicKey: Uint8Array): boolean {
  try {
    assertP256PublicKey(publicKey);
    return true;
  } catch {
    return false;
  }
}

export async function generateEcKeyPair(algorithm: EcAlgorithm): Promise<EcKeyPair> {
  const usages: KeyUsage[] = algorithm === 'ECDH' ? ['deriveBits'] : ['sign', 'verify'];
  const pair = await subtle().generateKey({ name: algorithm, namedCurve: 'P-256' }, true, usages);
  const [publicKey, privateKey] = await Promise.all([
    subtle().exportKey('raw', pair.publicKey),
    subtle().exportKey('pkcs8', pair.privateKey),
  ]);
  return { publicKey: new Uint8Array(publicKey), privateKey: new Uint8Array(privateKey) };
}

export async function importP256PublicKey(
  publicKey: Uint8Array,
  algorithm: EcAlgorithm,
  what = 'public key',
): Promise<CryptoKey> {
  assertP256PublicKey(publicKey, what);
  const usages: KeyUsage[] = algorithm === 'ECDH' ? [] : ['verify'];
  return subtle().importKey(
    'raw',
    bufferSource(publicKey),
    { name: algorithm, namedCurve: 'P-256' },
    true,
    usages,
  );
}

/**
 * Imports a PKCS#8 P-256 private key. `extractable` is only set where the public half must be
 * read back from it (to check a caller's key pair matches); the key never leaves this module.
 */
export async function importP256PrivateKey(
  privateKey: Uint8Array,
  algorithm: EcAlgorithm,
  extractable = false,
): Promise<CryptoKey> {
  assertBytes(privateKey, 'private key');
  const usages: KeyUsage[] = algorithm === 'ECDH' ? ['deriveBits'] : ['sign'];
  try {
    return await subtle().importKey(
      'pkcs8',
      bufferSource(privateKey),
      { name: algorithm, namedCurve: 'P-256' },
      extractable,
      usages,
    );
  } catch (error) {
    throw new CofferError('invalid_input', 'private key is not a PKCS#8 P-256 key', {
      cause: error,
    });
  }
}
