/**
 * SubjectPublicKeyInfo reading: what to show (algorithm, size, curve) and an identity string
 * that two encodings of the same key share, so a private key can be matched to a certificate
 * even when one side stores a compressed EC point or RSA-PSS parameters.
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { ed448, x448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { toHex } from '../../crypto/bytes.ts';
import {
  TAG,
  bitLength,
  decodeOid,
  sequence,
  unsignedIntegerBytes,
  type Tlv,
} from '../asn1/der.ts';
import { CURVES, OID } from '../asn1/oids.ts';
import { readRsaPublicKey, readSpki } from '../pkcs/key-structures.ts';
import type { PublicKeySummary } from './types.ts';

export interface PublicKeyDetails {
  readonly summary: PublicKeySummary;
  /** Equal for equal keys whatever their encoding; undefined when Coffer cannot read the key. */
  readonly identity: string | undefined;
  readonly algorithmOid: string;
  /** Curve OID for EC keys. */
  readonly curveOid?: string;
  /** The whole SubjectPublicKeyInfo, as WebCrypto's 'spki' import expects. */
  readonly spki: Uint8Array;
}

interface WeierstrassLike {
  getPublicKey(secretKey: Uint8Array, isCompressed?: boolean): Uint8Array;
  Point: { fromBytes(bytes: Uint8Array): { toBytes(isCompressed?: boolean): Uint8Array } };
}

const WEIERSTRASS: Readonly<Record<string, WeierstrassLike>> = {
  [OID.p256]: p256,
  [OID.p384]: p384,
  [OID.p521]: p521,
  [OID.secp256k1]: secp256k1,
};

interface EdwardsLike {
  getPublicKey(secretKey: Uint8Array): Uint8Array;
}

/** Algorithms whose public key is derived from the raw private key bytes (RFC 8410). */
export const OKP: Readonly<Record<string, { name: string; bits: number; curve: EdwardsLike }>> = {
  [OID.ed25519]: { name: 'Ed25519', bits: 256, curve: ed25519 },
  [OID.ed448]: { name: 'Ed448', bits: 456, curve: ed448 },
  [OID.x25519]: { name: 'X25519', bits: 256, curve: x25519 },
  [OID.x448]: { name: 'X448', bits: 448, curve: x448 },
};

export function weierstrassCurve(curveOid: string): WeierstrassLike | undefined {
  return WEIERSTRASS[curveOid];
}

export function rsaIdentity(modulus: Uint8Array, exponent: Uint8Array): string {
  return `rsa:${toHex(modulus)}:${toHex(exponent)}`;
}

/** Identity of an EC point: always from the uncompressed form (SEC 1 §2.3.3). */
export function ecIdentity(curveOid: string, point: Uint8Array): string | undefined {
  const curve = weierstrassCurve(curveOid);
  if (curve === undefined) return `ec:${curveOid}:${toHex(point)}`;
  try {
    return `ec:${curveOid}:${toHex(curve.Point.fromBytes(point).toBytes(false))}`;
  } catch {
    return undefined;
  }
}

export function okpIdentity(algorithmOid: string, publicKey: Uint8Array): string {
  return `okp:${algorithmOid}:${toHex(publicKey)}`;
}

function readRsa(
  keyBytes: Uint8Array,
  algorithm: string,
): Omit<PublicKeyDetails, 'spki' | 'algorithmOid'> {
  const { modulus, exponent } = readRsaPublicKey(keyBytes);
  return {
    summary: { algorithm, bits: bitLength(modulus) },
    identity: rsaIdentity(modulus, exponent),
  };
}

/** Reads a SubjectPublicKeyInfo; throws AsnError when its structure is broken. */
export function readSubjectPublicKeyInfo(spki: Tlv): PublicKeyDetails {
  const { algorithmOid, parameters, publicKey: keyBytes } = readSpki(spki);
  const base = { algorithmOid, spki: spki.raw };
  if (algorithmOid === OID.rsaEncryption || algorithmOid === OID.rsassaPss) {
    const name = algorithmOid === OID.rsaEncryption ? 'RSA' : 'RSA-PSS';
    return { ...base, ...readRsa(keyBytes, name) };
  }
  if (algorithmOid === OID.ecPublicKey) {
    if (parameters?.tag !== TAG.oid) {
      // Explicit curve parameters (RFC 5480 §2.1.1 forbids them in PKIX) are not supported.
      return { ...base, summary: { algorithm: 'EC', bits: undefined }, identity: undefined };
    }
    const curveOid = decodeOid(parameters, 'named curve');
    const curve = CURVES[curveOid];
    return {
      ...base,
      curveOid,
      summary: { algorithm: 'EC', bits: curve?.bits, curve: curve?.name ?? curveOid },
      identity: ecIdentity(curveOid, keyBytes),
    };
  }
  const okp = OKP[algorithmOid];
  if (okp !== undefined) {
    return {
      ...base,
      summary: { algorithm: okp.name, bits: okp.bits },
      identity: okpIdentity(algorithmOid, keyBytes),
    };
  }
  if (algorithmOid === OID.dsa) {
    const [p] = parameters?.tag === TAG.sequence ? sequence(parameters, 'DSA parameters') : [];
    const bits = p === undefined ? undefined : bitLength(unsignedIntegerBytes(p, 'DSA p'));
    return { ...base, summary: { algorithm: 'DSA', bits }, identity: `dsa:${toHex(keyBytes)}` };
  }
  return { ...base, summary: { algorithm: algorithmOid, bits: undefined }, identity: undefined };
}
