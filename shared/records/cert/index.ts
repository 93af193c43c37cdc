/**
 * Certificate records: import PEM, DER and PKCS#12 (chain, private key, passphrase), show what
 * the certificates say, and store a normal form (chain PEM + PKCS#8 key PEM, LF endings).
 */
export { importCertificate, MAX_CERTIFICATES, MAX_INPUT_BYTES } from './import.ts';
export { validityAt, EXPIRING_WITHIN_DAYS } from './validity.ts';
export type {
  CertificateImport,
  CertificateInfo,
  CertificateState,
  CertificateValidity,
  ChainEntry,
  ImportFormat,
  ImportOptions,
  PrivateKeySummary,
  PublicKeySummary,
  SignatureCheck,
  SubjectAltName,
} from './types.ts';
