/** The public shapes of the certificate importer. */

export type SubjectAltName =
  | { readonly type: 'dns'; readonly value: string }
  | { readonly type: 'ip'; readonly value: string }
  | { readonly type: 'email'; readonly value: string }
  | { readonly type: 'uri'; readonly value: string }
  | { readonly type: 'dn'; readonly value: string }
  | { readonly type: 'other'; readonly value: string };

export interface PublicKeySummary {
  /** 'RSA', 'RSA-PSS', 'EC', 'Ed25519', 'Ed448', 'X25519', 'X448', 'DSA', or the dotted OID. */
  readonly algorithm: string;
  /** Modulus or curve size in bits; undefined for an algorithm Coffer does not know. */
  readonly bits: number | undefined;
  /** Curve name for EC keys ('P-256', …), or the curve OID when unknown. */
  readonly curve?: string;
}

export interface CertificateInfo {
  /** RFC 4514 string, exact Unicode. */
  readonly subject: string;
  readonly issuer: string;
  /** Serial number as upper-case colon hex, without DER's leading sign octet. */
  readonly serialNumber: string;
  readonly subjectAltNames: readonly SubjectAltName[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 of the DER encoding, upper-case colon hex. */
  readonly sha256Fingerprint: string;
  readonly publicKey: PublicKeySummary;
  /** basicConstraints cA (RFC 5280 §4.2.1.9). */
  readonly isCa: boolean;
  /** Subject and issuer are the same name. */
  readonly selfIssued: boolean;
  readonly signatureAlgorithm: string;
  readonly der: Uint8Array;
}

export type CertificateState = 'valid' | 'expiring' | 'expired' | 'not_yet_valid';

export interface CertificateValidity {
  readonly state: CertificateState;
  /** Whole days from `now` until notAfter, rounded down; negative once expired. */
  readonly daysLeft: number;
}

/** How a certificate's signature checked out against the next certificate in the chain. */
export type SignatureCheck = 'valid' | 'invalid' | 'unsupported';

export interface ChainEntry {
  readonly certificate: CertificateInfo;
  readonly validity: CertificateValidity;
  /**
   * Index in the chain of the certificate that issued this one (itself for a self-signed root),
   * or undefined when the issuer is not in the input.
   */
  readonly issuerIndex: number | undefined;
  /** Signature verified with the issuer's key; undefined when the issuer is not in the input. */
  readonly signature: SignatureCheck | undefined;
}

export interface PrivateKeySummary {
  readonly algorithm: string;
  readonly bits: number;
  readonly curve?: string;
  /** The key as unencrypted PKCS#8 PEM (LF endings), the stored normal form. */
  readonly pkcs8Pem: string;
}

export type ImportFormat = 'pem' | 'der' | 'pkcs12';

export interface CertificateImport {
  readonly format: ImportFormat;
  /** Ordered leaf → intermediates → root; certificates outside that path follow at the end. */
  readonly chain: readonly ChainEntry[];
  readonly privateKey: PrivateKeySummary | undefined;
  /** Whether the private key belongs to the leaf; undefined without a key. */
  readonly keyMatchesLeaf: boolean | undefined;
  /** The chain as PEM, LF line endings, in chain order. */
  readonly chainPem: string;
  /** PKCS#12 friendlyName of the key or leaf, when the file carried one. */
  readonly friendlyName: string | undefined;
  /** Things the user should know that did not stop the import (ignored blocks, extra keys…). */
  readonly warnings: readonly string[];
}

export interface ImportOptions {
  /** Password for PKCS#12 or an encrypted private key. */
  readonly passphrase?: string;
  /** The instant validity is judged at; defaults to the current time. */
  readonly now?: Date;
}
