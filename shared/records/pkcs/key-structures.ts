/**
 * The ASN.1 key structures OpenSSL, ssh-keygen and PKCS#12 tools write, read once for every
 * importer: PKCS#8 PrivateKeyInfo (RFC 5958 §2), PKCS#1 RSAPrivateKey and RSAPublicKey
 * (RFC 8017 A.1), SEC1 ECPrivateKey (RFC 5915 §3), the RFC 8410 CurvePrivateKey and
 * SubjectPublicKeyInfo (RFC 5280 §4.1). What a key *means* (an SSH key, a certificate's key) is
 * the caller's business; failures here are AsnError naming the field.
 */
import {
  AsnError,
  TAG,
  bitStringBytes,
  children,
  contextTag,
  decodeOid,
  expect,
  nonNegativeIntegerBytes,
  octetString,
  parseDer,
  sequence,
  smallInteger,
  type Tlv,
} from '../asn1/der.ts';

export interface PrivateKeyInfo {
  /** 0 for v1 (RFC 5208), 1 for v2 with an optional public key (RFC 5958). */
  readonly version: number;
  readonly algorithmOid: string;
  /** The AlgorithmIdentifier's parameters (a curve OID for EC keys). */
  readonly parameters: Tlv | undefined;
  /** The algorithm-specific private key (PKCS#1, SEC1 or CurvePrivateKey DER). */
  readonly privateKey: Uint8Array;
}

export function readPrivateKeyInfo(der: Uint8Array): PrivateKeyInfo {
  const [version, algorithm, privateKey] = sequence(parseDer(der), 'PrivateKeyInfo');
  const [oid, parameters] = sequence(algorithm, 'private key algorithm');
  return {
    version: smallInteger(version, 'PrivateKeyInfo version'),
    algorithmOid: decodeOid(oid, 'private key algorithm'),
    parameters,
    privateKey: octetString(privateKey, 'private key'),
  };
}

/** RSA components as unsigned big-endian bytes (no sign octet). */
export interface RsaPrivateKey {
  /** 0 for two primes; 1 marks a multi-prime key (RFC 8017 A.1.2). */
  readonly version: number;
  readonly modulus: Uint8Array;
  readonly publicExponent: Uint8Array;
  readonly privateExponent: Uint8Array;
  readonly prime1: Uint8Array;
  readonly prime2: Uint8Array;
}

export function readRsaPrivateKey(der: Uint8Array): RsaPrivateKey {
  const [version, n, e, d, p, q] = sequence(parseDer(der), 'RSAPrivateKey');
  return {
    version: smallInteger(version, 'RSAPrivateKey version'),
    modulus: nonNegativeIntegerBytes(n, 'RSA modulus'),
    publicExponent: nonNegativeIntegerBytes(e, 'RSA public exponent'),
    privateExponent: nonNegativeIntegerBytes(d, 'RSA private exponent'),
    prime1: nonNegativeIntegerBytes(p, 'RSA prime1'),
    prime2: nonNegativeIntegerBytes(q, 'RSA prime2'),
  };
}

export interface RsaPublicKey {
  readonly modulus: Uint8Array;
  readonly exponent: Uint8Array;
}

export function readRsaPublicKey(der: Uint8Array): RsaPublicKey {
  const parts = sequence(parseDer(der), 'RSAPublicKey');
  if (parts.length !== 2) throw new AsnError('RSAPublicKey must hold exactly two integers');
  return {
    modulus: nonNegativeIntegerBytes(parts[0], 'RSA modulus'),
    exponent: nonNegativeIntegerBytes(parts[1], 'RSA public exponent'),
  };
}

export interface EcPrivateKey {
  readonly scalar: Uint8Array;
  /** The key's own [0] namedCurve, if present. */
  readonly curveOid: string | undefined;
  /** The key's own [1] public point, if present. */
  readonly publicKey: Uint8Array | undefined;
}

export function readEcPrivateKey(der: Uint8Array): EcPrivateKey {
  const parts = sequence(parseDer(der), 'ECPrivateKey');
  if (smallInteger(parts[0], 'ECPrivateKey version') !== 1) {
    throw new AsnError('ECPrivateKey version must be 1');
  }
  const scalar = octetString(parts[1], 'EC private key');
  const params = parts.find((part) => part.tag === contextTag(0, true));
  const publicTlv = parts.find((part) => part.tag === contextTag(1, true));
  return {
    scalar,
    curveOid: params === undefined ? undefined : decodeOid(children(params)[0], 'EC curve'),
    publicKey:
      publicTlv === undefined ? undefined : bitStringBytes(children(publicTlv)[0], 'EC public key'),
  };
}

/**
 * The curve of an EC private key, from the PKCS#8 algorithm parameters or the key's own [0]
 * field. Two different curves mean a spliced key: its scalar would be read on the wrong curve.
 */
export function ecCurveOf(key: EcPrivateKey, outerCurveOid: string | undefined): string {
  const curveOid = outerCurveOid ?? key.curveOid;
  if (curveOid === undefined) throw new AsnError('EC key names no curve');
  if (key.curveOid !== undefined && key.curveOid !== curveOid) {
    throw new AsnError('EC key names two different curves');
  }
  return curveOid;
}

/** The named curve in an EC AlgorithmIdentifier's parameters; explicit curves are undefined. */
export function namedCurveOid(parameters: Tlv | undefined): string | undefined {
  return parameters?.tag === TAG.oid ? decodeOid(parameters, 'EC curve') : undefined;
}

/** RFC 8410 §7: the Ed25519/Ed448/X25519/X448 private key is an OCTET STRING in the octets. */
export function readCurvePrivateKey(privateKey: Uint8Array): Uint8Array {
  return expect(parseDer(privateKey), TAG.octetString, 'CurvePrivateKey').content;
}

export interface SubjectPublicKeyInfo {
  readonly algorithmOid: string;
  readonly parameters: Tlv | undefined;
  readonly publicKey: Uint8Array;
}

export function readSpki(spki: Tlv): SubjectPublicKeyInfo {
  const [algorithm, keyBits] = sequence(spki, 'subjectPublicKeyInfo');
  const [oid, parameters] = sequence(algorithm, 'public key algorithm');
  return {
    algorithmOid: decodeOid(oid, 'public key algorithm'),
    parameters,
    publicKey: bitStringBytes(keyBits, 'subjectPublicKey'),
  };
}
