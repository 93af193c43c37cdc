import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Test-time values the journey types into the app and later searches for where it must not.

/** A password no dictionary holds, long enough for the strength meter to call it strong. */
export function testPassword(prefix: string): string {
  return `${prefix}-${randomBytes(15).toString('base64url')}`;
}

export interface TestCertificate {
  /** One PEM file holding the certificate and its private key, as a server's TLS files are. */
  readonly file: string;
  readonly commonName: string;
  /** The P-256 private scalar: the key material itself, whatever encoding it is stored in. */
  readonly privateScalar: Uint8Array;
}

/** A self-signed P-256 certificate for a fake host, made with openssl in `dir`. */
export function makeCertificate(dir: string, commonName: string): TestCertificate {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '30',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      `subjectAltName=DNS:${commonName}`,
    ],
    { stdio: 'ignore' },
  );
  const keyPem = readFileSync(keyFile, 'utf8');
  const file = join(dir, `${commonName}.pem`);
  writeFileSync(file, readFileSync(certFile, 'utf8') + keyPem);
  const jwk = createPrivateKey(keyPem).export({ format: 'jwk' });
  if (typeof jwk.d !== 'string') throw new Error('openssl made no EC private key');
  return { file, commonName, privateScalar: new Uint8Array(Buffer.from(jwk.d, 'base64url')) };
}

/** Reads one length-prefixed string of the OpenSSH key format (PROTOCOL.key). */
function sshString(buffer: Buffer, at: number): { value: Buffer; next: number } {
  const length = buffer.readUInt32BE(at);
  return { value: buffer.subarray(at + 4, at + 4 + length), next: at + 4 + length };
}

/**
 * The 32-byte seed of an unencrypted Ed25519 key in OpenSSH's format (openssh PROTOCOL.key):
 * magic, cipher, kdf, kdf options, key count, public key, then the private section with two
 * check words, the key type, the public key and the 64-byte private key (seed ‖ public).
 */
export function ed25519Seed(opensshPem: string): Uint8Array {
  const body = opensshPem
    .replace(/-----(BEGIN|END) OPENSSH PRIVATE KEY-----/g, '')
    .replace(/\s+/g, '');
  const blob = Buffer.from(body, 'base64');
  const magic = 'openssh-key-v1\0';
  if (blob.subarray(0, magic.length).toString('latin1') !== magic) {
    throw new Error('not an OpenSSH private key');
  }
  let at = magic.length;
  const cipher = sshString(blob, at);
  if (cipher.value.toString() !== 'none') throw new Error('the key is encrypted');
  at = sshString(blob, cipher.next).next; // kdf name
  at = sshString(blob, at).next; // kdf options
  at += 4; // number of keys: 1
  at = sshString(blob, at).next; // public key
  const section = sshString(blob, at).value;
  let inner = 8; // two check words
  const type = sshString(section, inner);
  if (type.value.toString() !== 'ssh-ed25519') throw new Error('not an Ed25519 key');
  inner = sshString(section, type.next).next; // public key
  const secret = sshString(section, inner).value;
  const seed = secret.subarray(0, 32);
  // Parsed right only if the seed yields the public key stored beside it.
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({
    format: 'jwk',
  });
  if (jwk.x !== secret.subarray(32, 64).toString('base64url')) {
    throw new Error('the Ed25519 seed does not match its public key');
  }
  return new Uint8Array(seed);
}
