import { CofferError } from '../../errors.ts';
import { bytesEqual, fromUtf8, SshReader, SshWriter, utf8 } from './bytes.ts';
import { keyFileCipher } from './ciphers.ts';
import { bcryptKdf } from './kdf.ts';
import {
  decodePublicBlob,
  encodePublicBlob,
  publicEqual,
  publicOf,
  readPrivateFields,
  writePrivateFields,
} from './key-material.ts';
import type { SshPrivateMaterial } from './key-material.ts';
import { toPem } from '../pkcs/pem.ts';

/**
 * The OpenSSH private key format, "openssh-key-v1" (OpenSSH PROTOCOL.key): a header naming
 * cipher and KDF, the public key in clear, and a private section whose two equal random check
 * words reveal a wrong passphrase without any MAC.
 */

const MAGIC = utf8('openssh-key-v1\0');
const LABEL = 'OPENSSH PRIVATE KEY';
export const DEFAULT_BCRYPT_ROUNDS = 16;

export interface OpenSshKeyFile {
  readonly key: SshPrivateMaterial;
  readonly comment: string;
  readonly encrypted: boolean;
}

export function parseOpenSshPrivateKey(body: Uint8Array, passphrase?: string): OpenSshKeyFile {
  if (body.length < MAGIC.length || !bytesEqual(body.subarray(0, MAGIC.length), MAGIC)) {
    throw new CofferError('ssh_key_damaged', 'The OpenSSH key does not start with openssh-key-v1');
  }
  const r = new SshReader(body.subarray(MAGIC.length), 'The OpenSSH key header');
  const cipherName = fromUtf8(r.string(), 'The OpenSSH cipher name');
  const kdfName = fromUtf8(r.string(), 'The OpenSSH KDF name');
  const kdfOptions = r.string();
  const count = r.uint32();
  if (count !== 1) {
    throw new CofferError(
      'unsupported_algorithm',
      `OpenSSH key files with ${count} keys are not supported`,
    );
  }
  const publicBlob = r.string();
  const sealed = r.string();
  const encrypted = cipherName !== 'none';
  let section: Uint8Array;
  if (!encrypted) {
    if (kdfName !== 'none') {
      throw new CofferError('ssh_key_damaged', 'The OpenSSH key has a KDF but no cipher');
    }
    r.end();
    section = sealed;
  } else {
    section = decryptSection(cipherName, kdfName, kdfOptions, sealed, r, passphrase);
  }
  const publicKey = decodePublicBlob(publicBlob, 'The OpenSSH public key');
  const p = new SshReader(section, 'The OpenSSH private section');
  const check1 = p.uint32();
  const check2 = p.uint32();
  if (check1 !== check2) {
    if (encrypted) throw new CofferError('wrong_passphrase', 'Wrong passphrase for this SSH key');
    throw new CofferError('ssh_key_damaged', 'The OpenSSH private section check words differ');
  }
  const key = readPrivateFields(p);
  const comment = p.text();
  const padding = p.raw(p.remaining);
  if (!padding.every((byte, i) => byte === ((i + 1) & 0xff))) {
    throw new CofferError('ssh_key_damaged', 'The OpenSSH private section padding is wrong');
  }
  if (!publicEqual(publicKey, publicOf(key))) {
    throw new CofferError('ssh_key_damaged', 'The OpenSSH public and private keys do not match');
  }
  return { key, comment, encrypted };
}

function decryptSection(
  cipherName: string,
  kdfName: string,
  kdfOptions: Uint8Array,
  sealed: Uint8Array,
  r: SshReader,
  passphrase: string | undefined,
): Uint8Array {
  const cipher = keyFileCipher(cipherName, 'OpenSSH key');
  if (kdfName !== 'bcrypt') {
    const shown = /^[\x21-\x7e]{1,32}$/.test(kdfName) ? kdfName : '(unreadable)';
    throw new CofferError('unsupported_algorithm', `OpenSSH key KDF ${shown} is not supported`);
  }
  const tag = r.raw(cipher.tagLength);
  r.end();
  if (sealed.length % cipher.blockSize !== 0) {
    throw new CofferError('ssh_key_damaged', 'The OpenSSH encrypted section has a partial block');
  }
  const o = new SshReader(kdfOptions, 'The OpenSSH bcrypt options');
  const salt = o.string();
  const rounds = o.uint32();
  o.end();
  if (passphrase === undefined || passphrase === '') {
    throw new CofferError('passphrase_required', 'This SSH key is encrypted: enter its passphrase');
  }
  const derived = bcryptKdf(utf8(passphrase), salt, rounds, cipher.keyLength + cipher.ivLength);
  const plain = cipher.decrypt(
    derived.subarray(0, cipher.keyLength),
    derived.subarray(cipher.keyLength),
    sealed,
    tag,
  );
  if (plain === null)
    throw new CofferError('wrong_passphrase', 'Wrong passphrase for this SSH key');
  return plain;
}

export interface OpenSshWriteOptions {
  readonly passphrase?: string;
  readonly rounds?: number;
  readonly cipher?: string;
}

/** Writes the key as OpenSSH does: 70-column base64, LF endings, final newline. */
export function writeOpenSshPrivateKey(
  key: SshPrivateMaterial,
  comment: string,
  options: OpenSshWriteOptions = {},
): string {
  const encrypted = options.passphrase !== undefined && options.passphrase !== '';
  const cipherName = encrypted ? (options.cipher ?? 'aes256-ctr') : 'none';
  const cipher = encrypted ? keyFileCipher(cipherName, 'OpenSSH key') : undefined;
  const blockSize = cipher?.blockSize ?? 8;
  const check = new Uint32Array(1);
  globalThis.crypto.getRandomValues(check);
  const section = writePrivateFields(
    new SshWriter().uint32(check[0] ?? 0).uint32(check[0] ?? 0),
    key,
  ).string(comment);
  const unpadded = section.bytes();
  const padLength = (blockSize - (unpadded.length % blockSize)) % blockSize;
  section.raw(Uint8Array.from({ length: padLength }, (_, i) => i + 1));
  let sealed: Uint8Array = section.bytes();
  let kdfName = 'none';
  let kdfOptions: Uint8Array = new Uint8Array(0);
  if (cipher !== undefined && options.passphrase !== undefined) {
    const rounds = options.rounds ?? DEFAULT_BCRYPT_ROUNDS;
    const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
    kdfName = 'bcrypt';
    kdfOptions = new SshWriter().string(salt).uint32(rounds).bytes();
    const derived = bcryptKdf(
      utf8(options.passphrase),
      salt,
      rounds,
      cipher.keyLength + cipher.ivLength,
    );
    sealed = cipher.encrypt(
      derived.subarray(0, cipher.keyLength),
      derived.subarray(cipher.keyLength),
      sealed,
    );
  }
  const tagLength = cipher?.tagLength ?? 0;
  const file = new SshWriter()
    .raw(MAGIC)
    .string(cipherName)
    .string(kdfName)
    .string(kdfOptions)
    .uint32(1)
    .string(encodePublicBlob(publicOf(key)))
    // The AEAD tag follows the encrypted section outside its length prefix (PROTOCOL.key).
    .string(sealed.subarray(0, sealed.length - tagLength))
    .raw(sealed.subarray(sealed.length - tagLength))
    .bytes();
  return toPem(LABEL, file, 70);
}
