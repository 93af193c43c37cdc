import { assertP256PublicKey, encodeAad, hmacSha256, verifyHmacSha256 } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import { assertCofferId } from './ids.ts';
import { PROTOCOL_VERSION } from './version.ts';

/**
 * Bind proof: HMAC-SHA-256 under the token-derived bind-proof key over the length-prefixed tuple
 * ("device-bind-proof"; protocol version, device id, signing public key, ECDH public key). It
 * proves to the server that whoever presents these two device keys holds the token, and fixes
 * both keys so neither can be swapped in transit (SECURITY-CASES CR-06).
 */
export const BIND_PROOF_KIND = 'device-bind-proof';

export interface DeviceBinding {
  readonly deviceId: string;
  readonly signingPublicKey: Uint8Array;
  readonly ecdhPublicKey: Uint8Array;
}

export function bindProofMessage(binding: DeviceBinding): Uint8Array {
  assertCofferId(binding.deviceId, 'Device id');
  assertP256PublicKey(binding.signingPublicKey, 'Device signing public key');
  assertP256PublicKey(binding.ecdhPublicKey, 'Device ECDH public key');
  return encodeAad(BIND_PROOF_KIND, [
    PROTOCOL_VERSION,
    binding.deviceId,
    binding.signingPublicKey,
    binding.ecdhPublicKey,
  ]);
}

function assertBindProofKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new CofferError('invalid_input', 'Bind-proof key must be 32 bytes.');
  }
}

export async function computeBindProof(
  bindProofKey: Uint8Array,
  binding: DeviceBinding,
): Promise<Uint8Array> {
  assertBindProofKey(bindProofKey);
  return hmacSha256(bindProofKey, bindProofMessage(binding));
}

/** Constant-time check of a presented bind proof; false for any mismatch. */
export async function verifyBindProof(
  bindProofKey: Uint8Array,
  binding: DeviceBinding,
  proof: Uint8Array,
): Promise<boolean> {
  assertBindProofKey(bindProofKey);
  if (!(proof instanceof Uint8Array) || proof.length !== 32) return false;
  return verifyHmacSha256(bindProofKey, bindProofMessage(binding), proof);
}
