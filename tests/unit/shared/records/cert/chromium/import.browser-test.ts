// The certificate cases again, in Chromium: WebCrypto PBKDF2/AES-CBC/ECDSA, node-forge RC2/3DES
// and the name decoders must behave exactly as in Node.
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { importCertificate } from '../../../../../../shared/records/cert/index.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const LEAF_SHA256 =
  'DE:ED:64:FE:45:9D:B6:C7:D0:8E:9E:5E:1F:4B:EC:7C:0A:61:0F:0B:85:27:91:A8:E6:41:35:2D:5B:F1:5E:B4';

/** Fixture bytes, read by the Vitest server (paths are relative to the project root). */
async function fixture(name: string): Promise<Uint8Array> {
  const base64 = await commands.readFile(`tests/fixtures/cert/${name}`, 'base64');
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

describe('certificate import in Chromium', () => {
  it('runs in a browser, not in Node', () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('object');
  });

  for (const [file, passphrase, count] of [
    ['cert-01-fullchain.pem', undefined, 3],
    ['cert-02-leaf.cer', undefined, 1],
    ['cert-03-modern-aes.p12', 'p12-pass-03', 3],
    ['cert-06-legacy-rc2.p12', 'p12-pass-06', 3],
    ['cert-10-bag-attributes-crlf.pem', undefined, 3],
    ['cert-12-ec-key-and-cert.pem', undefined, 1],
  ] as const) {
    it(`imports ${file}`, async () => {
      const options = passphrase === undefined ? { now: NOW } : { passphrase, now: NOW };
      const result = await importCertificate(await fixture(file), options);
      expect(result.chain).toHaveLength(count);
      expect(result.chain[0]?.certificate.sha256Fingerprint).toBe(LEAF_SHA256);
      expect(result.chain[0]?.certificate.subject).toBe('CN=www.example.com');
      if (count === 3)
        expect(result.chain.map((e) => e.signature)).toEqual(['valid', 'valid', 'valid']);
      if (file.endsWith('.p12') || file.startsWith('cert-1'))
        expect(result.keyMatchesLeaf).toBe(true);
    });
  }

  it('reports a wrong PKCS#12 password', async () => {
    await expect(
      importCertificate(await fixture('cert-03-modern-aes.p12'), { passphrase: 'nope', now: NOW }),
    ).rejects.toMatchObject({ code: 'wrong_passphrase' });
  });

  it('shows exact Unicode for BMPString and UTF8String', async () => {
    const result = await importCertificate(await fixture('cert-08-unicode-subject.pem'), {
      now: NOW,
    });
    expect(result.chain[0]?.certificate.subject).toBe(
      'CN=Zoë Müller-Łukasz,OU=東京オフィス,O=Société Exemple SA,L=Zürich,C=CH',
    );
    expect(result.chain[0]?.signature).toBe('valid');
  });

  it(
    'lets WebCrypto derive PBKDF2 from an empty ' + 'password, as empty-password PKCS#12 needs',
    async () => {
      const key = await crypto.subtle.importKey('raw', new Uint8Array(), 'PBKDF2', false, [
        'deriveBits',
      ]);
      const params = { name: 'PBKDF2', salt: new Uint8Array(8), iterations: 2048, hash: 'SHA-256' };
      expect((await crypto.subtle.deriveBits(params, key, 256)).byteLength).toBe(32);
    },
  );

  it('marks the expired case expired', async () => {
    const result = await importCertificate(await fixture('cert-07-expired.pem'), { now: NOW });
    expect(result.chain[0]?.validity.state).toBe('expired');
  });
});
