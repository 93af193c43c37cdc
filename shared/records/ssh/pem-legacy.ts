import { md5 } from '@noble/hashes/legacy.js';
import { CofferError } from '../../errors.ts';
import { concatBytes, fromHex, utf8 } from './bytes.ts';
import { cbcDecryptRaw, unpadPkcs7 } from './ciphers.ts';
import type { PemBlock } from './text.ts';

/**
 * "Traditional" OpenSSL PEM encryption (RFC 1421 headers): `Proc-Type: 4,ENCRYPTED` and
 * `DEK-Info: <cipher>,<hex IV>`, the key derived by EVP_BytesToKey with MD5, one iteration,
 * and the IV's first 8 bytes as salt. Weak by design; Coffer only reads it.
 */

interface DekCipher {
  readonly algorithm: 'aes' | 'des-ede3';
  readonly keyLength: number;
  readonly ivLength: number;
}

const DEK_CIPHERS: Readonly<Record<string, DekCipher>> = {
  'AES-128-CBC': { algorithm: 'aes', keyLength: 16, ivLength: 16 },
  'AES-192-CBC': { algorithm: 'aes', keyLength: 24, ivLength: 16 },
  'AES-256-CBC': { algorithm: 'aes', keyLength: 32, ivLength: 16 },
  'DES-EDE3-CBC': { algorithm: 'des-ede3', keyLength: 24, ivLength: 8 },
};

/** EVP_BytesToKey(MD5, count = 1): D_i = MD5(D_(i-1) || password || salt). */
function evpBytesToKey(password: Uint8Array, salt: Uint8Array, length: number): Uint8Array {
  let out: Uint8Array = new Uint8Array(0);
  let previous: Uint8Array = new Uint8Array(0);
  while (out.length < length) {
    previous = md5(concatBytes(previous, password, salt));
    out = concatBytes(out, previous);
  }
  return out.subarray(0, length);
}

export function isLegacyEncrypted(block: PemBlock): boolean {
  return block.headers.get('Proc-Type')?.replace(/\s/g, '') === '4,ENCRYPTED';
}

/** Returns the decrypted DER, or throws wrong_passphrase when the padding is not valid. */
export function decryptLegacyPem(block: PemBlock, passphrase: string | undefined): Uint8Array {
  const dekInfo = block.headers.get('DEK-Info');
  if (dekInfo === undefined) {
    throw new CofferError('pem_block_damaged', `The ${block.label} block has no DEK-Info header`);
  }
  const [name = '', ivHex = ''] = dekInfo.split(',').map((part) => part.trim());
  const cipher = Object.hasOwn(DEK_CIPHERS, name.toUpperCase())
    ? DEK_CIPHERS[name.toUpperCase()]
    : undefined;
  if (cipher === undefined) {
    const shown = /^[A-Za-z0-9-]{1,32}$/.test(name) ? name : '(unreadable)';
    throw new CofferError('unsupported_algorithm', `PEM encryption ${shown} is not supported`);
  }
  const iv = fromHex(ivHex, 'The DEK-Info IV');
  if (iv.length !== cipher.ivLength) {
    throw new CofferError('pem_block_damaged', `The DEK-Info IV for ${name} has the wrong length`);
  }
  if (block.body.length % cipher.ivLength !== 0) {
    throw new CofferError('pem_block_damaged', `The ${block.label} block has a partial block`);
  }
  if (passphrase === undefined || passphrase === '') {
    throw new CofferError('passphrase_required', 'This SSH key is encrypted: enter its passphrase');
  }
  const key = evpBytesToKey(utf8(passphrase), iv.subarray(0, 8), cipher.keyLength);
  const plain = unpadPkcs7(cbcDecryptRaw(cipher.algorithm, key, iv, block.body), cipher.ivLength);
  if (plain === null)
    throw new CofferError('wrong_passphrase', 'Wrong passphrase for this SSH key');
  return plain;
}
