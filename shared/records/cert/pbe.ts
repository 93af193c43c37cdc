/**
 * Password-based decryption for PKCS#8 and PKCS#12 content: PBES2 (RFC 8018 §6.2: PBKDF2 with
 * AES-CBC or 3DES) through WebCrypto, the PKCS#12 PBE schemes (RFC 7292 Appendix C: 3DES, RC2)
 * and PBES1 (RFC 8018 §6.1: MD5/SHA-1 with DES or RC2) with node-forge's ciphers. Which one
 * applies is read from the AlgorithmIdentifier.
 */
import { CofferError } from '../../errors.ts';
import { concatBytes, toBufferSource } from './bytes.ts';
import { AsnError, TAG, decodeOid, octetString, sequence, smallInteger, type Tlv } from '../asn1/der.ts';
import { legacyCbcDecrypt, type LegacyCipher } from './legacy-ciphers.ts';
import { OID } from '../asn1/oids.ts';
import { md5 } from '@noble/hashes/legacy.js';
import {
  KDF_PURPOSE,
  MAX_PKCS12_ITERATIONS,
  PKCS12_HASHES,
  bmpPassword,
  iteratedHash,
  pkcs12Kdf,
  type Hash,
} from './pkcs12-kdf.ts';

/** Thrown when decryption produced no valid plaintext: almost always a wrong password. */
export class DecryptionFailed extends Error {
  override readonly name = 'DecryptionFailed';
}

/**
 * Above any real file (OpenSSL writes 2048; OWASP's 2023 guidance is 600,000 for SHA-256 and
 * 1,300,000 for SHA-1) while keeping a crafted one to about a second of native PBKDF2.
 */
export const MAX_PBKDF2_ITERATIONS = 2_000_000;

const PBKDF2_PRF: Readonly<Record<string, string>> = {
  [OID.hmacWithSha1]: 'SHA-1',
  [OID.hmacWithSha256]: 'SHA-256',
  [OID.hmacWithSha384]: 'SHA-384',
  [OID.hmacWithSha512]: 'SHA-512',
};

const PBES2_CIPHERS: Readonly<
  Record<string, { keyLength: number; cipher: 'AES-CBC' | LegacyCipher }>
> = {
  [OID.aes128Cbc]: { keyLength: 16, cipher: 'AES-CBC' },
  [OID.aes192Cbc]: { keyLength: 24, cipher: 'AES-CBC' },
  [OID.aes256Cbc]: { keyLength: 32, cipher: 'AES-CBC' },
  [OID.desEde3Cbc]: { keyLength: 24, cipher: '3DES-CBC' },
  [OID.desCbc]: { keyLength: 8, cipher: 'DES-CBC' },
};

/** RFC 7292 Appendix C: key length, IV length and cipher for each PKCS#12 PBE scheme. */
const PKCS12_PBE: Readonly<
  Record<string, { keyLength: number; cipher: LegacyCipher; rc2Bits?: number }>
> = {
  [OID.pbeWithShaAnd3KeyTripleDesCbc]: { keyLength: 24, cipher: '3DES-CBC' },
  [OID.pbeWithShaAnd2KeyTripleDesCbc]: { keyLength: 16, cipher: '3DES-CBC' },
  [OID.pbeWithShaAnd128BitRc2Cbc]: { keyLength: 16, cipher: 'RC2-CBC', rc2Bits: 128 },
  [OID.pbeWithShaAnd40BitRc2Cbc]: { keyLength: 5, cipher: 'RC2-CBC', rc2Bits: 40 },
};

export function unsupported(what: string, oid: string): CofferError {
  return new CofferError(
    'unsupported_algorithm',
    `${what} uses an unsupported algorithm (OID ${oid}).`,
  );
}

export async function cbcDecrypt(
  cipher: 'AES-CBC' | LegacyCipher,
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  rc2Bits?: number,
): Promise<Uint8Array> {
  if (cipher !== 'AES-CBC') {
    const plain = legacyCbcDecrypt(cipher, key, iv, ciphertext, rc2Bits);
    if (plain === undefined) throw new DecryptionFailed('padding check failed');
    return plain;
  }
  if (iv.length !== 16) throw new DecryptionFailed('AES IV must be 16 bytes');
  const subtle = globalThis.crypto.subtle;
  const aesKey = await subtle.importKey('raw', toBufferSource(key), 'AES-CBC', false, ['decrypt']);
  try {
    const plain = await subtle.decrypt(
      { name: 'AES-CBC', iv: toBufferSource(iv) },
      aesKey,
      toBufferSource(ciphertext),
    );
    return new Uint8Array(plain);
  } catch (error) {
    // WebCrypto reports a PKCS#7 padding mismatch as an OperationError.
    throw new DecryptionFailed('padding check failed', { cause: error });
  }
}

async function pbkdf2(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  hash: string,
  length: number,
): Promise<Uint8Array> {
  if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new CofferError(
      'kdf_parameters_too_costly',
      `The file asks for ${iterations} PBKDF2 iterations; Coffer accepts 1 to ${MAX_PBKDF2_ITERATIONS}.`,
    );
  }
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', toBufferSource(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', salt: toBufferSource(salt), iterations, hash },
    base,
    length * 8,
  );
  return new Uint8Array(bits);
}

async function decryptPbes2(
  params: Tlv | undefined,
  ciphertext: Uint8Array,
  password: string,
  what: string,
): Promise<Uint8Array> {
  const [kdf, scheme] = sequence(params, 'PBES2 parameters');
  const [kdfOid, kdfParams] = sequence(kdf, 'PBES2 key derivation');
  const kdfId = decodeOid(kdfOid, 'PBES2 key derivation');
  if (kdfId !== OID.pbkdf2) throw unsupported(`${what} key derivation`, kdfId);
  const [saltTlv, iterationsTlv, ...rest] = sequence(kdfParams, 'PBKDF2 parameters');
  const salt = octetString(saltTlv, 'PBKDF2 salt');
  const iterations = smallInteger(iterationsTlv, 'PBKDF2 iterations');
  const keyLengthTlv = rest.find((part) => part.tag === TAG.integer);
  const prfTlv = rest.find((part) => part.tag === TAG.sequence);
  const prfId =
    prfTlv === undefined
      ? OID.hmacWithSha1
      : decodeOid(sequence(prfTlv, 'PBKDF2 PRF')[0], 'PBKDF2 PRF');
  const hash = PBKDF2_PRF[prfId];
  if (hash === undefined) throw unsupported(`${what} PBKDF2 PRF`, prfId);
  const [schemeOid, ivTlv] = sequence(scheme, 'PBES2 encryption scheme');
  const schemeId = decodeOid(schemeOid, 'PBES2 encryption scheme');
  const cipher = PBES2_CIPHERS[schemeId];
  if (cipher === undefined) throw unsupported(`${what} encryption`, schemeId);
  const keyLength =
    keyLengthTlv === undefined ? cipher.keyLength : smallInteger(keyLengthTlv, 'PBKDF2 key length');
  if (keyLength !== cipher.keyLength)
    throw new AsnError('PBKDF2 key length does not fit the cipher');
  // RFC 8018 leaves the password encoding open; OpenSSL and every current tool use UTF-8.
  const passwordBytes = new TextEncoder().encode(password);
  const key = await pbkdf2(passwordBytes, salt, iterations, hash, keyLength);
  return cbcDecrypt(cipher.cipher, key, octetString(ivTlv, 'PBES2 IV'), ciphertext);
}

async function decryptPkcs12Pbe(
  scheme: { keyLength: number; cipher: LegacyCipher; rc2Bits?: number },
  params: Tlv | undefined,
  ciphertext: Uint8Array,
  password: Uint8Array,
): Promise<Uint8Array> {
  const [saltTlv, iterationsTlv] = sequence(params, 'PKCS#12 PBE parameters');
  const salt = octetString(saltTlv, 'PBE salt');
  const iterations = smallInteger(iterationsTlv, 'PBE iterations');
  const sha1 = PKCS12_HASHES[OID.sha1];
  if (sha1 === undefined) throw new AsnError('SHA-1 unavailable');
  const rawKey = pkcs12Kdf(sha1, password, salt, KDF_PURPOSE.key, iterations, scheme.keyLength);
  // Two-key 3DES is K1‖K2‖K1.
  const key =
    scheme.keyLength === 16 && scheme.cipher === '3DES-CBC'
      ? Uint8Array.from([...rawKey, ...rawKey.subarray(0, 8)])
      : rawKey;
  const iv = pkcs12Kdf(sha1, password, salt, KDF_PURPOSE.iv, iterations, 8);
  return cbcDecrypt(scheme.cipher, key, iv, ciphertext, scheme.rc2Bits);
}

/** PBES1 schemes: digest for PBKDF1, and a 64-bit-key cipher (RC2 with 64 effective bits). */
const PBES1: Readonly<Record<string, { digest: 'md5' | 'sha1'; cipher: LegacyCipher }>> = {
  [OID.pbeWithMd5AndDesCbc]: { digest: 'md5', cipher: 'DES-CBC' },
  [OID.pbeWithSha1AndDesCbc]: { digest: 'sha1', cipher: 'DES-CBC' },
  [OID.pbeWithMd5AndRc2Cbc]: { digest: 'md5', cipher: 'RC2-CBC' },
  [OID.pbeWithSha1AndRc2Cbc]: { digest: 'sha1', cipher: 'RC2-CBC' },
};

/** PBKDF1 (RFC 8018 §5.1) → DES/RC2 key and IV (§6.1.2: first and second 8 octets). */
async function decryptPbes1(
  scheme: { digest: 'md5' | 'sha1'; cipher: LegacyCipher },
  params: Tlv | undefined,
  ciphertext: Uint8Array,
  password: string,
): Promise<Uint8Array> {
  const [saltTlv, iterationsTlv] = sequence(params, 'PBES1 parameters');
  const salt = octetString(saltTlv, 'PBES1 salt');
  const iterations = smallInteger(iterationsTlv, 'PBES1 iterations');
  if (iterations < 1 || iterations > MAX_PKCS12_ITERATIONS) {
    throw new CofferError(
      'kdf_parameters_too_costly',
      `The file asks for ${iterations} PBKDF1 iterations; Coffer accepts 1 to ${MAX_PKCS12_ITERATIONS}.`,
    );
  }
  const hash: Hash | undefined = scheme.digest === 'md5' ? md5 : PKCS12_HASHES[OID.sha1];
  if (hash === undefined) throw new AsnError('digest unavailable');
  const derived = iteratedHash(
    hash,
    concatBytes(new TextEncoder().encode(password), salt),
    iterations,
  );
  return cbcDecrypt(scheme.cipher, derived.subarray(0, 8), derived.subarray(8, 16), ciphertext, 64);
}

export interface PasswordInput {
  readonly text: string;
  /** For PKCS#12 PBE with an empty password: which of the two encodings to use. */
  readonly emptyForm?: 'terminated' | 'absent';
}

/**
 * Decrypts `ciphertext` under the scheme named by `algorithm`. Throws DecryptionFailed when the
 * result is not valid (wrong password), CofferError('unsupported_algorithm') naming the OID.
 */
export async function decryptWithPassword(
  algorithm: Tlv | undefined,
  ciphertext: Uint8Array,
  password: PasswordInput,
  what: string,
): Promise<Uint8Array> {
  const [oidTlv, params] = sequence(algorithm, `${what} encryption algorithm`);
  const oid = decodeOid(oidTlv, `${what} encryption algorithm`);
  if (oid === OID.pbes2) return decryptPbes2(params, ciphertext, password.text, what);
  const scheme = PKCS12_PBE[oid];
  if (scheme !== undefined) {
    return decryptPkcs12Pbe(
      scheme,
      params,
      ciphertext,
      bmpPassword(password.text, password.emptyForm),
    );
  }
  const pbes1 = PBES1[oid];
  if (pbes1 !== undefined) return decryptPbes1(pbes1, params, ciphertext, password.text);
  throw unsupported(`${what} encryption`, oid);
}
