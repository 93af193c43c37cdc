import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/crypto/sealed-blob-v1.json';
import {
  encodeAad,
  fromHex,
  fromUtf8,
  importAeadKey,
  open,
  seal,
  toHex,
  utf8,
} from '../../../../shared/crypto/index.ts';

// The golden blob was produced independently with node:crypto (see its description); it pins the
// wire format so a change to framing, IV placement or AAD encoding cannot slip through.
const goldenAad = () =>
  encodeAad(golden.aadKind, [
    golden.aadFields[0] as string,
    golden.aadFields[1] as string,
    golden.aadFields[2] as number,
    golden.aadFields[3] as number,
    fromHex((golden.aadFields[4] as { bytesHex: string }).bytesHex),
  ]);

describe('sealed blob format 1', () => {
  it('encodes the golden associated data exactly', () => {
    expect(toHex(goldenAad())).toBe(golden.aad);
  });

  it('opens the golden blob made by another implementation', async () => {
    const key = await importAeadKey(fromHex(golden.key));
    expect(fromUtf8(await open(key, fromHex(golden.blob), goldenAad()))).toBe(golden.plaintext);
  });

  it('lays out version ‖ 12-byte IV ‖ ciphertext ‖ 16-byte tag', async () => {
    const raw = fromHex(golden.key);
    const key = await importAeadKey(raw);
    const plaintext = utf8('alice@example.com');
    const aad = goldenAad();
    const blob = await seal(key, plaintext, aad);
    expect(blob[0]).toBe(0x01);
    expect(blob).toHaveLength(1 + 12 + plaintext.length + 16);
    // Decrypt the parts with WebCrypto directly to prove where IV and tag sit.
    const cryptoKey = await crypto.subtle.importKey('raw', raw.slice(), 'AES-GCM', false, [
      'decrypt',
    ]);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: blob.slice(1, 13), additionalData: aad.slice(), tagLength: 128 },
      cryptoKey,
      blob.slice(13),
    );
    expect(fromUtf8(new Uint8Array(plain))).toBe('alice@example.com');
  });

  it('refuses the golden blob under any other record or revision (CR-03)', async () => {
    const key = await importAeadKey(fromHex(golden.key));
    const moved = encodeAad('record', ['folder-2', 'record-1', 7, 2, fromHex('dead')]);
    const rolledBack = encodeAad('record', ['folder-1', 'record-1', 6, 2, fromHex('dead')]);
    for (const aad of [moved, rolledBack]) {
      await expect(open(key, fromHex(golden.blob), aad)).rejects.toMatchObject({
        code: 'crypto_integrity_failed',
      });
    }
  });

  it('refuses a legacy or future version byte on the golden blob (CR-04)', async () => {
    const key = await importAeadKey(fromHex(golden.key));
    const blob = fromHex(golden.blob);
    blob[0] = 0x00;
    await expect(open(key, blob, goldenAad())).rejects.toMatchObject({
      code: 'crypto_unsupported_version',
      message: expect.stringContaining('unsupported format'),
    });
  });
});
