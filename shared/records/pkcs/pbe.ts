/**
 * Password-based decryption of PKCS#8 EncryptedPrivateKeyInfo (RFC 5958 §3) and PKCS#12 content:
 * PBES2 (RFC 8018 §6.2) with PBKDF2 or scrypt (RFC 7914 §7) and AES-CBC, 3DES or DES; the
 * PKCS#12 PBE schemes (RFC 7292 Appendix C: 3DES, RC2); and PBES1 (RFC 8018 §6.1: MD5/SHA-1 with
 * DES or RC2). The scheme is read and checked in full — support, work factors, IV — before any
 * password is asked for or any key derived, so damage and crafted costs are reported first.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { concatBytes, utf8 } from '../../crypto/bytes.ts';
import { CofferError } from '../../errors.ts';
import {
  AsnError,
  TAG,
  decodeOid,
  octetString,
  parseDer,
  sequence,
  smallInteger,
  type Tlv,
} from '../asn1/der.ts';
import { OID, unsupportedAlgorithm } from '../asn1/oids.ts';
import { cbcBlockSize, cbcDecrypt, type CbcCipher } from './cbc.ts';
import {
  KDF_PURPOSE,
  PKCS12_HASHES,
  bmpPassword,
  checkPkcs12Iterations,
  iteratedHash,
  pkcs12Kdf,
  type Hash,
} from './pkcs12-kdf.ts';

/**
 * Above any real file (OpenSSL writes 2048; OWASP's 2023 guidance is 600,000 for SHA-256 and
 * 1,300,000 for SHA-1) while keeping a crafted one to about a second of native PBKDF2.
 */
export const MAX_PBKDF2_ITERATIONS = 2_000_000;

/** scrypt memory is 128·N·r bytes (RFC 7914 §2); beyond this a crafted key would exhaust a tab. */
const SCRYPT_MAX_MEMORY = 256 * 1024 * 1024;
const SCRYPT_MAX_PARALLELISM = 16;
/**
 * p runs the memory-hard mix p times in turn, so the time is 128·N·r·p. Capping memory and p
 * apart still allowed 256 MiB × 16 (about half a minute of JavaScript scrypt); the work is capped
 * at one 256 MiB pass (≈2 s), sixteen times OpenSSL's default of 16 MiB with p = 1.
 */
const SCRYPT_MAX_WORK = 256 * 1024 * 1024;

export interface PasswordInput {
  readonly text: string;
  /** For PKCS#12 PBE with an empty password: which of the two encodings to use. */
  readonly emptyForm?: 'terminated' | 'absent';
}

export interface PbePolicy {
  /**
   * Whether single DES, RC2 and two-key 3DES are accepted. PKCS#12 files exported by older
   * Windows and Java still use them; the SSH importer has never taken them.
   */
  readonly weakCiphers: boolean;
}

const ACCEPT_ALL: PbePolicy = { weakCiphers: true };

export interface PbeScheme {
  readonly cipher: CbcCipher;
  /** Ciphertext must be a non-empty multiple of this. */
  readonly blockSize: number;
  /** Throws DecryptionFailed when the result is not valid plaintext (a wrong password). */
  decrypt(ciphertext: Uint8Array, password: PasswordInput): Promise<Uint8Array>;
}

const PBKDF2_PRF: Readonly<Record<string, string>> = {
  [OID.hmacWithSha1]: 'SHA-1',
  [OID.hmacWithSha256]: 'SHA-256',
  [OID.hmacWithSha384]: 'SHA-384',
  [OID.hmacWithSha512]: 'SHA-512',
};

const PBES2_CIPHERS: Readonly<Record<string, { keyLength: number; cipher: CbcCipher }>> = {
  [OID.aes128Cbc]: { keyLength: 16, cipher: 'AES-CBC' },
  [OID.aes192Cbc]: { keyLength: 24, cipher: 'AES-CBC' },
  [OID.aes256Cbc]: { keyLength: 32, cipher: 'AES-CBC' },
  [OID.desEde3Cbc]: { keyLength: 24, cipher: '3DES-CBC' },
  [OID.desCbc]: { keyLength: 8, cipher: 'DES-CBC' },
};

interface Pkcs12Pbe {
  readonly keyLength: number;
  readonly cipher: CbcCipher;
  readonly rc2Bits?: number;
}

/** RFC 7292 Appendix C: key length and cipher for each PKCS#12 PBE scheme (IV: 8 bytes). */
const PKCS12_PBE: Readonly<Record<string, Pkcs12Pbe>> = {
  [OID.pbeWithShaAnd3KeyTripleDesCbc]: { keyLength: 24, cipher: '3DES-CBC' },
  [OID.pbeWithShaAnd2KeyTripleDesCbc]: { keyLength: 16, cipher: '3DES-CBC' },
  [OID.pbeWithShaAnd128BitRc2Cbc]: { keyLength: 16, cipher: 'RC2-CBC', rc2Bits: 128 },
  [OID.pbeWithShaAnd40BitRc2Cbc]: { keyLength: 5, cipher: 'RC2-CBC', rc2Bits: 40 },
};

/** PBES1 schemes: digest for PBKDF1, and a 64-bit-key cipher (RC2 with 64 effective bits). */
const PBES1: Readonly<Record<string, { digest: 'md5' | 'sha1'; cipher: CbcCipher }>> = {
  [OID.pbeWithMd5AndDesCbc]: { digest: 'md5', cipher: 'DES-CBC' },
  [OID.pbeWithSha1AndDesCbc]: { digest: 'sha1', cipher: 'DES-CBC' },
  [OID.pbeWithMd5AndRc2Cbc]: { digest: 'md5', cipher: 'RC2-CBC' },
  [OID.pbeWithSha1AndRc2Cbc]: { digest: 'sha1', cipher: 'RC2-CBC' },
};

function lookup<T>(table: Readonly<Record<string, T>>, oid: string): T | undefined {
  return Object.hasOwn(table, oid) ? table[oid] : undefined;
}

function isWeak(cipher: CbcCipher, keyLength: number): boolean {
  return cipher === 'DES-CBC' || cipher === 'RC2-CBC' || (cipher === '3DES-CBC' && keyLength < 24);
}

async function pbkdf2(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  hash: string,
  length: number,
): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', new Uint8Array(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', salt: new Uint8Array(salt), iterations, hash },
    base,
    length * 8,
  );
  return new Uint8Array(bits);
}

type Derive = (password: Uint8Array, keyLength: number) => Promise<Uint8Array>;

function readPbkdf2(params: Tlv | undefined, what: string): { derive: Derive; keyLength?: number } {
  const [saltTlv, iterationsTlv, ...rest] = sequence(params, 'PBKDF2 parameters');
  const salt = octetString(saltTlv, 'PBKDF2 salt');
  const iterations = smallInteger(iterationsTlv, 'PBKDF2 iterations');
  if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new CofferError(
      'kdf_parameters_too_costly',
      `The file asks for ${iterations} PBKDF2 iterations; Coffer accepts 1 to ${MAX_PBKDF2_ITERATIONS}.`,
    );
  }
  const keyLengthTlv = rest.find((part) => part.tag === TAG.integer);
  const prfTlv = rest.find((part) => part.tag === TAG.sequence);
  const prfId =
    prfTlv === undefined
      ? OID.hmacWithSha1
      : decodeOid(sequence(prfTlv, 'PBKDF2 PRF')[0], 'PBKDF2 PRF');
  const hash = lookup(PBKDF2_PRF, prfId);
  if (hash === undefined) throw unsupportedAlgorithm(`${what} PBKDF2 PRF`, prfId);
  return {
    derive: (password, keyLength) => pbkdf2(password, salt, iterations, hash, keyLength),
    ...(keyLengthTlv === undefined
      ? {}
      : { keyLength: smallInteger(keyLengthTlv, 'PBKDF2 key length') }),
  };
}

function readScrypt(params: Tlv | undefined): { derive: Derive; keyLength?: number } {
  const [saltTlv, nTlv, rTlv, pTlv, keyLengthTlv] = sequence(params, 'scrypt parameters');
  const salt = octetString(saltTlv, 'scrypt salt');
  const N = smallInteger(nTlv, 'scrypt costParameter');
  const r = smallInteger(rTlv, 'scrypt blockSize');
  const p = smallInteger(pTlv, 'scrypt parallelizationParameter');
  if (
    N < 2 ||
    r < 1 ||
    p < 1 ||
    128 * N * r > SCRYPT_MAX_MEMORY ||
    p > SCRYPT_MAX_PARALLELISM ||
    128 * N * r * p > SCRYPT_MAX_WORK
  ) {
    throw new CofferError(
      'kdf_parameters_too_costly',
      `The file asks for scrypt N=${N}, r=${r}, p=${p}; Coffer accepts up to ${SCRYPT_MAX_MEMORY / 1024 / 1024} MiB, p ≤ ${SCRYPT_MAX_PARALLELISM} and 128·N·r·p ≤ ${SCRYPT_MAX_WORK / 1024 / 1024} MiB.`,
    );
  }
  return {
    derive: (password, dkLen) =>
      scryptAsync(password, salt, { N, r, p, dkLen, maxmem: 2 * SCRYPT_MAX_MEMORY }),
    ...(keyLengthTlv?.tag === TAG.integer
      ? { keyLength: smallInteger(keyLengthTlv, 'scrypt key length') }
      : {}),
  };
}

function readPbes2(params: Tlv | undefined, what: string, policy: PbePolicy): PbeScheme {
  const [kdf, scheme] = sequence(params, 'PBES2 parameters');
  const [kdfOid, kdfParams] = sequence(kdf, 'PBES2 key derivation');
  const kdfId = decodeOid(kdfOid, 'PBES2 key derivation');
  let kdfRead: { derive: Derive; keyLength?: number };
  if (kdfId === OID.pbkdf2) kdfRead = readPbkdf2(kdfParams, what);
  else if (kdfId === OID.scrypt) kdfRead = readScrypt(kdfParams);
  else throw unsupportedAlgorithm(`${what} key derivation`, kdfId);
  const [schemeOid, ivTlv] = sequence(scheme, 'PBES2 encryption scheme');
  const schemeId = decodeOid(schemeOid, 'PBES2 encryption scheme');
  const spec = lookup(PBES2_CIPHERS, schemeId);
  if (spec === undefined || (!policy.weakCiphers && isWeak(spec.cipher, spec.keyLength))) {
    throw unsupportedAlgorithm(`${what} encryption`, schemeId);
  }
  if ((kdfRead.keyLength ?? spec.keyLength) !== spec.keyLength) {
    throw new AsnError('PBES2 key length does not fit the cipher');
  }
  const iv = octetString(ivTlv, 'PBES2 IV');
  const blockSize = cbcBlockSize(spec.cipher);
  if (iv.length !== blockSize) throw new AsnError(`PBES2 IV must be ${blockSize} bytes`);
  const { derive } = kdfRead;
  return {
    cipher: spec.cipher,
    blockSize,
    decrypt: async (ciphertext, password) => {
      // RFC 8018 leaves the password encoding open; OpenSSL and every current tool use UTF-8.
      const key = await derive(utf8(password.text), spec.keyLength);
      return cbcDecrypt(spec.cipher, key, iv, ciphertext);
    },
  };
}

function readPbeParams(params: Tlv | undefined, what: string): [Uint8Array, number] {
  const [saltTlv, iterationsTlv] = sequence(params, `${what} parameters`);
  const salt = octetString(saltTlv, `${what} salt`);
  const iterations = smallInteger(iterationsTlv, `${what} iterations`);
  checkPkcs12Iterations(iterations);
  return [salt, iterations];
}

function readPkcs12Pbe(spec: Pkcs12Pbe, params: Tlv | undefined): PbeScheme {
  const [salt, iterations] = readPbeParams(params, 'PKCS#12 PBE');
  const sha1 = PKCS12_HASHES[OID.sha1];
  if (sha1 === undefined) throw new AsnError('SHA-1 unavailable');
  return {
    cipher: spec.cipher,
    blockSize: 8,
    decrypt: async (ciphertext, input) => {
      const password = bmpPassword(input.text, input.emptyForm);
      const rawKey = pkcs12Kdf(sha1, password, salt, KDF_PURPOSE.key, iterations, spec.keyLength);
      // Two-key 3DES is K1‖K2‖K1.
      const key =
        spec.keyLength === 16 && spec.cipher === '3DES-CBC'
          ? concatBytes(rawKey, rawKey.subarray(0, 8))
          : rawKey;
      const iv = pkcs12Kdf(sha1, password, salt, KDF_PURPOSE.iv, iterations, 8);
      return cbcDecrypt(spec.cipher, key, iv, ciphertext, spec.rc2Bits);
    },
  };
}

/** PBKDF1 (RFC 8018 §5.1) → DES/RC2 key and IV (§6.1.2: first and second 8 octets). */
function readPbes1(
  spec: { digest: 'md5' | 'sha1'; cipher: CbcCipher },
  params: Tlv | undefined,
): PbeScheme {
  const [salt, iterations] = readPbeParams(params, 'PBES1');
  const hash: Hash | undefined = spec.digest === 'md5' ? md5 : PKCS12_HASHES[OID.sha1];
  if (hash === undefined) throw new AsnError('digest unavailable');
  return {
    cipher: spec.cipher,
    blockSize: 8,
    decrypt: async (ciphertext, password) => {
      const derived = iteratedHash(hash, concatBytes(utf8(password.text), salt), iterations);
      const [key, iv] = [derived.subarray(0, 8), derived.subarray(8, 16)];
      return cbcDecrypt(spec.cipher, key, iv, ciphertext, 64);
    },
  };
}

/**
 * Reads the scheme named by an AlgorithmIdentifier. Throws AsnError for a broken structure and
 * CofferError for an unsupported algorithm (naming it) or a work factor above the caps.
 */
export function readPbeScheme(
  algorithm: Tlv | undefined,
  what: string,
  policy: PbePolicy = ACCEPT_ALL,
): PbeScheme {
  const [oidTlv, params] = sequence(algorithm, `${what} encryption algorithm`);
  const oid = decodeOid(oidTlv, `${what} encryption algorithm`);
  if (oid === OID.pbes2) return readPbes2(params, what, policy);
  const pkcs12 = lookup(PKCS12_PBE, oid);
  if (pkcs12 !== undefined && (policy.weakCiphers || !isWeak(pkcs12.cipher, pkcs12.keyLength))) {
    return readPkcs12Pbe(pkcs12, params);
  }
  const pbes1 = lookup(PBES1, oid);
  if (pbes1 !== undefined && policy.weakCiphers) return readPbes1(pbes1, params);
  throw unsupportedAlgorithm(`${what} encryption`, oid);
}

/** Reads the scheme and decrypts in one step (PKCS#12 content, where no prompt comes between). */
export async function decryptWithPassword(
  algorithm: Tlv | undefined,
  ciphertext: Uint8Array,
  password: PasswordInput,
  what: string,
): Promise<Uint8Array> {
  return readPbeScheme(algorithm, what).decrypt(ciphertext, password);
}

export interface EncryptedPrivateKeyInfo {
  readonly algorithm: Tlv | undefined;
  readonly ciphertext: Uint8Array;
}

/** EncryptedPrivateKeyInfo (RFC 5958 §3); the AlgorithmIdentifier is read by readPbeScheme. */
export function readEncryptedPrivateKeyInfo(der: Uint8Array | Tlv): EncryptedPrivateKeyInfo {
  const top = der instanceof Uint8Array ? parseDer(der) : der;
  const [algorithm, data] = sequence(top, 'EncryptedPrivateKeyInfo');
  return { algorithm, ciphertext: octetString(data, 'encryptedData') };
}
