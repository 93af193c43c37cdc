/** Object identifiers the record importers recognise, grouped by where they appear. */
import { CofferError } from '../../errors.ts';

export const OID = {
  // Public key algorithms (RFC 3279, RFC 4055, RFC 5480, RFC 8410).
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  dsa: '1.2.840.10040.4.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  x25519: '1.3.101.110',
  x448: '1.3.101.111',
  // Named curves.
  p256: '1.2.840.10045.3.1.7',
  p384: '1.3.132.0.34',
  p521: '1.3.132.0.35',
  secp256k1: '1.3.132.0.10',
  // Signature algorithms.
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  ecdsaWithSha1: '1.2.840.10045.4.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  // Digests.
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  md5: '1.2.840.113549.2.5',
  mgf1: '1.2.840.113549.1.1.8',
  // Extensions (RFC 5280 §4.2).
  subjectKeyIdentifier: '2.5.29.14',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  // Password-based encryption (RFC 8018, RFC 7292 Appendix C).
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  scrypt: '1.3.6.1.4.1.11591.4.11',
  pbmac1: '1.2.840.113549.1.5.14',
  hmacWithSha1: '1.2.840.113549.2.7',
  hmacWithSha224: '1.2.840.113549.2.8',
  hmacWithSha256: '1.2.840.113549.2.9',
  hmacWithSha384: '1.2.840.113549.2.10',
  hmacWithSha512: '1.2.840.113549.2.11',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  desEde3Cbc: '1.2.840.113549.3.7',
  desCbc: '1.3.14.3.2.7',
  rc2Cbc: '1.2.840.113549.3.2',
  pbeWithMd5AndDesCbc: '1.2.840.113549.1.5.3',
  pbeWithSha1AndDesCbc: '1.2.840.113549.1.5.10',
  pbeWithMd5AndRc2Cbc: '1.2.840.113549.1.5.6',
  pbeWithSha1AndRc2Cbc: '1.2.840.113549.1.5.11',
  pbeWithShaAnd128BitRc4: '1.2.840.113549.1.12.1.1',
  pbeWithShaAnd40BitRc4: '1.2.840.113549.1.12.1.2',
  pbeWithShaAnd3KeyTripleDesCbc: '1.2.840.113549.1.12.1.3',
  pbeWithShaAnd2KeyTripleDesCbc: '1.2.840.113549.1.12.1.4',
  pbeWithShaAnd128BitRc2Cbc: '1.2.840.113549.1.12.1.5',
  pbeWithShaAnd40BitRc2Cbc: '1.2.840.113549.1.12.1.6',
  // PKCS#7 / PKCS#12 content and bag types (RFC 2315, RFC 7292).
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
} as const;

/** Curve name and size for the named curves whose keys Coffer can read. */
export const CURVES: Readonly<Record<string, { name: string; bits: number }>> = {
  [OID.p256]: { name: 'P-256', bits: 256 },
  [OID.p384]: { name: 'P-384', bits: 384 },
  [OID.p521]: { name: 'P-521', bits: 521 },
  [OID.secp256k1]: { name: 'secp256k1', bits: 256 },
};

/**
 * Attribute type names for RFC 4514 strings: the RFC's own table (§3) plus the names OpenSSL
 * prints for other common attributes. Anything else is written as its dotted OID with a #hex value.
 */
export const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

/** Names for algorithms users meet in old files, so a refusal says more than a number. */
const ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  [OID.desCbc]: 'single DES (DES-CBC)',
  [OID.rc2Cbc]: 'RC2-CBC',
  [OID.desEde3Cbc]: '3DES (DES-EDE3-CBC)',
  [OID.pbeWithMd5AndDesCbc]: 'pbeWithMD5AndDES-CBC',
  [OID.pbeWithSha1AndDesCbc]: 'pbeWithSHA1AndDES-CBC',
  [OID.pbeWithMd5AndRc2Cbc]: 'pbeWithMD5AndRC2-CBC',
  [OID.pbeWithSha1AndRc2Cbc]: 'pbeWithSHA1AndRC2-CBC',
  [OID.pbeWithShaAnd128BitRc4]: 'pbeWithSHAAnd128BitRC4',
  [OID.pbeWithShaAnd40BitRc4]: 'pbeWithSHAAnd40BitRC4',
  [OID.pbeWithShaAnd2KeyTripleDesCbc]: 'pbeWithSHAAnd2-KeyTripleDES-CBC',
  [OID.pbeWithShaAnd128BitRc2Cbc]: 'pbeWithSHAAnd128BitRC2-CBC',
  [OID.pbeWithShaAnd40BitRc2Cbc]: 'pbeWithSHAAnd40BitRC2-CBC',
  [OID.pbmac1]: 'PBMAC1',
  [OID.dsa]: 'DSA',
};

/** unsupported_algorithm naming what uses the algorithm, its name when known, and its OID. */
export function unsupportedAlgorithm(what: string, oid: string): CofferError {
  const name = Object.hasOwn(ALGORITHM_NAMES, oid) ? `${ALGORITHM_NAMES[oid]}, ` : '';
  return new CofferError(
    'unsupported_algorithm',
    `${what} uses an unsupported algorithm (${name}OID ${oid}).`,
  );
}
