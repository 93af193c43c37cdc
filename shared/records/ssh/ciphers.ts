import { ctr, gcm } from '@noble/ciphers/aes.js';
import { chacha20orig } from '@noble/ciphers/chacha.js';
import { poly1305 } from '@noble/ciphers/_poly1305.js';
import { CofferError } from '../../errors.ts';
import { cbcRaw } from '../pkcs/cbc.ts';
import { bytesEqual, concatBytes } from './bytes.ts';

/**
 * The ciphers OpenSSH and PuTTY key files name: AES-CTR/GCM and ChaCha20-Poly1305 from
 * @noble/ciphers, AES-CBC and 3DES-CBC through the shared CBC module. These formats pad
 * themselves, so CBC runs without PKCS#7 padding here.
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

type Transform = (
  direction: 'decrypt' | 'encrypt',
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
) => Uint8Array;

/** A cipher without authentication tag: CTR, or CBC without padding (the formats pad). */
function unauthenticated(keyLength: number, blockSize: number, run: Transform): KeyFileCipher {
  return {
    keyLength,
    ivLength: blockSize,
    blockSize,
    tagLength: 0,
    decrypt: (key, iv, data) => run('decrypt', key, iv, data),
    encrypt: (key, iv, data) => run('encrypt', key, iv, data),
  };
}

const aesCtr = (keyLength: number): KeyFileCipher =>
  unauthenticated(keyLength, 16, (direction, key, iv, data) => ctr(key, iv)[direction](data));

const aesCbc = (keyLength: number): KeyFileCipher =>
  unauthenticated(keyLength, 16, (direction, key, iv, data) =>
    cbcRaw(direction, 'AES-CBC', key, iv, data),
  );

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

const des3Cbc = unauthenticated(24, 8, (direction, key, iv, data) =>
  cbcRaw(direction, '3DES-CBC', key, iv, data),
);

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
