import { CofferError } from '../errors.ts';
import { assertBytes, bufferSource, toHex } from './bytes.ts';

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

/**
 * P-256 domain parameters (SEC 2 v2 §2.4.2, FIPS 186-4 D.1.2.3): the field prime and the curve's
 * `b`; `a` is −3. The point check needs nothing else, so it is done here with BigInt rather than
 * by importing a curve library: loading @noble/curves and building its curves cost `coffer get`
 * several milliseconds of start-up though the command never checks a point (issue #5).
 */
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function coordinate(bytes: Uint8Array): bigint {
  return BigInt(`0x${toHex(bytes)}`);
}

/**
 * SEC 1 v2 §3.2.2.1 public key validation for an uncompressed point: both coordinates reduced
 * modulo p and y² = x³ − 3x + b. The point at infinity has no uncompressed encoding, and P-256's
 * cofactor is 1, so a point on the curve is in the prime-order group: nQ = O holds without
 * computing it. The inputs are public keys, so the check need not run in constant time.
 */
function isOnP256(publicKey: Uint8Array): boolean {
  const x = coordinate(publicKey.subarray(1, 33));
  const y = coordinate(publicKey.subarray(33, 65));
  if (x >= P || y >= P) return false;
  return (y * y - (x * x * x - 3n * x + B)) % P === 0n;
}

/** Throws `invalid_input` naming `what` unless `publicKey` is a valid uncompressed P-256 point. */
export function assertP256PublicKey(publicKey: Uint8Array, what = 'public key'): void {
  assertBytes(publicKey, what);
  if (publicKey.length !== P256_PUBLIC_KEY_LENGTH || publicKey[0] !== 0x04) {
    throw new CofferError(
      'invalid_input',
      `${what} must be a 65-byte uncompressed P-256 point (got ${publicKey.length} bytes)`,
    );
  }
  if (!isOnP256(publicKey)) {
    throw new CofferError('invalid_input', `${what} is not a point on P-256`);
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
