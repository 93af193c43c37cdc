import { CofferError } from '../../errors.ts';
import { parsePkcs1PrivateKey, parsePkcs8PrivateKey, parseSec1PrivateKey } from './asn1-keys.ts';
import { isCertificateType } from './certificate.ts';
import type { SshCertificate } from './certificate.ts';
import { describeKey } from './fingerprint.ts';
import type { SshKeyInfo } from './fingerprint.ts';
import { publicOf } from './key-material.ts';
import type { SshPrivateMaterial } from './key-material.ts';
import { parseOpenSshPrivateKey, writeOpenSshPrivateKey } from './openssh-private.ts';
import type { OpenSshWriteOptions } from './openssh-private.ts';
import { isLegacyEncrypted } from '../pkcs/legacy-pem.ts';
import { decryptLegacyPem, decryptPkcs8 } from './encrypted-pem.ts';
import { parsePpk } from './ppk.ts';
import { parseSshPublicKeys } from './public-keys.ts';
import type { SshPublicKeyEntry } from './public-keys.ts';
import { canonicalText, normaliseLineEndings, pemLabels, readPemBlock } from './text.ts';

/**
 * One entry point for whatever the user pastes or picks: the format is detected from the text,
 * never from a file name. Private keys come back with their facts, the normalised source text
 * (LF, final newline) to store, and the key material for re-export as OpenSSH.
 */

export type SshPrivateKeyFormat = 'openssh' | 'pkcs1' | 'sec1' | 'pkcs8' | 'putty';

export interface SshPrivateKey extends SshKeyInfo {
  readonly format: SshPrivateKeyFormat;
  /** The source was protected by a passphrase. */
  readonly encrypted: boolean;
  /** The key as imported (still encrypted if it was), LF endings, one final newline. */
  readonly privateKey: string;
  readonly material: SshPrivateMaterial;
  readonly certificate?: SshCertificate;
}

export type SshImport =
  | { readonly kind: 'private-key'; readonly key: SshPrivateKey }
  | { readonly kind: 'public-keys'; readonly keys: readonly SshPublicKeyEntry[] };

export interface SshImportOptions {
  readonly passphrase?: string;
}

const UNSUPPORTED_LABELS: Readonly<Record<string, string>> = {
  'DSA PRIVATE KEY': 'DSA keys are not supported',
};

function privateKey(
  format: SshPrivateKeyFormat,
  material: SshPrivateMaterial,
  comment: string,
  encrypted: boolean,
  text: string,
): SshPrivateKey {
  return {
    ...describeKey(publicOf(material), comment),
    format,
    encrypted,
    privateKey: text,
    material,
  };
}

async function importPem(text: string, label: string, passphrase?: string): Promise<SshPrivateKey> {
  const block = readPemBlock(text, label);
  if (label === 'OPENSSH PRIVATE KEY') {
    const file = parseOpenSshPrivateKey(block.body, passphrase);
    return privateKey('openssh', file.key, file.comment, file.encrypted, block.text);
  }
  if (label === 'PRIVATE KEY') {
    return privateKey('pkcs8', parsePkcs8PrivateKey(block.body), '', false, block.text);
  }
  if (label === 'ENCRYPTED PRIVATE KEY') {
    const der = await decryptPkcs8(block.body, passphrase);
    return privateKey('pkcs8', parsePkcs8PrivateKey(der, 'wrong_passphrase'), '', true, block.text);
  }
  const encrypted = isLegacyEncrypted(block.headers);
  const der = encrypted ? decryptLegacyPem(block, passphrase) : block.body;
  // Decrypted garbage that happens to have valid padding fails the DER parse instead.
  const failCode = encrypted ? 'wrong_passphrase' : undefined;
  const material =
    label === 'RSA PRIVATE KEY'
      ? parsePkcs1PrivateKey(der, failCode)
      : parseSec1PrivateKey(der, undefined, failCode);
  return privateKey(
    label === 'RSA PRIVATE KEY' ? 'pkcs1' : 'sec1',
    material,
    '',
    encrypted,
    block.text,
  );
}

const PRIVATE_LABELS = [
  'OPENSSH PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
];

/** Detects and imports a private key, or public keys / certificates when no private key is there. */
export async function importSsh(input: string, options: SshImportOptions = {}): Promise<SshImport> {
  const text = normaliseLineEndings(input);
  const ppkStart = text.search(/^PuTTY-User-Key-File-/m);
  if (ppkStart >= 0) {
    // The file ends at its Private-MAC line; anything after it (a pasted certificate) is not
    // part of the stored key.
    const tail = text.slice(ppkStart);
    const macLine = /^Private-MAC: .*$/m.exec(tail);
    const end = macLine === null ? tail.length : macLine.index + macLine[0].length;
    const ppkText = canonicalText(tail.slice(0, end));
    const file = await parsePpk(ppkText, options.passphrase);
    const key = privateKey('putty', file.key, file.comment, file.encrypted, ppkText);
    return { kind: 'private-key', key: attachPastedCertificate(key, text) };
  }
  if (/^---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----$/m.test(text)) {
    throw new CofferError(
      'unsupported_algorithm',
      'ssh.com (SECSH) private keys are not supported',
    );
  }
  const labels = pemLabels(text);
  const label = labels.find((candidate) => PRIVATE_LABELS.includes(candidate));
  if (label !== undefined) {
    const key = await importPem(text, label, options.passphrase);
    return { kind: 'private-key', key: attachPastedCertificate(key, text) };
  }
  const unsupported = labels.find((candidate) => Object.hasOwn(UNSUPPORTED_LABELS, candidate));
  if (unsupported !== undefined) {
    throw new CofferError('unsupported_algorithm', UNSUPPORTED_LABELS[unsupported] ?? unsupported);
  }
  const firstLine = text
    .split('\n')
    .find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  if (labels.length > 0 && !labels.some((l) => l.endsWith('PUBLIC KEY'))) {
    throw new CofferError(
      'ssh_format_unrecognised',
      `A PEM block labelled "${labels[0]?.slice(0, 40)}" is not an SSH key`,
    );
  }
  if (firstLine === undefined) {
    throw new CofferError('ssh_format_unrecognised', 'The input is empty: paste an SSH key');
  }
  return { kind: 'public-keys', keys: parseSshPublicKeys(text) };
}

/** Like importSsh, but only a private key is acceptable. */
export async function importSshPrivateKey(
  input: string,
  options: SshImportOptions = {},
): Promise<SshPrivateKey> {
  const result = await importSsh(input, options);
  if (result.kind !== 'private-key') {
    throw new CofferError(
      'ssh_format_unrecognised',
      'This is a public key; the private key is needed here',
    );
  }
  return result.key;
}

/** A certificate pasted below the private key (as `cat id key-cert.pub` does) is attached. */
function attachPastedCertificate(key: SshPrivateKey, text: string): SshPrivateKey {
  const certLine = text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => isCertificateType(line.split(' ', 1)[0] ?? ''));
  return certLine === undefined ? key : attachSshCertificate(key, certLine);
}

/**
 * Attaches an OpenSSH certificate (the `*-cert.pub` text) to its private key. A certificate for
 * another key is refused: it could never be used with this one.
 */
export function attachSshCertificate(key: SshPrivateKey, certificateText: string): SshPrivateKey {
  const entries = parseSshPublicKeys(certificateText);
  const entry = entries[0];
  if (entries.length !== 1 || entry?.certificate === undefined) {
    throw new CofferError('ssh_format_unrecognised', 'Expected exactly one OpenSSH certificate');
  }
  if (entry.fingerprint !== key.fingerprint || entry.type !== key.type) {
    throw new CofferError(
      'ssh_certificate_mismatch',
      `The certificate is for key ${entry.fingerprint}, not for this key (${key.fingerprint})`,
    );
  }
  return { ...key, certificate: entry.certificate };
}

/** Re-exports any imported or generated key in the OpenSSH format, optionally encrypted. */
export function exportOpenSshPrivateKey(
  key: Pick<SshPrivateKey, 'material' | 'comment'>,
  options: OpenSshWriteOptions = {},
): string {
  return writeOpenSshPrivateKey(key.material, key.comment, options);
}
