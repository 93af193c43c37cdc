import { sha1 } from '@noble/hashes/legacy.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { CofferError } from '../../errors.ts';
import { concatBytes, utf8 } from './bytes.ts';
import { cbcDecryptRaw, unpadPkcs7 } from './ciphers.ts';
import { DerReader, TAG } from './der.ts';

/**
 * EncryptedPrivateKeyInfo (RFC 5958 §3) as OpenSSL, ssh-keygen -m PKCS8 and Java write it:
 * PBES2 (RFC 8018 §6.2) with PBKDF2 or scrypt (RFC 7914 §7) and AES-CBC or 3DES, plus the
 * older PKCS #12 scheme pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 App. B and C). Work factors
 * come from the file and are capped so a crafted key cannot stall the app.
 */

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_SCRYPT = '1.3.6.1.4.1.11591.4.11';
const OID_PBE_SHA1_3DES = '1.2.840.113549.1.12.1.3';

const PRFS: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'SHA-1',
  '1.2.840.113549.2.9': 'SHA-256',
  '1.2.840.113549.2.10': 'SHA-384',
  '1.2.840.113549.2.11': 'SHA-512',
};

const SCHEMES: Readonly<Record<string, { algorithm: 'aes' | 'des-ede3'; keyLength: number }>> = {
  '2.16.840.1.101.3.4.1.2': { algorithm: 'aes', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { algorithm: 'aes', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { algorithm: 'aes', keyLength: 32 },
  '1.2.840.113549.3.7': { algorithm: 'des-ede3', keyLength: 24 },
};

const KNOWN_UNSUPPORTED: Readonly<Record<string, string>> = {
  '1.3.14.3.2.7': 'single-DES (des-cbc)',
  '1.2.840.113549.3.2': 'RC2-CBC',
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.12.1.6': 'pbeWithSHAAnd40BitRC2-CBC',
  '1.2.840.113549.1.12.1.4': 'pbeWithSHAAnd2-KeyTripleDES-CBC',
};

export const PBKDF2_MAX_ITERATIONS = 10_000_000;
const SCRYPT_MAX_MEMORY = 256 * 1024 * 1024;

function unsupported(kind: string, oid: string): CofferError {
  return new CofferError(
    'unsupported_algorithm',
    `PKCS #8 ${kind} ${KNOWN_UNSUPPORTED[oid] ?? oid} is not supported`,
  );
}

function checkIterations(iterations: number): void {
  if (iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) {
    throw new CofferError(
      'kdf_parameters_too_costly',
      `The PKCS #8 key asks for ${iterations} iterations; Coffer accepts 1–${PBKDF2_MAX_ITERATIONS}`,
    );
  }
}

async function pbkdf2(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  hash: string,
  length: number,
): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', password as BufferSource, 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash, salt: salt as BufferSource, iterations },
    base,
    length * 8,
  );
  return new Uint8Array(bits);
}

type Derive = (password: Uint8Array, keyLength: number) => Promise<Uint8Array>;

/** Reads the KDF parameters up front, so damage is reported before any passphrase prompt. */
function readKdf(kdf: DerReader): Derive {
  const oid = kdf.oid('keyDerivationFunc');
  const params = kdf.sequence('KDF parameters');
  const salt = params.octetString('salt');
  if (oid === OID_PBKDF2) {
    const iterations = params.smallInteger('iterationCount');
    checkIterations(iterations);
    if (params.peekTag() === TAG.integer) params.smallInteger('keyLength');
    let hash = 'SHA-1';
    if (params.hasMore) {
      const prfOid = params.sequence('prf').oid('prf');
      const prf = Object.hasOwn(PRFS, prfOid) ? PRFS[prfOid] : undefined;
      if (prf === undefined) throw unsupported('PRF', prfOid);
      hash = prf;
    }
    return (password, keyLength) => pbkdf2(password, salt, iterations, hash, keyLength);
  }
  if (oid === OID_SCRYPT) {
    const N = params.smallInteger('costParameter');
    const r = params.smallInteger('blockSize');
    const p = params.smallInteger('parallelizationParameter');
    if (128 * N * r > SCRYPT_MAX_MEMORY || p > 16 || N < 2 || r < 1 || p < 1) {
      throw new CofferError(
        'kdf_parameters_too_costly',
        'The PKCS #8 scrypt parameters are too costly',
      );
    }
    return (password, dkLen) =>
      scryptAsync(password, salt, { N, r, p, dkLen, maxmem: 2 * SCRYPT_MAX_MEMORY });
  }
  throw unsupported('key derivation', oid);
}

/**
 * PKCS #12 key derivation (RFC 7292 App. B.2) with SHA-1: password as NUL-terminated UTF-16BE,
 * ID 1 for the key and 2 for the IV.
 */
function pkcs12Derive(
  password: string,
  salt: Uint8Array,
  iterations: number,
  id: number,
  length: number,
): Uint8Array {
  const v = 64;
  const pass = new Uint8Array((password.length + 1) * 2);
  for (let i = 0; i < password.length; i += 1) {
    pass[i * 2] = password.charCodeAt(i) >> 8;
    pass[i * 2 + 1] = password.charCodeAt(i) & 0xff;
  }
  const fill = (src: Uint8Array): Uint8Array => {
    const out = new Uint8Array(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i += 1) out[i] = src[i % src.length] ?? 0;
    return out;
  };
  const input = concatBytes(fill(salt), fill(pass));
  const diversifier = new Uint8Array(v).fill(id);
  let out: Uint8Array = new Uint8Array(0);
  while (out.length < length) {
    let a = sha1(concatBytes(diversifier, input));
    for (let i = 1; i < iterations; i += 1) a = sha1(a);
    out = concatBytes(out, a);
    const b = fill(a);
    for (let block = 0; block < input.length; block += v) {
      let carry = 1;
      for (let i = v - 1; i >= 0; i -= 1) {
        const sum = (input[block + i] ?? 0) + (b[i] ?? 0) + carry;
        input[block + i] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return out.subarray(0, length);
}

/** Decrypts to the inner PrivateKeyInfo DER; padding failure means a wrong passphrase. */
export async function decryptPkcs8(
  der: Uint8Array,
  passphrase: string | undefined,
): Promise<Uint8Array> {
  const outer = new DerReader(der, 'The encrypted PKCS #8 key').sequence('EncryptedPrivateKeyInfo');
  const algorithm = outer.sequence('encryptionAlgorithm');
  const oid = algorithm.oid('algorithm');
  let decrypt: (password: string) => Promise<Uint8Array>;
  let blockSize = 8;
  const data = outer.octetString('encryptedData');
  if (oid === OID_PBES2) {
    const params = algorithm.sequence('PBES2-params');
    const derive = readKdf(params.sequence('keyDerivationFunc'));
    const scheme = params.sequence('encryptionScheme');
    const schemeOid = scheme.oid('encryptionScheme');
    const cipher = Object.hasOwn(SCHEMES, schemeOid) ? SCHEMES[schemeOid] : undefined;
    if (cipher === undefined) throw unsupported('cipher', schemeOid);
    const iv = scheme.octetString('IV');
    blockSize = cipher.algorithm === 'aes' ? 16 : 8;
    if (iv.length !== blockSize) {
      throw new CofferError('ssh_key_damaged', 'The PKCS #8 cipher IV has the wrong length');
    }
    decrypt = async (password) => {
      const key = await derive(utf8(password), cipher.keyLength);
      return cbcDecryptRaw(cipher.algorithm, key, iv, data);
    };
  } else if (oid === OID_PBE_SHA1_3DES) {
    const params = algorithm.sequence('pbeParams');
    const salt = params.octetString('salt');
    const iterations = params.smallInteger('iterations');
    checkIterations(iterations);
    decrypt = async (password) => {
      const key = pkcs12Derive(password, salt, iterations, 1, 24);
      const iv = pkcs12Derive(password, salt, iterations, 2, 8);
      return cbcDecryptRaw('des-ede3', key, iv, data);
    };
  } else {
    throw unsupported('encryption scheme', oid);
  }
  if (data.length === 0 || data.length % blockSize !== 0) {
    throw new CofferError('ssh_key_damaged', 'The PKCS #8 encrypted data has a partial block');
  }
  if (passphrase === undefined || passphrase === '') {
    throw new CofferError('passphrase_required', 'This SSH key is encrypted: enter its passphrase');
  }
  const plain = unpadPkcs7(await decrypt(passphrase), blockSize);
  if (plain === null)
    throw new CofferError('wrong_passphrase', 'Wrong passphrase for this SSH key');
  return plain;
}
