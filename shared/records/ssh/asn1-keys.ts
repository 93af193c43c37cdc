import { CofferError } from '../../errors.ts';
import type { ErrorCode } from '../../protocol/error-codes.ts';
import { bytesToBigInt, SshReader, SshWriter } from './bytes.ts';
import { DerReader } from './der.ts';
import {
  ecdsaFromScalar,
  ecdsaTypeForOid,
  ed25519FromSeed,
  readPublicFields,
  rsaFromParts,
} from './key-material.ts';
import type { EcdsaKeyType, SshPrivateMaterial, SshPublicMaterial } from './key-material.ts';

/**
 * The DER key structures OpenSSL writes: PKCS #1 RSAPrivateKey (RFC 8017 A.1.2), SEC1
 * ECPrivateKey (RFC 5915), PKCS #8 PrivateKeyInfo (RFC 5958), and the public forms
 * SubjectPublicKeyInfo (RFC 5280 §4.1) and RSAPublicKey (RFC 8017 A.1.1).
 */

const OID_RSA = '1.2.840.113549.1.1.1';
const OID_EC = '1.2.840.10045.2.1';
const OID_ED25519 = '1.3.101.112';

/** `failCode` is wrong_passphrase when the bytes came out of a decryption. */
export function parsePkcs1PrivateKey(der: Uint8Array, failCode?: ErrorCode): SshPrivateMaterial {
  const seq = new DerReader(der, 'The PKCS #1 RSA key', failCode).sequence('RSAPrivateKey');
  const version = seq.smallInteger('version');
  if (version !== 0) {
    throw new CofferError('unsupported_algorithm', 'Multi-prime RSA keys are not supported');
  }
  const n = seq.integer('modulus');
  const e = seq.integer('publicExponent');
  const d = seq.integer('privateExponent');
  const p = seq.integer('prime1');
  const q = seq.integer('prime2');
  return rsaFromParts({ n, e, d, p, q });
}

export function parseSec1PrivateKey(
  der: Uint8Array,
  outerCurve?: EcdsaKeyType,
  failCode?: ErrorCode,
): SshPrivateMaterial {
  const seq = new DerReader(der, 'The SEC1 EC key', failCode).sequence('ECPrivateKey');
  if (seq.smallInteger('version') !== 1) {
    throw new CofferError(failCode ?? 'ssh_key_damaged', 'The SEC1 EC key version is not 1');
  }
  const scalar = bytesToBigInt(seq.octetString('privateKey'));
  let type = outerCurve;
  const params = seq.optional(0xa0);
  if (params !== undefined) {
    type = ecdsaTypeForOid(new DerReader(params, 'The SEC1 curve', failCode).oid('namedCurve'));
  }
  if (type === undefined) {
    throw new CofferError('unsupported_algorithm', 'The EC key does not name its curve');
  }
  const publicBits = seq.optional(0xa1);
  const point =
    publicBits === undefined
      ? undefined
      : new DerReader(publicBits, 'The SEC1 public key', failCode).bitString('publicKey');
  return ecdsaFromScalar(type, scalar, point);
}

export function parsePkcs8PrivateKey(der: Uint8Array, failCode?: ErrorCode): SshPrivateMaterial {
  const seq = new DerReader(der, 'The PKCS #8 key', failCode).sequence('PrivateKeyInfo');
  const version = seq.smallInteger('version');
  if (version > 1) throw new CofferError('unsupported_algorithm', `PKCS #8 version ${version + 1}`);
  const algorithm = seq.sequence('privateKeyAlgorithm');
  const oid = algorithm.oid('algorithm');
  const inner = seq.octetString('privateKey');
  if (oid === OID_RSA) return parsePkcs1PrivateKey(inner, failCode);
  if (oid === OID_EC) {
    const curve = ecdsaTypeForOid(algorithm.oid('namedCurve'));
    return parseSec1PrivateKey(inner, curve, failCode);
  }
  if (oid === OID_ED25519) {
    const seed = new DerReader(inner, 'The Ed25519 key', failCode).octetString('CurvePrivateKey');
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
  const seq = new DerReader(der, 'The RSA public key').sequence('RSAPublicKey');
  const n = seq.integer('modulus');
  const e = seq.integer('publicExponent');
  seq.end();
  return rsaPublic(e, n);
}

/** Builds the public key through the SSH reader so the same checks apply as for SSH blobs. */
function rsaPublic(e: bigint, n: bigint): SshPublicMaterial {
  const fields = new SshWriter().mpint(e).mpint(n).bytes();
  return readPublicFields(new SshReader(fields, 'The RSA public key'), 'ssh-rsa');
}

export function parseSpki(der: Uint8Array): SshPublicMaterial {
  const seq = new DerReader(der, 'The public key').sequence('SubjectPublicKeyInfo');
  const algorithm = seq.sequence('algorithm');
  const oid = algorithm.oid('algorithm');
  const bits = seq.bitString('subjectPublicKey');
  if (oid === OID_RSA) return parseRsaPublicKey(bits);
  if (oid === OID_EC) {
    const type = ecdsaTypeForOid(algorithm.oid('namedCurve'));
    const fields = new SshWriter().string(type.replace('ecdsa-sha2-', '')).string(bits).bytes();
    return readPublicFields(new SshReader(fields, 'The EC public key'), type);
  }
  if (oid === OID_ED25519) {
    const fields = new SshWriter().string(bits).bytes();
    return readPublicFields(new SshReader(fields, 'The Ed25519 public key'), 'ssh-ed25519');
  }
  throw new CofferError('unsupported_algorithm', algorithmName(oid));
}
