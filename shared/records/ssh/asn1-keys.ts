import { CofferError } from '../../errors.ts';
import type { ErrorCode } from '../../protocol/error-codes.ts';
import { AsnError, parseDer } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import {
  namedCurveOid,
  readCurvePrivateKey,
  readEcPrivateKey,
  readPrivateKeyInfo,
  readRsaPrivateKey,
  readRsaPublicKey,
  readSpki,
} from '../pkcs/key-structures.ts';
import { bytesToBigInt, SshReader, SshWriter } from './bytes.ts';
import {
  ecdsaFromScalar,
  ecdsaTypeForOid,
  ed25519FromSeed,
  readPublicFields,
  rsaFromParts,
} from './key-material.ts';
import type { EcdsaKeyType, SshPrivateMaterial, SshPublicMaterial } from './key-material.ts';

/**
 * OpenSSL's DER key structures (PKCS #1, SEC1, PKCS #8, SubjectPublicKeyInfo) as SSH key
 * material. The structures are read by the shared readers in ../pkcs; this module only maps them
 * to SSH keys and reports damage with the SSH importer's codes.
 */

/**
 * Runs a structure reader and reports an ASN.1 failure as `failCode` (wrong_passphrase when the
 * bytes came out of a decryption, where garbage means the wrong key was used).
 */
function guard<T>(what: string, failCode: ErrorCode | undefined, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof AsnError)) throw error;
    throw new CofferError(failCode ?? 'ssh_key_damaged', `${what}: ${error.message}`, {
      cause: error,
    });
  }
}

export function parsePkcs1PrivateKey(der: Uint8Array, failCode?: ErrorCode): SshPrivateMaterial {
  const key = guard('The PKCS #1 RSA key', failCode, () => readRsaPrivateKey(der));
  if (key.version !== 0) {
    throw new CofferError('unsupported_algorithm', 'Multi-prime RSA keys are not supported');
  }
  return rsaFromParts({
    n: bytesToBigInt(key.modulus),
    e: bytesToBigInt(key.publicExponent),
    d: bytesToBigInt(key.privateExponent),
    p: bytesToBigInt(key.prime1),
    q: bytesToBigInt(key.prime2),
  });
}

export function parseSec1PrivateKey(
  der: Uint8Array,
  outerCurve?: EcdsaKeyType,
  failCode?: ErrorCode,
): SshPrivateMaterial {
  const what = 'The SEC1 EC key';
  const key = guard(what, failCode, () => readEcPrivateKey(der));
  const inner = key.curveOid === undefined ? undefined : ecdsaTypeForOid(key.curveOid);
  if (inner !== undefined && outerCurve !== undefined && inner !== outerCurve) {
    throw new CofferError(failCode ?? 'ssh_key_damaged', `${what} names two different curves`);
  }
  const type = outerCurve ?? inner;
  if (type === undefined) {
    throw new CofferError('unsupported_algorithm', 'The EC key does not name its curve');
  }
  return ecdsaFromScalar(type, bytesToBigInt(key.scalar), key.publicKey);
}

export function parsePkcs8PrivateKey(der: Uint8Array, failCode?: ErrorCode): SshPrivateMaterial {
  const what = 'The PKCS #8 key';
  const info = guard(what, failCode, () => readPrivateKeyInfo(der));
  if (info.version > 1) {
    throw new CofferError('unsupported_algorithm', `PKCS #8 version ${info.version + 1}`);
  }
  const oid = info.algorithmOid;
  if (oid === OID.rsaEncryption) return parsePkcs1PrivateKey(info.privateKey, failCode);
  if (oid === OID.ecPublicKey) {
    const curveOid = guard(what, failCode, () => namedCurveOid(info.parameters));
    if (curveOid === undefined) {
      throw new CofferError(failCode ?? 'ssh_key_damaged', `${what}: expected namedCurve`);
    }
    return parseSec1PrivateKey(info.privateKey, ecdsaTypeForOid(curveOid), failCode);
  }
  if (oid === OID.ed25519) {
    const seed = guard('The Ed25519 key', failCode, () => readCurvePrivateKey(info.privateKey));
    return ed25519FromSeed(seed);
  }
  throw new CofferError('unsupported_algorithm', algorithmName(oid));
}

function algorithmName(oid: string): string {
  const known: Record<string, string> = {
    '1.2.840.10040.4.1': 'DSA keys are not supported',
    '1.3.101.113': 'Ed448 keys are not supported by SSH',
    '1.3.101.110': 'X25519 keys cannot sign and are not SSH keys',
  };
  return known[oid] ?? `Key algorithm ${oid} is not supported`;
}

export function parseRsaPublicKey(der: Uint8Array): SshPublicMaterial {
  const key = guard('The RSA public key', undefined, () => readRsaPublicKey(der));
  return rsaPublic(bytesToBigInt(key.exponent), bytesToBigInt(key.modulus));
}

/** Builds the public key through the SSH reader so the same checks apply as for SSH blobs. */
function rsaPublic(e: bigint, n: bigint): SshPublicMaterial {
  const fields = new SshWriter().mpint(e).mpint(n).bytes();
  return readPublicFields(new SshReader(fields, 'The RSA public key'), 'ssh-rsa');
}

export function parseSpki(der: Uint8Array): SshPublicMaterial {
  const what = 'The public key';
  const spki = guard(what, undefined, () => readSpki(parseDer(der)));
  const oid = spki.algorithmOid;
  const bits = spki.publicKey;
  if (oid === OID.rsaEncryption) return parseRsaPublicKey(bits);
  if (oid === OID.ecPublicKey) {
    const curveOid = guard(what, undefined, () => namedCurveOid(spki.parameters));
    if (curveOid === undefined)
      throw new CofferError('ssh_key_damaged', `${what}: expected namedCurve`);
    const type = ecdsaTypeForOid(curveOid);
    const fields = new SshWriter().string(type.replace('ecdsa-sha2-', '')).string(bits).bytes();
    return readPublicFields(new SshReader(fields, 'The EC public key'), type);
  }
  if (oid === OID.ed25519) {
    const fields = new SshWriter().string(bits).bytes();
    return readPublicFields(new SshReader(fields, 'The Ed25519 public key'), 'ssh-ed25519');
  }
  throw new CofferError('unsupported_algorithm', algorithmName(oid));
}
