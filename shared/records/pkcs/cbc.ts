/**
 * CBC for the ciphers that protect key files: AES from @noble/ciphers, and DES, 3DES and RC2
 * (RFC 2268), which neither WebCrypto nor noble offers, from node-forge. Everything runs without
 * the library's own padding handling: node-forge only checks the last pad byte, so PKCS#7
 * padding is checked here in full — a bad pad after decryption almost always means a wrong
 * passphrase, and the stricter the check, the fewer wrong passphrases slip through to the parser.
 */
import { cbc } from '@noble/ciphers/aes.js';
import forge from 'node-forge';

export type CbcCipher = 'AES-CBC' | '3DES-CBC' | 'DES-CBC' | 'RC2-CBC';

/** Thrown when decryption produced no valid plaintext: almost always a wrong password. */
export class DecryptionFailed extends Error {
  override readonly name = 'DecryptionFailed';
}

export function cbcBlockSize(cipher: CbcCipher): number {
  return cipher === 'AES-CBC' ? 16 : 8;
}

/** node-forge works on "binary strings"; bytes are converted only at this seam. */
function toBinary(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

function fromBinary(binary: string): Uint8Array {
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

// @types/node-forge omits the block ciphers' finish() padding callback (forge lib/cipher.js); a
// callback that returns true turns the library's padding off in both directions, as in rc2.js.
type FinishWithPad = (this: unknown, pad: () => boolean) => boolean;

function forgeCbc(
  cipher: Exclude<CbcCipher, 'AES-CBC'>,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  decrypt: boolean,
  rc2Bits: number,
): Uint8Array {
  const input = forge.util.createBuffer(toBinary(data));
  if (cipher === 'RC2-CBC') {
    const create = decrypt ? forge.rc2.createDecryptionCipher : forge.rc2.createEncryptionCipher;
    const rc2 = create(toBinary(key), rc2Bits);
    rc2.start(toBinary(iv));
    rc2.update(input);
    rc2.finish(() => true);
    return fromBinary(rc2.output.getBytes());
  }
  const create = decrypt ? forge.cipher.createDecipher : forge.cipher.createCipher;
  const block = create(cipher, forge.util.createBuffer(toBinary(key)));
  block.start({ iv: forge.util.createBuffer(toBinary(iv)) });
  block.update(input);
  (block.finish as unknown as FinishWithPad).call(block, () => true);
  return fromBinary(block.output.getBytes());
}

/**
 * CBC without padding in either direction; `data` must be whole blocks. `rc2Bits` is RC2's
 * effective key length (RFC 2268 §2), which PKCS#12 and PBES1 fix per scheme.
 */
export function cbcRaw(
  direction: 'decrypt' | 'encrypt',
  cipher: CbcCipher,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  rc2Bits = 128,
): Uint8Array {
  if (cipher === 'AES-CBC') {
    const aes = cbc(key, iv, { disablePadding: true });
    return direction === 'decrypt' ? aes.decrypt(data) : aes.encrypt(data);
  }
  return forgeCbc(cipher, key, iv, data, direction === 'decrypt', rc2Bits);
}

/** Removes PKCS#7 padding (RFC 5652 §6.3), checking every pad byte; null when it is not valid. */
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

/** Decrypts and removes PKCS#7 padding; throws DecryptionFailed when no valid plaintext results. */
export function cbcDecrypt(
  cipher: CbcCipher,
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  rc2Bits?: number,
): Uint8Array {
  const blockSize = cbcBlockSize(cipher);
  if (ciphertext.length === 0 || ciphertext.length % blockSize !== 0) {
    throw new DecryptionFailed('ciphertext is not whole blocks');
  }
  if (iv.length !== blockSize) throw new DecryptionFailed(`IV must be ${blockSize} bytes`);
  let plain: Uint8Array;
  try {
    plain = cbcRaw('decrypt', cipher, key, iv, ciphertext, rc2Bits);
  } catch (error) {
    // A key of the wrong size for the cipher: no password can make this decrypt.
    throw new DecryptionFailed('cipher rejected the key', { cause: error });
  }
  const unpadded = unpadPkcs7(plain, blockSize);
  if (unpadded === null) throw new DecryptionFailed('padding check failed');
  return unpadded;
}
