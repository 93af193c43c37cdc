import { argon2dAsync, argon2iAsync, argon2idAsync } from '@noble/hashes/argon2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CofferError } from '../../errors.ts';
import {
  bytesEqual,
  concatBytes,
  fromBase64,
  fromHex,
  SshReader,
  SshWriter,
  utf8,
} from './bytes.ts';
import { keyFileCipher } from './ciphers.ts';
import {
  decodePublicBlob,
  ecdsaFromScalar,
  ed25519FromSeed,
  isEcdsaType,
  rsaFromParts,
  unsupportedKeyType,
} from './key-material.ts';
import type { SshPrivateMaterial } from './key-material.ts';

/**
 * PuTTY private key files, versions 2 and 3 (PuTTY manual appendix C). The Private-MAC covers
 * algorithm, encryption, comment, public blob and the decrypted private blob; with a passphrase
 * its key depends on the passphrase, so a mismatch is reported as a wrong passphrase, never as
 * an unsupported file (dlech/KeeAgent#316).
 */

export interface PpkKeyFile {
  readonly key: SshPrivateMaterial;
  readonly comment: string;
  readonly encrypted: boolean;
  readonly version: 2 | 3;
}

/** Argon2 limits: PuTTY's defaults are 8 MiB and a pass count tuned to ~100 ms in C. */
const ARGON2_MAX_MEMORY_KIB = 256 * 1024;
const ARGON2_MAX_PASSES = 1000;
const ARGON2_MAX_PARALLELISM = 16;
/**
 * Memory times passes is the work (lanes only split the memory). Each cap alone still let a
 * crafted file ask for 256 MiB × 1000 passes: about an hour of the pure-JavaScript Argon2 here
 * (≈14 ms per MiB-pass). 1 GiB-pass is ≈15 s, in line with the bcrypt cap (kdf.ts), and far
 * above PuTTYgen's defaults (8 MiB, passes tuned to 100 ms of native code).
 */
const ARGON2_MAX_WORK_KIB_PASSES = 1024 * 1024;

class PpkLines {
  private index = 0;
  constructor(private readonly lines: string[]) {}

  header(name: string): string {
    const line = this.lines[this.index] ?? '';
    const prefix = `${name}: `;
    if (!line.startsWith(prefix)) {
      throw new CofferError(
        'ssh_key_damaged',
        `The PuTTY key has no "${name}" line where expected`,
      );
    }
    this.index += 1;
    return line.slice(prefix.length);
  }

  peekHeaderName(): string {
    return /^([A-Za-z0-9-]+): /.exec(this.lines[this.index] ?? '')?.[1] ?? '';
  }

  base64Block(name: string): Uint8Array {
    const countText = this.header(name);
    const count = /^\d{1,4}$/.test(countText) ? Number(countText) : -1;
    if (count < 0 || this.index + count > this.lines.length) {
      throw new CofferError('ssh_key_damaged', `The PuTTY key ${name} count is invalid`);
    }
    const text = this.lines.slice(this.index, this.index + count).join('');
    this.index += count;
    return fromBase64(
      text.replace(/\s+/g, ''),
      `The PuTTY key ${name.replace('-Lines', '')} block`,
    );
  }
}

interface PpkDerivation {
  readonly kind: 'Argon2id' | 'Argon2i' | 'Argon2d';
  readonly memory: number;
  readonly passes: number;
  readonly parallelism: number;
  readonly salt: Uint8Array;
}

function readDerivation(lines: PpkLines): PpkDerivation {
  const kind = lines.header('Key-Derivation');
  if (kind !== 'Argon2id' && kind !== 'Argon2i' && kind !== 'Argon2d') {
    throw new CofferError('unsupported_algorithm', 'PuTTY key derivation is not Argon2');
  }
  const number = (name: string, max: number): number => {
    const text = lines.header(name);
    const value = /^\d{1,10}$/.test(text) ? Number(text) : 0;
    if (value < 1) throw new CofferError('ssh_key_damaged', `The PuTTY key ${name} is invalid`);
    if (value > max) {
      throw new CofferError('kdf_parameters_too_costly', `The PuTTY key ${name} is above ${max}`);
    }
    return value;
  };
  const memory = number('Argon2-Memory', ARGON2_MAX_MEMORY_KIB);
  const passes = number('Argon2-Passes', ARGON2_MAX_PASSES);
  const parallelism = number('Argon2-Parallelism', ARGON2_MAX_PARALLELISM);
  if (memory * passes > ARGON2_MAX_WORK_KIB_PASSES) {
    throw new CofferError(
      'kdf_parameters_too_costly',
      `The PuTTY key asks for Argon2 with ${memory} KiB × ${passes} passes; Coffer accepts at ` +
        `most ${ARGON2_MAX_WORK_KIB_PASSES} KiB-passes`,
    );
  }
  const salt = fromHex(lines.header('Argon2-Salt'), 'The PuTTY Argon2 salt');
  return { kind, memory, passes, parallelism, salt };
}

async function argon2(kind: PpkDerivation['kind'], password: Uint8Array, d: PpkDerivation) {
  const opts = { t: d.passes, m: d.memory, p: d.parallelism, dkLen: 80, asyncTick: 50 };
  if (kind === 'Argon2id') return argon2idAsync(password, d.salt, opts);
  if (kind === 'Argon2i') return argon2iAsync(password, d.salt, opts);
  return argon2dAsync(password, d.salt, opts);
}

/** v2: SHA-1 based key and MAC key (PuTTY sshpubk.c, "putty-private-key-file-mac-key"). */
function v2Keys(passphrase: Uint8Array): { key: Uint8Array; iv: Uint8Array; macKey: Uint8Array } {
  const counter = (n: number) => new SshWriter().uint32(n).raw(passphrase).bytes();
  return {
    key: concatBytes(sha1(counter(0)), sha1(counter(1))).subarray(0, 32),
    iv: new Uint8Array(16),
    macKey: sha1(concatBytes(utf8('putty-private-key-file-mac-key'), passphrase)),
  };
}

export async function parsePpk(text: string, passphrase: string | undefined): Promise<PpkKeyFile> {
  const all = text.split('\n').map((line) => line.trimEnd());
  const head = /^PuTTY-User-Key-File-(\d+): (\S+)$/.exec(all[0] ?? '');
  if (head === null)
    throw new CofferError('ssh_key_damaged', 'The PuTTY key header line is damaged');
  const version = head[1] === '2' ? 2 : head[1] === '3' ? 3 : undefined;
  if (version === undefined) {
    throw new CofferError(
      'unsupported_algorithm',
      'Only PuTTY key files of version 2 and 3 are supported: re-save it with PuTTYgen',
    );
  }
  const algorithm = head[2] ?? '';
  const lines = new PpkLines(all.slice(1));
  const encryption = lines.header('Encryption');
  if (encryption !== 'none' && encryption !== 'aes256-cbc') {
    keyFileCipher(encryption, 'PuTTY key');
    throw new CofferError('unsupported_algorithm', 'PuTTY keys are encrypted with aes256-cbc only');
  }
  const comment = lines.header('Comment');
  const publicBlob = lines.base64Block('Public-Lines');
  const encrypted = encryption !== 'none';
  const derivation = version === 3 && encrypted ? readDerivation(lines) : undefined;
  const sealed = lines.base64Block('Private-Lines');
  const mac = fromHex(lines.header('Private-MAC'), 'The PuTTY Private-MAC');
  if (encrypted && sealed.length % 16 !== 0) {
    throw new CofferError('ssh_key_damaged', 'The PuTTY private block has a partial block');
  }
  if (encrypted && (passphrase === undefined || passphrase === '')) {
    throw new CofferError('passphrase_required', 'This SSH key is encrypted: enter its passphrase');
  }
  const secret = utf8(encrypted ? (passphrase ?? '') : '');
  let keys: { key: Uint8Array; iv: Uint8Array; macKey: Uint8Array };
  if (version === 2) {
    keys = v2Keys(secret);
  } else if (derivation !== undefined) {
    const out = await argon2(derivation.kind, secret, derivation);
    keys = { key: out.subarray(0, 32), iv: out.subarray(32, 48), macKey: out.subarray(48, 80) };
  } else {
    // v3 without encryption: the MAC key is empty, so the MAC only detects accidental damage.
    keys = { key: new Uint8Array(0), iv: new Uint8Array(0), macKey: new Uint8Array(0) };
  }
  const privateBlob = encrypted
    ? (keyFileCipher('aes256-cbc', 'PuTTY key').decrypt(keys.key, keys.iv, sealed, mac) ?? sealed)
    : sealed;
  const fields = { algorithm, encryption, comment, publicBlob, privateBlob };
  const expected = ppkMac(version === 2 ? 'sha1' : 'sha256', keys.macKey, fields);
  if (!bytesEqual(expected, mac)) {
    if (encrypted) throw new CofferError('wrong_passphrase', 'Wrong passphrase for this SSH key');
    throw new CofferError('ssh_key_damaged', 'The PuTTY Private-MAC does not verify: file altered');
  }
  const key = readPrivateBlob(algorithm, publicBlob, privateBlob);
  return { key, comment, encrypted, version };
}

function readPrivateBlob(
  algorithm: string,
  publicBlob: Uint8Array,
  privateBlob: Uint8Array,
): SshPrivateMaterial {
  const pub = decodePublicBlob(publicBlob, 'The PuTTY public key');
  if (pub.type !== algorithm) {
    throw new CofferError('ssh_key_damaged', 'The PuTTY key header and public key types differ');
  }
  // Trailing bytes are the random padding to the cipher block, covered by the MAC.
  const r = new SshReader(privateBlob, 'The PuTTY private key');
  if (pub.type === 'ssh-ed25519') return ed25519FromSeed(r.string(), pub.publicKey);
  if (pub.type === 'ssh-rsa') {
    const d = r.mpint();
    const p = r.mpint();
    const q = r.mpint();
    return rsaFromParts({ n: pub.n, e: pub.e, d, p, q });
  }
  if (isEcdsaType(pub.type)) return ecdsaFromScalar(pub.type, r.mpint(), pub.point);
  throw unsupportedKeyType(algorithm);
}

function ppkMac(
  hash: 'sha1' | 'sha256',
  macKey: Uint8Array,
  fields: {
    algorithm: string;
    encryption: string;
    comment: string;
    publicBlob: Uint8Array;
    privateBlob: Uint8Array;
  },
): Uint8Array {
  const data = new SshWriter()
    .string(fields.algorithm)
    .string(fields.encryption)
    .string(fields.comment)
    .string(fields.publicBlob)
    .string(fields.privateBlob)
    .bytes();
  return hmac(hash === 'sha1' ? sha1 : sha256, macKey, data);
}
