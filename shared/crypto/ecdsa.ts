import { assertBytes, bufferSource } from './bytes.ts';
import {
  generateEcKeyPair,
  importP256PrivateKey,
  importP256PublicKey,
  type EcKeyPair,
} from './ec-keys.ts';

/**
 * ECDSA P-256 with SHA-256. Signatures are IEEE P1363 (r ‖ s, 32 bytes each) — WebCrypto's
 * native form; Node's crypto.verify must be given { dsaEncoding: 'ieee-p1363' } to read them.
 */

export const P1363_SIGNATURE_LENGTH = 64;
const ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

export function generateSigningKeyPair(): Promise<EcKeyPair> {
  return generateEcKeyPair('ECDSA');
}

export async function signP1363(privateKey: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  assertBytes(data, 'data');
  const key = await importP256PrivateKey(privateKey, 'ECDSA');
  return new Uint8Array(await subtle().sign(ALGORITHM, key, bufferSource(data)));
}

/**
 * A malformed public key is the caller's error and throws; a signature of any wrong shape is
 * simply not valid and returns false (it usually comes from the network).
 */
export async function verifyP1363(
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  assertBytes(data, 'data');
  assertBytes(signature, 'signature');
  const key = await importP256PublicKey(publicKey, 'ECDSA');
  if (signature.length !== P1363_SIGNATURE_LENGTH) return false;
  return subtle().verify(ALGORITHM, key, bufferSource(signature), bufferSource(data));
}
