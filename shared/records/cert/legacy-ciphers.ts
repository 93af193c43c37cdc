/**
 * CBC decryption for the ciphers WebCrypto lacks (RC2 from RFC 2268, DES and 3DES), which old
 * PKCS#12 files and encrypted PEM keys still use. node-forge provides them; it works on "binary
 * strings", so bytes are converted at this one seam.
 */
import forge from 'node-forge';

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

export type LegacyCipher = 'RC2-CBC' | 'DES-CBC' | '3DES-CBC';

/**
 * Decrypts and removes PKCS#7 padding. Returns undefined when the padding is wrong, which with
 * these ciphers almost always means a wrong password.
 */
export function legacyCbcDecrypt(
  cipher: LegacyCipher,
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  rc2EffectiveBits = 128,
): Uint8Array | undefined {
  if (ciphertext.length === 0 || ciphertext.length % 8 !== 0) return undefined;
  const input = forge.util.createBuffer(toBinary(ciphertext));
  if (cipher === 'RC2-CBC') {
    const decipher = forge.rc2.createDecryptionCipher(toBinary(key), rc2EffectiveBits);
    decipher.start(toBinary(iv));
    decipher.update(input);
    return decipher.finish() ? fromBinary(decipher.output.getBytes()) : undefined;
  }
  const decipher = forge.cipher.createDecipher(cipher, toBinary(key));
  decipher.start({ iv: toBinary(iv) });
  decipher.update(input);
  return decipher.finish() ? fromBinary(decipher.output.getBytes()) : undefined;
}
