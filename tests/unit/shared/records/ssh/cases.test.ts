import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../../../shared/errors.ts';
import {
  attachSshCertificate,
  importSsh,
  importSshPrivateKey,
  parseSshPublicKeys,
} from '../../../../../shared/records/ssh/index.ts';

// The ssh-* cases of the shared case library (tests/fixtures/ssh, copied with their
// expected.txt). Each expectation below is read from the case's expected.txt, so a changed
// fixture or a changed expectation shows up here.
const dir = join(import.meta.dirname, '../../../../fixtures/ssh');
const fixture = (name: string) => readFileSync(join(dir, name), 'utf8');
const expected = (id: string) => fixture(`${id}.expected.txt`);

/** The first `SHA256:...` in a case's expected text (the key's fingerprint). */
function expectedFingerprint(id: string, index = 0): string {
  const all = expected(id).match(/SHA256:[A-Za-z0-9+/]{43}/g) ?? [];
  const value = all[index];
  if (value === undefined) throw new Error(`no fingerprint in ${id}.expected.txt`);
  return value;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('ssh cases from the shared case library', () => {
  it('ssh-01: keeps the whole multi-word comment and matches the .pub file', async () => {
    const key = await importSshPrivateKey(fixture('ssh-01-ed25519-comment-spaces.key'));
    expect(key.fingerprint).toBe(expectedFingerprint('ssh-01'));
    expect(expected('ssh-01')).toContain(`'${key.comment}'`);
    expect(key.comment).toBe('alice@example.com work laptop');
    expect(key.type).toBe('ssh-ed25519');
    expect(key.bits).toBe(256);
    const [pub] = parseSshPublicKeys(fixture('ssh-01-ed25519-comment-spaces.pub'));
    expect(pub?.fingerprint).toBe(key.fingerprint);
    expect(pub?.comment).toBe(key.comment);
    expect(`${key.publicKey}\n`).toBe(fixture('ssh-01-ed25519-comment-spaces.pub'));
  });

  it('ssh-02: decrypts bcrypt + aes256-ctr with the passphrase and names a wrong one', async () => {
    const text = fixture('ssh-02-ed25519-bcrypt.key');
    const key = await importSshPrivateKey(text, { passphrase: 'Sample-Pass-2024!' });
    expect(key.fingerprint).toBe(expectedFingerprint('ssh-02'));
    expect(key.encrypted).toBe(true);
    expect(key.type).toBe('ssh-ed25519');
    const wrong = await rejection(importSshPrivateKey(text, { passphrase: 'wrong' }));
    expect(isCofferError(wrong, 'wrong_passphrase')).toBe(true);
    const missing = await rejection(importSshPrivateKey(text));
    expect(isCofferError(missing, 'passphrase_required')).toBe(true);
  });

  it('ssh-03: accepts CRLF line endings and stores the key with LF', async () => {
    const text = fixture('ssh-03-rsa-crlf.key');
    expect(text).toContain('\r\n');
    const key = await importSshPrivateKey(text);
    expect(key.fingerprint).toBe(expectedFingerprint('ssh-03'));
    expect(key.type).toBe('ssh-rsa');
    expect(key.bits).toBe(3072);
    expect(key.comment).toBe('deploy@example.com');
    expect(key.privateKey).not.toContain('\r');
    expect(key.privateKey).toBe(text.replace(/\r\n/g, '\n'));
  });

  it('ssh-04: accepts a key without final newline and stores it with one', async () => {
    const text = fixture('ssh-04-ed25519-no-final-newline.key');
    expect(text.endsWith('\n')).toBe(false);
    const key = await importSshPrivateKey(text);
    expect(key.fingerprint).toBe(expectedFingerprint('ssh-04'));
    expect(key.privateKey).toBe(`${text}\n`);
  });

  it('ssh-05: imports PKCS #1 "BEGIN RSA PRIVATE KEY" as RSA 2048 without comment', async () => {
    const key = await importSshPrivateKey(fixture('ssh-05-rsa-pkcs1.pem'));
    expect(key.fingerprint).toBe(expectedFingerprint('ssh-05'));
    expect(key.format).toBe('pkcs1');
    expect(key.bits).toBe(2048);
    expect(key.comment).toBe('');
    expect(key.publicKey).toMatch(/^ssh-rsa AAAA[A-Za-z0-9+/=]+$/);
  });

  it('ssh-07: decrypts PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC PKCS #8', async () => {
    const text = fixture('ssh-07-rsa-pkcs8-encrypted.pem');
    const key = await importSshPrivateKey(text, { passphrase: 'pkcs8-pass-07' });
    expect(key.fingerprint).toBe(expectedFingerprint('ssh-07'));
    expect(key.format).toBe('pkcs8');
    expect(key.bits).toBe(2048);
    const wrong = await rejection(importSshPrivateKey(text, { passphrase: 'pkcs8-pass-08' }));
    expect(isCofferError(wrong, 'wrong_passphrase')).toBe(true);
  });

  it('ssh-09: reads ECDSA P-384 private and public keys with type, bits and comment', async () => {
    const key = await importSshPrivateKey(fixture('ssh-09-ecdsa-p384.key'));
    expect(key.type).toBe('ecdsa-sha2-nistp384');
    expect(expected('ssh-09')).toContain(`${key.bits} bits`);
    expect(key.fingerprint).toBe(expectedFingerprint('ssh-09'));
    expect(key.comment).toBe('ops@example.com');
    const [pub] = parseSshPublicKeys(fixture('ssh-09-ecdsa-p384.pub'));
    expect(pub?.fingerprint).toBe(key.fingerprint);
  });

  it(
    'ssh-11: imports PuTTY v2 unencrypted RSA ' + 'and verifies its HMAC-SHA1 Private-MAC',
    async () => {
      const text = fixture('ssh-11-rsa-ppk-v2.ppk');
      const key = await importSshPrivateKey(text);
      expect(key.fingerprint).toBe(expectedFingerprint('ssh-11'));
      expect(key.format).toBe('putty');
      expect(key.bits).toBe(2048);
      expect(key.comment).toBe('rsa-key-alice');
      const altered = text.replace('Comment: rsa-key-alice', 'Comment: rsa-key-mallory');
      const error = await rejection(importSshPrivateKey(altered));
      expect(isCofferError(error, 'ssh_key_damaged')).toBe(true);
    },
  );

  it('ssh-12: decrypts PuTTY v3 Argon2id and reports a wrong passphrase as such', async () => {
    const text = fixture('ssh-12-ed25519-ppk-v3-argon2id.ppk');
    const key = await importSshPrivateKey(text, { passphrase: 'ppk3-pass-12' });
    expect(key.fingerprint).toBe(expectedFingerprint('ssh-12'));
    expect(key.type).toBe('ssh-ed25519');
    expect(key.comment).toBe('ed25519-key-alice');
    const wrong = await rejection(importSshPrivateKey(text, { passphrase: 'ppk3-pass-13' }));
    expect(isCofferError(wrong, 'wrong_passphrase')).toBe(true);
  });

  it('ssh-14: finds the one key of an authorized_keys file, quoted options intact', () => {
    const keys = parseSshPublicKeys(fixture('ssh-14-authorized-keys-options.txt'));
    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(expected('ssh-14')).toContain(`options='${key?.options}'`);
    expect(key?.options).toBe('from="192.0.2.0/24",no-pty,command="/usr/bin/backup --quiet"');
    expect(key?.type).toBe('ssh-ed25519');
    expect(key?.fingerprint).toBe(expectedFingerprint('ssh-14'));
    expect(key?.comment).toBe('backup key for host-a (example)');
    expect(key?.line).toBe(3);
  });

  it('ssh-16: parses the user certificate and attaches it to its private key', async () => {
    const certText = fixture('ssh-16-ed25519-with-cert-cert.pub');
    const key = await importSshPrivateKey(fixture('ssh-16-ed25519-with-cert.key'));
    const withCert = attachSshCertificate(key, certText);
    const cert = withCert.certificate;
    expect(cert?.certType).toBe('ssh-ed25519-cert-v01@openssh.com');
    expect(cert?.kind).toBe('user');
    expect(cert?.key.fingerprint).toBe(expectedFingerprint('ssh-16', 0));
    expect(key.fingerprint).toBe(expectedFingerprint('ssh-16', 0));
    expect(cert?.caFingerprint).toBe(expectedFingerprint('ssh-16', 1));
    expect(cert?.keyId).toBe('alice-2025');
    expect(cert?.serial).toBe('42');
    expect(cert?.principals).toEqual(['alice', 'deploy']);
    expect(cert?.validAfter?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(cert?.validBefore?.toISOString()).toBe('2035-01-01T00:00:00.000Z');
    expect(cert?.signatureValid).toBe(true);
    expect(cert?.extensions).toContain('permit-pty');
    expect(cert?.criticalOptions).toEqual([]);
    expect(cert?.certificate).toBe(certText);

    const [pub] = parseSshPublicKeys(fixture('ssh-16-ed25519-with-cert.pub'));
    expect(pub?.fingerprint).toBe(key.fingerprint);
    const auto = await importSsh(certText);
    expect(auto.kind === 'public-keys' && auto.keys[0]?.certificate?.keyId).toBe('alice-2025');
  });

  it('ssh-16: refuses to attach the certificate to a different key', async () => {
    const other = await importSshPrivateKey(fixture('ssh-01-ed25519-comment-spaces.key'));
    const certText = fixture('ssh-16-ed25519-with-cert-cert.pub');
    expect(() => attachSshCertificate(other, certText)).toThrow(
      expect.objectContaining({ code: 'ssh_certificate_mismatch' }),
    );
  });
});
