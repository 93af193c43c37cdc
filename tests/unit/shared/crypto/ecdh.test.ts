import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  encodeAad,
  fromUtf8,
  generateEcdhKeyPair,
  hkdfSha256,
  openSealedToPublicKey,
  sealToPublicKey,
  utf8,
} from '../../../../shared/crypto/index.ts';

const aad = encodeAad('folder-key', ['folder-1', 2, 'alice']);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'no error';
}

/**
 * Builds a sealed-to-public-key message by hand from the documented format, so the test pins the
 * construction (and can vary what goes into the KDF) independently of sealToPublicKey.
 */
async function sealByHand(
  recipient: Uint8Array,
  plaintext: Uint8Array,
  kdfKeys: 'both' | 'ephemeral-only',
) {
  const subtle = crypto.subtle;
  const eph = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const ephPub = new Uint8Array(await subtle.exportKey('raw', eph.publicKey));
  const peer = await subtle.importKey(
    'raw',
    recipient.slice(),
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    [],
  );
  const shared = new Uint8Array(
    await subtle.deriveBits({ name: 'ECDH', public: peer }, eph.privateKey, 256),
  );
  const info = encodeAad('ecdh-p256-seal', kdfKeys === 'both' ? [ephPub, recipient] : [ephPub]);
  const raw = await hkdfSha256(shared, new Uint8Array(0), info, 32);
  const key = await subtle.importKey('raw', raw.slice(), 'AES-GCM', false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(
    await subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: aad.slice() },
      key,
      plaintext.slice(),
    ),
  );
  return concatBytes(Uint8Array.of(1), ephPub, Uint8Array.of(1), iv, ct);
}

describe('sealing to a public key (ECDH P-256 + HKDF + AES-GCM)', () => {
  it('round-trips to the holder of the private key', async () => {
    const alice = await generateEcdhKeyPair();
    expect(alice.publicKey).toHaveLength(65);
    expect(alice.publicKey[0]).toBe(4);
    const sealed = await sealToPublicKey(alice.publicKey, utf8('folder key bytes'), aad);
    expect(sealed[0]).toBe(1);
    expect(sealed).toHaveLength(1 + 65 + 29 + 16);
    expect(
      fromUtf8(await openSealedToPublicKey(alice.privateKey, alice.publicKey, sealed, aad)),
    ).toBe('folder key bytes');
  });

  it('uses a fresh ephemeral key per message', async () => {
    const alice = await generateEcdhKeyPair();
    const a = await sealToPublicKey(alice.publicKey, utf8('x'), aad);
    const b = await sealToPublicKey(alice.publicKey, utf8('x'), aad);
    expect(a.subarray(1, 66)).not.toEqual(b.subarray(1, 66));
  });

  it('follows the documented construction with both public keys in the KDF info', async () => {
    const alice = await generateEcdhKeyPair();
    const both = await sealByHand(alice.publicKey, utf8('grant'), 'both');
    expect(
      fromUtf8(await openSealedToPublicKey(alice.privateKey, alice.publicKey, both, aad)),
    ).toBe('grant');
    const withoutRecipient = await sealByHand(alice.publicKey, utf8('grant'), 'ephemeral-only');
    expect(
      await codeOf(openSealedToPublicKey(alice.privateKey, alice.publicKey, withoutRecipient, aad)),
    ).toBe('crypto_integrity_failed');
  });

  it('is bound to the associated data', async () => {
    const alice = await generateEcdhKeyPair();
    const sealed = await sealToPublicKey(alice.publicKey, utf8('k'), aad);
    const other = encodeAad('folder-key', ['folder-2', 2, 'alice']);
    expect(
      await codeOf(openSealedToPublicKey(alice.privateKey, alice.publicKey, sealed, other)),
    ).toBe('crypto_integrity_failed');
  });

  it('is bound to the ephemeral key: replacing it with another valid point fails', async () => {
    const alice = await generateEcdhKeyPair();
    const mallory = await generateEcdhKeyPair();
    const sealed = await sealToPublicKey(alice.publicKey, utf8('k'), aad);
    const swapped = sealed.slice();
    swapped.set(mallory.publicKey, 1);
    expect(
      await codeOf(openSealedToPublicKey(alice.privateKey, alice.publicKey, swapped, aad)),
    ).toBe('crypto_integrity_failed');
  });

  it('another recipient cannot open it', async () => {
    const alice = await generateEcdhKeyPair();
    const bob = await generateEcdhKeyPair();
    const sealed = await sealToPublicKey(alice.publicKey, utf8('k'), aad);
    expect(await codeOf(openSealedToPublicKey(bob.privateKey, bob.publicKey, sealed, aad))).toBe(
      'crypto_integrity_failed',
    );
  });

  it(
    'reports a private key that does not match ' + 'the stated public key as crypto_wrong_key',
    async () => {
      const alice = await generateEcdhKeyPair();
      const bob = await generateEcdhKeyPair();
      const sealed = await sealToPublicKey(alice.publicKey, utf8('k'), aad);
      expect(
        await codeOf(openSealedToPublicKey(bob.privateKey, alice.publicKey, sealed, aad)),
      ).toBe('crypto_wrong_key');
    },
  );

  it('reports version, truncation and damaged ephemeral keys with their own codes', async () => {
    const alice = await generateEcdhKeyPair();
    const sealed = await sealToPublicKey(alice.publicKey, utf8('k'), aad);
    const open = (bytes: Uint8Array) =>
      openSealedToPublicKey(alice.privateKey, alice.publicKey, bytes, aad);
    const future = sealed.slice();
    future[0] = 2;
    expect(await codeOf(open(future))).toBe('crypto_unsupported_version');
    expect(await codeOf(open(sealed.subarray(0, 60)))).toBe('crypto_truncated');
    expect(await codeOf(open(new Uint8Array(0)))).toBe('crypto_truncated');
    const offCurve = sealed.slice();
    offCurve[65]! ^= 1;
    expect(await codeOf(open(offCurve))).toBe('crypto_integrity_failed');
    const flipped = sealed.slice();
    flipped[flipped.length - 1]! ^= 1;
    expect(await codeOf(open(flipped))).toBe('crypto_integrity_failed');
  });

  it('refuses malformed recipient public keys before sealing (CR-06)', async () => {
    const { publicKey } = await generateEcdhKeyPair();
    const offCurve = publicKey.slice();
    offCurve[64]! ^= 1;
    const compressed = concatBytes(
      Uint8Array.of(2 + (publicKey[64]! & 1)),
      publicKey.subarray(1, 33),
    );
    const bad = [
      new Uint8Array(0),
      publicKey.subarray(0, 64),
      concatBytes(publicKey, Uint8Array.of(0)),
      compressed,
      offCurve,
      new Uint8Array(65),
      concatBytes(Uint8Array.of(4), new Uint8Array(64)),
      concatBytes(Uint8Array.of(4), new Uint8Array(64).fill(0xff)),
    ];
    for (const key of bad) {
      expect(await codeOf(sealToPublicKey(key, utf8('k'), aad))).toBe('invalid_input');
    }
  });

  it('refuses a private key that is not PKCS#8 P-256', async () => {
    const alice = await generateEcdhKeyPair();
    const sealed = await sealToPublicKey(alice.publicKey, utf8('k'), aad);
    expect(
      await codeOf(openSealedToPublicKey(new Uint8Array(32), alice.publicKey, sealed, aad)),
    ).toBe('invalid_input');
  });
});
