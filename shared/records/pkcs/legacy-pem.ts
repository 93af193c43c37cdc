/**
 * "Traditional" OpenSSL PEM encryption (RFC 1421 headers): `Proc-Type: 4,ENCRYPTED` and
 * `DEK-Info: <cipher>,<hex IV>`, the key derived by EVP_BytesToKey with MD5 and one iteration,
 * the IV's first 8 bytes serving as salt. Weak by design; Coffer only reads it.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { concatBytes, utf8 } from '../../crypto/bytes.ts';
import { CofferError } from '../../errors.ts';
import { cbcBlockSize, cbcDecrypt, type CbcCipher } from './cbc.ts';
import type { PbePolicy } from './pbe.ts';

const DEK_CIPHERS: Readonly<Record<string, { cipher: CbcCipher; keyLength: number }>> = {
  'AES-128-CBC': { cipher: 'AES-CBC', keyLength: 16 },
  'AES-192-CBC': { cipher: 'AES-CBC', keyLength: 24 },
  'AES-256-CBC': { cipher: 'AES-CBC', keyLength: 32 },
  'DES-EDE3-CBC': { cipher: '3DES-CBC', keyLength: 24 },
  'DES-CBC': { cipher: 'DES-CBC', keyLength: 8 },
};

export function isLegacyEncrypted(headers: ReadonlyMap<string, string>): boolean {
  return (headers.get('Proc-Type') ?? '').replace(/\s/g, '').toUpperCase() === '4,ENCRYPTED';
}

/** OpenSSL's EVP_BytesToKey(MD5, count = 1): D_i = MD5(D_(i-1) ‖ password ‖ salt). */
function bytesToKey(password: Uint8Array, salt: Uint8Array, length: number): Uint8Array {
  let block: Uint8Array = new Uint8Array(0);
  let out: Uint8Array = new Uint8Array(0);
  while (out.length < length) {
    block = md5(concatBytes(block, password, salt));
    out = concatBytes(out, block);
  }
  return out.subarray(0, length);
}

export interface LegacyPemScheme {
  /** Throws DecryptionFailed when the result is not valid plaintext (a wrong passphrase). */
  decrypt(passphrase: string): Uint8Array;
}

/**
 * Reads and checks the DEK-Info header and the body's length, so that damage and unsupported
 * ciphers are reported before a passphrase is asked for. `what` names the block in messages.
 */
export function readLegacyPem(
  headers: ReadonlyMap<string, string>,
  body: Uint8Array,
  what: string,
  policy: PbePolicy = { weakCiphers: true },
): LegacyPemScheme {
  const dekInfo = headers.get('DEK-Info');
  if (dekInfo === undefined) {
    throw new CofferError('pem_block_damaged', `${what} is encrypted but has no DEK-Info header.`);
  }
  const [name = '', ivHex = ''] = dekInfo.split(',').map((part) => part.trim());
  const upper = name.toUpperCase();
  const spec = Object.hasOwn(DEK_CIPHERS, upper) ? DEK_CIPHERS[upper] : undefined;
  if (spec === undefined || (!policy.weakCiphers && spec.cipher === 'DES-CBC')) {
    // The name comes from the file: quoted only when it is short and plain.
    const shown = /^[A-Za-z0-9-]{1,40}$/.test(name) ? name : name === '' ? 'none named' : '?';
    throw new CofferError(
      'unsupported_algorithm',
      `${what} is encrypted with an unsupported cipher (${shown}).`,
    );
  }
  const blockSize = cbcBlockSize(spec.cipher);
  if (!/^[0-9a-fA-F]*$/.test(ivHex) || ivHex.length !== blockSize * 2) {
    throw new CofferError('pem_block_damaged', `${what} has a DEK-Info header without a valid IV.`);
  }
  if (body.length === 0 || body.length % blockSize !== 0) {
    // A cut-off body would otherwise look like a wrong passphrase.
    throw new CofferError(
      'pem_block_damaged',
      `${what} is truncated: its ciphertext is not whole blocks.`,
    );
  }
  const iv = Uint8Array.from(ivHex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
  return {
    decrypt: (passphrase) => {
      const key = bytesToKey(utf8(passphrase), iv.subarray(0, 8), spec.keyLength);
      return cbcDecrypt(spec.cipher, key, iv, body);
    },
  };
}
