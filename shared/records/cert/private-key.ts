/**
 * Private keys in PKCS#8 (RFC 5208/5958), PKCS#1 RSA (RFC 8017 A.1.2) and SEC1 EC (RFC 5915),
 * normalised to unencrypted PKCS#8 (the vault encrypts the record) together with the public
 * key's identity, so the key can be matched to a certificate.
 */
import { CofferError } from '../../errors.ts';
import { toPem } from '../pkcs/pem.ts';
import {
  AsnError,
  DER_NULL,
  TAG,
  bitLength,
  contextTag,
  encodeBitString,
  encodeOid,
  encodeSmallInteger,
  encodeTlv,
} from '../asn1/der.ts';
import { CURVES, OID, unsupportedAlgorithm as unsupported } from '../asn1/oids.ts';
import {
  ecCurveOf,
  namedCurveOid,
  readCurvePrivateKey,
  readEcPrivateKey,
  readPrivateKeyInfo,
  readRsaPrivateKey,
} from '../pkcs/key-structures.ts';
import { OKP, ecIdentity, okpIdentity, rsaIdentity, weierstrassCurve } from './public-key.ts';
import type { PrivateKeySummary } from './types.ts';

export interface ParsedPrivateKey {
  readonly summary: PrivateKeySummary;
  /** Public key identity, comparable with PublicKeyDetails.identity. */
  readonly identity: string;
  readonly pkcs8: Uint8Array;
}

function malformed(what: string, error: unknown): CofferError {
  const detail = error instanceof AsnError ? `: ${error.message}` : '';
  return new CofferError('key_malformed', `${what} is not a valid private key${detail}.`, {
    cause: error,
  });
}

function finish(
  algorithm: string,
  bits: number,
  identity: string,
  pkcs8: Uint8Array,
  curve?: string,
): ParsedPrivateKey {
  const summary: PrivateKeySummary = {
    algorithm,
    bits,
    ...(curve === undefined ? {} : { curve }),
    pkcs8Pem: toPem('PRIVATE KEY', pkcs8),
  };
  return { summary, identity, pkcs8 };
}

function rsaFromPkcs1(pkcs1: Uint8Array, pkcs8: Uint8Array, algorithm: string): ParsedPrivateKey {
  const { modulus, publicExponent } = readRsaPrivateKey(pkcs1);
  return finish(algorithm, bitLength(modulus), rsaIdentity(modulus, publicExponent), pkcs8);
}

function pkcs8Wrap(algorithm: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return encodeTlv(
    TAG.sequence,
    encodeSmallInteger(0),
    algorithm,
    encodeTlv(TAG.octetString, privateKey),
  );
}

/**
 * SEC1 ECPrivateKey. The curve comes from the PKCS#8 algorithm or the key's own [0] field; the
 * public point is always derived from the scalar, and an embedded one must agree with it — a key
 * whose halves disagree would "match" a certificate it cannot sign for.
 */
function ecFromSec1(
  sec1: Uint8Array,
  outerCurveOid: string | undefined,
  what: string,
): ParsedPrivateKey {
  const key = readEcPrivateKey(sec1);
  const { scalar, publicKey } = key;
  const curveOid = ecCurveOf(key, outerCurveOid);
  const curve = weierstrassCurve(curveOid);
  const info = CURVES[curveOid];
  if (curve === undefined || info === undefined) throw unsupported(what, curveOid);
  const derived = curve.getPublicKey(scalar, false);
  const identity = ecIdentity(curveOid, derived) ?? '';
  if (publicKey !== undefined) {
    if (ecIdentity(curveOid, publicKey) !== identity) {
      throw new CofferError(
        'key_malformed',
        `${what} carries a public key that does not belong to its private key.`,
      );
    }
  }
  const inner = encodeTlv(
    TAG.sequence,
    encodeSmallInteger(1),
    encodeTlv(TAG.octetString, scalar),
    encodeTlv(contextTag(1, true), encodeBitString(derived)),
  );
  const algorithm = encodeTlv(TAG.sequence, encodeOid(OID.ecPublicKey), encodeOid(curveOid));
  return finish('EC', info.bits, identity, pkcs8Wrap(algorithm, inner), info.name);
}

function parsePkcs8Structure(der: Uint8Array, what: string): ParsedPrivateKey {
  const { algorithmOid: oid, parameters, privateKey } = readPrivateKeyInfo(der);
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    return rsaFromPkcs1(privateKey, der, oid === OID.rsaEncryption ? 'RSA' : 'RSA-PSS');
  }
  if (oid === OID.ecPublicKey) {
    return ecFromSec1(privateKey, namedCurveOid(parameters), what);
  }
  const okp = OKP[oid];
  if (okp !== undefined) {
    // RFC 8410 §7: the key is a CurvePrivateKey OCTET STRING inside the privateKey octets.
    const seed = readCurvePrivateKey(privateKey);
    const identity = okpIdentity(oid, okp.curve.getPublicKey(seed));
    const algorithmTlv = encodeTlv(TAG.sequence, encodeOid(oid));
    return finish(
      okp.name,
      okp.bits,
      identity,
      pkcs8Wrap(algorithmTlv, encodeTlv(TAG.octetString, seed)),
    );
  }
  throw unsupported(what, oid);
}

function guard<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CofferError) throw error;
    throw malformed(what, error);
  }
}

export function parsePkcs8(der: Uint8Array, what = 'The PKCS#8 private key'): ParsedPrivateKey {
  return guard(what, () => parsePkcs8Structure(der, what));
}

export function parsePkcs1Rsa(der: Uint8Array, what = 'The RSA private key'): ParsedPrivateKey {
  return guard(what, () => {
    const algorithm = encodeTlv(TAG.sequence, encodeOid(OID.rsaEncryption), DER_NULL);
    return rsaFromPkcs1(der, pkcs8Wrap(algorithm, der), 'RSA');
  });
}

export function parseSec1Ec(der: Uint8Array, what = 'The EC private key'): ParsedPrivateKey {
  return guard(what, () => ecFromSec1(der, undefined, what));
}
