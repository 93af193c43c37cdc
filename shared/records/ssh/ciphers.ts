import { cbc, ctr, gcm } from '@noble/ciphers/aes.js';
import { chacha20orig } from '@noble/ciphers/chacha.js';
import { poly1305 } from '@noble/ciphers/_poly1305.js';
import forge from 'node-forge';
import { CofferError } from '../../errors.ts';
import { bytesEqual, concatBytes } from './bytes.ts';

/**
 * Block and stream ciphers behind the key formats. AES and ChaCha come from @noble/ciphers;
 * 3DES, which neither WebCrypto nor noble offers, from node-forge. All CBC here runs without
 * padding: callers remove PKCS#7 padding themselves so a bad pad reads as a wrong passphrase.
 */

export interface KeyFileCipher {
  readonly keyLength: number;
  readonly ivLength: number;
  readonly blockSize: number;
  /** Bytes of authentication tag stored after the ciphertext (OpenSSH "authlen"). */
  readonly tagLength: number;
  /** Returns null when an authenticated cipher rejects the tag. */
  decrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array, tag: Uint8Array): Uint8Array | null;
  /** Returns ciphertext followed by the tag, if any. */
  encrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
}

function binary(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += String.fromCharCode(byte);
  return out;
}

function des3(key: Uint8Array, iv: Uint8Array, data: Uint8Array, decrypt: boolean): Uint8Array {
  const create = decrypt ? forge.cipher.createDecipher : forge.cipher.createCipher;
  const cipher = create('3DES-CBC', forge.util.createBuffer(binary(key)));
  cipher.start({ iv: forge.util.createBuffer(binary(iv)) });
  cipher.update(forge.util.createBuffer(binary(data)));
  // @types/node-forge omits finish()'s padding callback (forge lib/cipher.js); returning true
  // turns padding off so callers can judge the padding themselves.
  const finish = cipher.finish as unknown as (
    this: forge.cipher.BlockCipher,
    pad: () => boolean,
  ) => boolean;
  finish.call(cipher, () => true);
  const out = cipher.output.getBytes();
  return Uint8Array.from(out, (char) => char.charCodeAt(0));
}

/** CBC decryption without padding removal, for the AES sizes and 3DES. */
export function cbcDecryptRaw(
  algorithm: 'aes' | 'des-ede3',
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Uint8Array {
  if (algorithm === 'des-ede3') return des3(key, iv, data, true);
  return cbc(key, iv, { disablePadding: true }).decrypt(data);
}

/** Removes PKCS#7 padding; a bad pad after decryption almost always means a wrong passphrase. */
export function unpadPkcs7(data: Uint8Array, blockSize: number): Uint8Array | null {
  const pad = data[data.length - 1] ?? 0;
  if (data.length === 0 || data.length % blockSize !== 0 || pad < 1 || pad > blockSize) {
    return null;
  }
  for (let i = data.length - pad; i < data.length; i += 1) {
    if (data[i] !== pad) return null;
  }
  return data.subarray(0, data.length - pad);
}

function aesCtr(keyLength: number): KeyFileCipher {
  return {
    keyLength,
    ivLength: 16,
    blockSize: 16,
    tagLength: 0,
    decrypt: (key, iv, data) => ctr(key, iv).decrypt(data),
    encrypt: (key, iv, data) => ctr(key, iv).encrypt(data),
  };
}

function aesCbc(keyLength: number): KeyFileCipher {
  return {
    keyLength,
    ivLength: 16,
    blockSize: 16,
    tagLength: 0,
    decrypt: (key, iv, data) => cbc(key, iv, { disablePadding: true }).decrypt(data),
    encrypt: (key, iv, data) => cbc(key, iv, { disablePadding: true }).encrypt(data),
  };
}

function aesGcm(keyLength: number): KeyFileCipher {
  return {
    keyLength,
    ivLength: 12,
    blockSize: 16,
    tagLength: 16,
    decrypt: (key, iv, data, tag) => {
      try {
        return gcm(key, iv).decrypt(concatBytes(data, tag));
      } catch {
        // The tag did not verify: wrong key or altered file; the caller reports which.
        return null;
      }
    },
    encrypt: (key, iv, data) => gcm(key, iv).encrypt(data),
  };
}

/**
 * chacha20-poly1305@openssh.com (OpenSSH PROTOCOL.chacha20poly1305) as used for key files:
 * sequence number 0, no length header, so only the 32-byte main key (first half) matters. The
 * Poly1305 key is the first ChaCha20 block; the payload is encrypted from block counter 1.
 */
const chachaPoly: KeyFileCipher = {
  keyLength: 64,
  ivLength: 0,
  blockSize: 8,
  tagLength: 16,
  decrypt: (key, _iv, data, tag) => {
    const mainKey = key.subarray(0, 32);
    const nonce = new Uint8Array(8);
    const polyKey = chacha20orig(mainKey, nonce, new Uint8Array(32));
    if (!bytesEqual(poly1305(data, polyKey), tag)) return null;
    return chacha20orig(mainKey, nonce, data, undefined, 1);
  },
  encrypt: (key, _iv, data) => {
    const mainKey = key.subarray(0, 32);
    const nonce = new Uint8Array(8);
    const polyKey = chacha20orig(mainKey, nonce, new Uint8Array(32));
    const sealed = chacha20orig(mainKey, nonce, data, undefined, 1);
    return concatBytes(sealed, poly1305(sealed, polyKey));
  },
};

const des3Cbc: KeyFileCipher = {
  keyLength: 24,
  ivLength: 8,
  blockSize: 8,
  tagLength: 0,
  decrypt: (key, iv, data) => des3(key, iv, data, true),
  encrypt: (key, iv, data) => des3(key, iv, data, false),
};

const KEY_FILE_CIPHERS: Readonly<Record<string, KeyFileCipher>> = {
  'aes128-ctr': aesCtr(16),
  'aes192-ctr': aesCtr(24),
  'aes256-ctr': aesCtr(32),
  'aes128-cbc': aesCbc(16),
  'aes192-cbc': aesCbc(24),
  'aes256-cbc': aesCbc(32),
  'aes128-gcm@openssh.com': aesGcm(16),
  'aes256-gcm@openssh.com': aesGcm(32),
  'chacha20-poly1305@openssh.com': chachaPoly,
  '3des-cbc': des3Cbc,
};

/** The OpenSSH / PuTTY cipher of that name, or an error naming it. */
export function keyFileCipher(name: string, where: string): KeyFileCipher {
  const cipher = Object.hasOwn(KEY_FILE_CIPHERS, name) ? KEY_FILE_CIPHERS[name] : undefined;
  if (cipher === undefined) {
    const shown = /^[\x21-\x7e]{1,64}$/.test(name) ? name : '(unreadable)';
    throw new CofferError('unsupported_algorithm', `${where} cipher ${shown} is not supported`);
  }
  return cipher;
}
