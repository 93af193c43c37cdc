import { assertP256PublicKey, constantTimeEqual, sha256, toHex, utf8 } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';

/**
 * Public-key fingerprint for pinning and out-of-band comparison (SECURITY-CASES CR-06): SHA-256
 * of the raw 65-byte public key, shown as 16 groups of 4 lower-case hex digits. The full hash is
 * shown — a truncated fingerprint would let a server grind a colliding key.
 */
export async function publicKeyFingerprint(publicKey: Uint8Array): Promise<string> {
  assertP256PublicKey(publicKey, 'Public key');
  const hex = toHex(await sha256(publicKey));
  return hex.match(/.{4}/g)?.join(' ') ?? hex;
}

/**
 * Throws `public_key_mismatch` unless `publicKey` has the pinned fingerprint. Spacing and case of
 * the pinned text are ignored, so a fingerprint read aloud and typed back still matches.
 */
export async function assertPinnedPublicKey(publicKey: Uint8Array, pinned: string): Promise<void> {
  const expected = pinned.replace(/\s+/g, '').toLowerCase();
  const actual = (await publicKeyFingerprint(publicKey)).replace(/ /g, '');
  if (!constantTimeEqual(utf8(actual), utf8(expected))) {
    throw new CofferError(
      'public_key_mismatch',
      'The public key the server supplied does not match the pinned fingerprint; the grant was ' +
        'not made. Compare fingerprints with the key owner.',
    );
  }
}
