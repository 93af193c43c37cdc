import { CofferError } from '../errors.ts';
import { encodeAad } from './aad.ts';
import { importAeadKey, open, seal, SEALED_BLOB_OVERHEAD } from './aead.ts';
import { assertBytes, concatBytes, fromBase64Url } from './bytes.ts';
import { constantTimeEqual } from './compare.ts';
import {
  assertP256PublicKey,
  generateEcKeyPair,
  importP256PrivateKey,
  importP256PublicKey,
  P256_PUBLIC_KEY_LENGTH,
  type EcKeyPair,
} from './ec-keys.ts';
import { hkdfSha256 } from './hash.ts';

/**
 * Sealing to a public key (DESIGN.md "Wire formats"): a fresh ephemeral P-256 key pair per
 * message, ECDH with the recipient, then
 *
 *   key = HKDF-SHA-256(ikm = shared x-coordinate, salt = empty,
 *                      info = encodeAad('ecdh-p256-seal', [ephemeral public, recipient public]))
 *
 * and a sealed blob (aead.ts) under that key with the caller's associated data. Format:
 *
 *   0x01 ‖ ephemeral public key (65 bytes, uncompressed) ‖ sealed blob
 *
 * Both public keys are in the KDF input so a ciphertext cannot be re-targeted: the same shared
 * secret reached with another recipient key, or a swapped ephemeral key, yields another key.
 */

export const SEALED_TO_PUBLIC_KEY_VERSION = 0x01;
const HEADER_LENGTH = 1 + P256_PUBLIC_KEY_LENGTH;
const KDF_LABEL = 'ecdh-p256-seal';
const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

export function generateEcdhKeyPair(): Promise<EcKeyPair> {
  return generateEcKeyPair('ECDH');
}

async function deriveSealKey(
  privateKey: CryptoKey,
  peerPublicKey: Uint8Array,
  ephemeralPublicKey: Uint8Array,
  recipientPublicKey: Uint8Array,
) {
  const peer = await importP256PublicKey(peerPublicKey, 'ECDH');
  const shared = new Uint8Array(
    await subtle().deriveBits({ name: 'ECDH', public: peer }, privateKey, 256),
  );
  const info = encodeAad(KDF_LABEL, [ephemeralPublicKey, recipientPublicKey]);
  const raw = await hkdfSha256(shared, new Uint8Array(0), info, 32);
  shared.fill(0);
  const key = await importAeadKey(raw, { sealLimit: 1 });
  raw.fill(0);
  return key;
}

export async function sealToPublicKey(
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  assertP256PublicKey(recipientPublicKey, 'recipient public key');
  assertBytes(plaintext, 'plaintext');
  assertBytes(aad, 'associated data');
  const ephemeral = await subtle().generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
    'deriveBits',
  ]);
  const ephemeralPublicKey = new Uint8Array(await subtle().exportKey('raw', ephemeral.publicKey));
  const key = await deriveSealKey(
    ephemeral.privateKey,
    recipientPublicKey,
    ephemeralPublicKey,
    recipientPublicKey,
  );
  const blob = await seal(key, plaintext, aad);
  return concatBytes(Uint8Array.of(SEALED_TO_PUBLIC_KEY_VERSION), ephemeralPublicKey, blob);
}

/** The public half inside a PKCS#8 private key, as a 65-byte point. */
async function publicKeyOf(privateKey: CryptoKey): Promise<Uint8Array> {
  const jwk = await subtle().exportKey('jwk', privateKey);
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new CofferError('invalid_input', 'private key has no public coordinates');
  }
  return concatBytes(Uint8Array.of(0x04), fromBase64Url(jwk.x), fromBase64Url(jwk.y));
}

export async function openSealedToPublicKey(
  recipientPrivateKey: Uint8Array,
  recipientPublicKey: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  assertP256PublicKey(recipientPublicKey, 'recipient public key');
  assertBytes(sealed, 'sealed data');
  assertBytes(aad, 'associated data');
  if (sealed.length === 0) throw new CofferError('crypto_truncated', 'sealed data is empty');
  if (sealed[0] !== SEALED_TO_PUBLIC_KEY_VERSION) {
    throw new CofferError(
      'crypto_unsupported_version',
      `unsupported format (version ${sealed[0]}), update the app`,
    );
  }
  if (sealed.length < HEADER_LENGTH + SEALED_BLOB_OVERHEAD) {
    throw new CofferError('crypto_truncated', `sealed data is truncated (${sealed.length} bytes)`);
  }
  const privateKey = await importP256PrivateKey(recipientPrivateKey, 'ECDH', true);
  if (!constantTimeEqual(await publicKeyOf(privateKey), recipientPublicKey)) {
    throw new CofferError(
      'crypto_wrong_key',
      'the recipient public key does not belong to the given private key',
    );
  }
  const ephemeralPublicKey = sealed.subarray(1, HEADER_LENGTH);
  try {
    assertP256PublicKey(ephemeralPublicKey, 'ephemeral public key');
  } catch (error) {
    throw new CofferError(
      'crypto_integrity_failed',
      'integrity check failed: the ephemeral key in the sealed data is not a P-256 point',
      { cause: error },
    );
  }
  const key = await deriveSealKey(
    privateKey,
    ephemeralPublicKey,
    ephemeralPublicKey,
    recipientPublicKey,
  );
  return open(key, sealed.subarray(HEADER_LENGTH), aad);
}
