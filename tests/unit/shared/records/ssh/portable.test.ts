import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../../../shared/errors.ts';
import {
  exportOpenSshPrivateKey,
  generateSshKey,
  importSshPrivateKey,
  parseSshPublicKeys,
} from '../../../../../shared/records/ssh/index.ts';
import ecChacha from '../../../../fixtures/ssh/generated/ec-chacha.key?raw';
import ecFingerprint from '../../../../fixtures/ssh/generated/ec.fingerprint?raw';
import rsaDes3 from '../../../../fixtures/ssh/generated/rsa-pkcs1-des3.pem?raw';
import rsaFingerprint from '../../../../fixtures/ssh/generated/rsa.fingerprint?raw';
import rsaScrypt from '../../../../fixtures/ssh/generated/rsa-pkcs8-scrypt.pem?raw';
import rsaSha13des from '../../../../fixtures/ssh/generated/rsa-pkcs8-sha1-3des.pem?raw';
import ppkV3 from '../../../../fixtures/ssh/ssh-12-ed25519-ppk-v3-argon2id.ppk?raw';
import ppkV3Expected from '../../../../fixtures/ssh/ssh-12.expected.txt?raw';
import bcryptKey from '../../../../fixtures/ssh/ssh-02-ed25519-bcrypt.key?raw';
import bcryptExpected from '../../../../fixtures/ssh/ssh-02.expected.txt?raw';
import cert from '../../../../fixtures/ssh/ssh-16-ed25519-with-cert-cert.pub?raw';

// No Node modules here: this suite exercises every third-party primitive the SSH code uses
// (bcrypt-pbkdf, noble Argon2id/scrypt/ChaCha/AES, node-forge 3DES, WebCrypto PBKDF2 and RSA
// generation) so it can run unchanged in a browser as well as in Node.
const PASS = 'portable-pass-1';
const fingerprintIn = (text: string) => /SHA256:[A-Za-z0-9+/]{43}/.exec(text)?.[0];

describe('SSH keys with only web-platform APIs', () => {
  it('bcrypt-kdf (bcrypt-pbkdf package) opens an OpenSSH key', async () => {
    const key = await importSshPrivateKey(bcryptKey, { passphrase: 'Sample-Pass-2024!' });
    expect(key.fingerprint).toBe(fingerprintIn(bcryptExpected));
  });

  it('Argon2id (noble) opens a PuTTY v3 key', async () => {
    const key = await importSshPrivateKey(ppkV3, { passphrase: 'ppk3-pass-12' });
    expect(key.fingerprint).toBe(fingerprintIn(ppkV3Expected));
  });

  it('3DES (node-forge), scrypt (noble) and PKCS #12 PBE open OpenSSL keys', async () => {
    for (const text of [rsaDes3, rsaScrypt, rsaSha13des]) {
      const key = await importSshPrivateKey(text, { passphrase: PASS });
      expect(key.fingerprint).toBe(rsaFingerprint.trim());
    }
    const wrong = await importSshPrivateKey(rsaDes3, { passphrase: 'nope' }).catch((e) => e);
    expect(isCofferError(wrong, 'wrong_passphrase')).toBe(true);
  });

  it('ChaCha20-Poly1305 (noble) opens an OpenSSH key', async () => {
    const key = await importSshPrivateKey(ecChacha, { passphrase: PASS });
    expect(key.fingerprint).toBe(ecFingerprint.trim());
    expect(key.comment).toBe('portable@example.com');
  });

  it('generates RSA 3072 through WebCrypto and Ed25519, and re-imports both', async () => {
    for (const spec of [{ type: 'rsa', bits: 3072 } as const, { type: 'ed25519' } as const]) {
      const key = await generateSshKey(spec, { comment: 'alice', passphrase: PASS, rounds: 4 });
      const again = await importSshPrivateKey(key.privateKey, { passphrase: PASS });
      expect(again.fingerprint).toBe(key.fingerprint);
      const plain = await importSshPrivateKey(exportOpenSshPrivateKey(key));
      expect(plain.publicKey).toBe(key.publicKey);
    }
  }, 60_000);

  it('verifies an Ed25519 CA signature on a certificate', () => {
    expect(parseSshPublicKeys(cert)[0]?.certificate?.signatureValid).toBe(true);
  });
});
