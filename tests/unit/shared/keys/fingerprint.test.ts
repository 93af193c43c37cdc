import { describe, expect, it } from 'vitest';
import { generateEcdhKeyPair, sha256, toHex } from '../../../../shared/crypto/index.ts';
import { assertPinnedPublicKey, publicKeyFingerprint } from '../../../../shared/keys/index.ts';
import { rejectedCode } from '../protocol/helpers/errors.ts';

describe('public key fingerprints (CR-06)', () => {
  it('shows the full SHA-256 of the raw key in 16 groups of 4 hex digits', async () => {
    const { publicKey } = await generateEcdhKeyPair();
    const fingerprint = await publicKeyFingerprint(publicKey);
    expect(fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){15}$/);
    expect(fingerprint.replace(/ /g, '')).toBe(toHex(await sha256(publicKey)));
  });

  it('accepts the pinned key however the fingerprint was spaced or cased', async () => {
    const { publicKey } = await generateEcdhKeyPair();
    const pinned = (await publicKeyFingerprint(publicKey)).toUpperCase().replace(/ /g, '  ');
    await expect(assertPinnedPublicKey(publicKey, pinned)).resolves.toBeUndefined();
  });

  it('refuses a substituted key with public_key_mismatch', async () => {
    const pinned = await publicKeyFingerprint((await generateEcdhKeyPair()).publicKey);
    const substitute = (await generateEcdhKeyPair()).publicKey;
    expect(await rejectedCode(assertPinnedPublicKey(substitute, pinned))).toBe(
      'public_key_mismatch',
    );
    expect(await rejectedCode(assertPinnedPublicKey(substitute, ''))).toBe('public_key_mismatch');
  });

  it('refuses something that is not a P-256 public key', async () => {
    expect(await rejectedCode(publicKeyFingerprint(new Uint8Array(65)))).toBe('invalid_input');
  });
});
