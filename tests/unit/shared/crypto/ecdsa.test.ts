import { describe, expect, it } from 'vitest';
import {
  generateSigningKeyPair,
  signP1363,
  utf8,
  verifyP1363,
} from '../../../../shared/crypto/index.ts';

const data = utf8('POST\n/v1/records?folder=f1\nvault.example.com\n1700000000\nnonce\ndevice');

describe('ECDSA P-256 / SHA-256 in IEEE P1363 form', () => {
  it('signs with 64-byte signatures that verify', async () => {
    const { publicKey, privateKey } = await generateSigningKeyPair();
    const signature = await signP1363(privateKey, data);
    expect(signature).toHaveLength(64);
    expect(await verifyP1363(publicKey, data, signature)).toBe(true);
  });

  it('rejects changed data, a flipped signature bit, another key, and wrong lengths', async () => {
    const alice = await generateSigningKeyPair();
    const mallory = await generateSigningKeyPair();
    const signature = await signP1363(alice.privateKey, data);
    expect(await verifyP1363(alice.publicKey, utf8('POST\n/v1/records?folder=f2'), signature)).toBe(
      false,
    );
    for (const index of [0, 31, 32, 63]) {
      const flipped = signature.slice();
      flipped[index]! ^= 1;
      expect(await verifyP1363(alice.publicKey, data, flipped)).toBe(false);
    }
    expect(await verifyP1363(mallory.publicKey, data, signature)).toBe(false);
    expect(await verifyP1363(alice.publicKey, data, signature.subarray(0, 63))).toBe(false);
    expect(await verifyP1363(alice.publicKey, data, new Uint8Array(72))).toBe(false);
    expect(await verifyP1363(alice.publicKey, data, new Uint8Array(64))).toBe(false);
  });

  it('throws on a malformed public key rather than answering false', async () => {
    const { privateKey, publicKey } = await generateSigningKeyPair();
    const signature = await signP1363(privateKey, data);
    const offCurve = publicKey.slice();
    offCurve[64]! ^= 1;
    for (const key of [publicKey.subarray(1), offCurve, new Uint8Array(65)]) {
      await expect(verifyP1363(key, data, signature)).rejects.toMatchObject({
        code: 'invalid_input',
      });
    }
  });

  it('refuses a private key that is not PKCS#8', async () => {
    await expect(signP1363(new Uint8Array(10), data)).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
