import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { CofferError } from '../../errors.ts';
import { bigIntToBytes, bitLength, bytesEqual, SshReader, SshWriter } from './bytes.ts';

/**
 * The key algorithms Coffer imports and exports, and their public blobs (RFC 4253 §6.6,
 * RFC 5656 §3.1, RFC 8709 §4). Every constructor here checks that the private half matches the
 * public half, so a damaged or spliced key is refused instead of stored.
 */

export type EcdsaKeyType = 'ecdsa-sha2-nistp256' | 'ecdsa-sha2-nistp384' | 'ecdsa-sha2-nistp521';
export type SshKeyType = 'ssh-ed25519' | 'ssh-rsa' | EcdsaKeyType;

export type SshPublicMaterial =
  | { readonly type: 'ssh-ed25519'; readonly publicKey: Uint8Array }
  | { readonly type: 'ssh-rsa'; readonly e: bigint; readonly n: bigint }
  | { readonly type: EcdsaKeyType; readonly point: Uint8Array };

export type SshPrivateMaterial =
  | { readonly type: 'ssh-ed25519'; readonly publicKey: Uint8Array; readonly seed: Uint8Array }
  | {
      readonly type: 'ssh-rsa';
      readonly n: bigint;
      readonly e: bigint;
      readonly d: bigint;
      readonly p: bigint;
      readonly q: bigint;
      readonly iqmp: bigint;
    }
  | { readonly type: EcdsaKeyType; readonly point: Uint8Array; readonly scalar: bigint };

interface CurveInfo {
  readonly identifier: string;
  readonly oid: string;
  readonly bits: number;
  readonly scalarLength: number;
  readonly curve: typeof p256;
}

export const ECDSA_CURVES: Readonly<Record<EcdsaKeyType, CurveInfo>> = {
  'ecdsa-sha2-nistp256': {
    identifier: 'nistp256',
    oid: '1.2.840.10045.3.1.7',
    bits: 256,
    scalarLength: 32,
    curve: p256,
  },
  'ecdsa-sha2-nistp384': {
    identifier: 'nistp384',
    oid: '1.3.132.0.34',
    bits: 384,
    scalarLength: 48,
    curve: p384,
  },
  'ecdsa-sha2-nistp521': {
    identifier: 'nistp521',
    oid: '1.3.132.0.35',
    bits: 521,
    scalarLength: 66,
    curve: p521,
  },
};

/** RSA moduli outside this range are refused: too weak to keep, or large enough to stall. */
const RSA_MIN_BITS = 1024;
const RSA_MAX_BITS = 16384;

export function isEcdsaType(type: string): type is EcdsaKeyType {
  return Object.hasOwn(ECDSA_CURVES, type);
}

export function ecdsaTypeForOid(oid: string): EcdsaKeyType {
  for (const [type, info] of Object.entries(ECDSA_CURVES)) {
    if (info.oid === oid) return type as EcdsaKeyType;
  }
  throw new CofferError('unsupported_algorithm', `Elliptic curve ${oid} is not supported`);
}

/** Names key types we recognise but do not take, so the message says why. */
export function unsupportedKeyType(type: string): CofferError {
  if (type === 'ssh-dss') {
    return new CofferError('unsupported_algorithm', 'DSA (ssh-dss) keys are not supported');
  }
  if (type.startsWith('sk-')) {
    return new CofferError(
      'unsupported_algorithm',
      `Security-key type ${type} needs its hardware token and is not supported`,
    );
  }
  const shown = /^[\x21-\x7e]{1,64}$/.test(type) ? type : '(unreadable)';
  return new CofferError('unsupported_algorithm', `SSH key type ${shown} is not supported`);
}

export function keyBits(key: SshPublicMaterial): number {
  if (key.type === 'ssh-ed25519') return 256;
  if (key.type === 'ssh-rsa') return bitLength(key.n);
  return ECDSA_CURVES[key.type].bits;
}

export function publicOf(key: SshPrivateMaterial): SshPublicMaterial {
  if (key.type === 'ssh-ed25519') return { type: key.type, publicKey: key.publicKey };
  if (key.type === 'ssh-rsa') return { type: key.type, e: key.e, n: key.n };
  return { type: key.type, point: key.point };
}

export function writePublicFields(w: SshWriter, key: SshPublicMaterial): SshWriter {
  if (key.type === 'ssh-ed25519') return w.string(key.publicKey);
  if (key.type === 'ssh-rsa') return w.mpint(key.e).mpint(key.n);
  return w.string(ECDSA_CURVES[key.type].identifier).string(key.point);
}

export function encodePublicBlob(key: SshPublicMaterial): Uint8Array {
  return writePublicFields(new SshWriter().string(key.type), key).bytes();
}

/** Reads the algorithm-specific public fields that follow the type name (also used by certs). */
export function readPublicFields(r: SshReader, type: string): SshPublicMaterial {
  if (type === 'ssh-ed25519') return checkEd25519Public(r.string());
  if (type === 'ssh-rsa') {
    const e = r.mpint();
    return checkRsaPublic(e, r.mpint());
  }
  if (isEcdsaType(type)) {
    const identifier = new TextDecoder().decode(r.string());
    if (identifier !== ECDSA_CURVES[type].identifier) {
      throw new CofferError('ssh_key_damaged', `The curve name does not match key type ${type}`);
    }
    return checkEcdsaPublic(type, r.string());
  }
  throw unsupportedKeyType(type);
}

export function decodePublicBlob(blob: Uint8Array, what: string): SshPublicMaterial {
  const r = new SshReader(blob, what);
  const type = new TextDecoder().decode(r.string());
  const key = readPublicFields(r, type);
  r.end();
  return key;
}

export function publicEqual(a: SshPublicMaterial, b: SshPublicMaterial): boolean {
  return bytesEqual(encodePublicBlob(a), encodePublicBlob(b));
}

function checkEd25519Public(publicKey: Uint8Array): SshPublicMaterial {
  if (publicKey.length !== 32) {
    throw new CofferError('ssh_key_damaged', 'An Ed25519 public key must be 32 bytes');
  }
  return { type: 'ssh-ed25519', publicKey };
}

function checkRsaPublic(e: bigint, n: bigint): SshPublicMaterial {
  const bits = bitLength(n);
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    throw new CofferError(
      'unsupported_algorithm',
      `RSA keys of ${bits} bits are not supported (${RSA_MIN_BITS}–${RSA_MAX_BITS})`,
    );
  }
  if (e < 3n || e % 2n === 0n || n % 2n === 0n) {
    throw new CofferError('ssh_key_damaged', 'The RSA public key is not well formed');
  }
  return { type: 'ssh-rsa', e, n };
}

function checkEcdsaPublic(type: EcdsaKeyType, point: Uint8Array): SshPublicMaterial {
  try {
    ECDSA_CURVES[type].curve.Point.fromBytes(point).assertValidity();
  } catch (cause) {
    throw new CofferError('ssh_key_damaged', `The ${type} public point is not on the curve`, {
      cause,
    });
  }
  return { type, point };
}

function mismatch(type: string): CofferError {
  return new CofferError(
    'ssh_key_damaged',
    `The ${type} private key does not match its public key (damaged file)`,
  );
}

export function ed25519FromSeed(seed: Uint8Array, publicKey?: Uint8Array): SshPrivateMaterial {
  if (seed.length !== 32) {
    throw new CofferError('ssh_key_damaged', 'An Ed25519 private key must be 32 bytes');
  }
  const derived = ed25519.getPublicKey(seed);
  if (publicKey !== undefined && !bytesEqual(derived, publicKey)) throw mismatch('ssh-ed25519');
  return { type: 'ssh-ed25519', publicKey: derived, seed };
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw mismatch('ssh-rsa');
  return ((oldS % m) + m) % m;
}

export function rsaFromParts(parts: {
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
}): SshPrivateMaterial {
  const { n, e, d, p, q } = parts;
  checkRsaPublic(e, n);
  if (p <= 1n || q <= 1n || p * q !== n || d <= 1n || d >= n) throw mismatch('ssh-rsa');
  // d must invert e modulo lcm(p-1, q-1) (PKCS #1 §3.2); a bit flip anywhere breaks this.
  if ((d * e) % (p - 1n) !== 1n % (p - 1n) || (d * e) % (q - 1n) !== 1n % (q - 1n)) {
    throw mismatch('ssh-rsa');
  }
  return { type: 'ssh-rsa', n, e, d, p, q, iqmp: modInverse(q, p) };
}

export function ecdsaFromScalar(
  type: EcdsaKeyType,
  scalar: bigint,
  point?: Uint8Array,
): SshPrivateMaterial {
  const info = ECDSA_CURVES[type];
  let derived: Uint8Array;
  try {
    derived = info.curve.getPublicKey(bigIntToBytes(scalar, info.scalarLength), false);
  } catch (cause) {
    throw new CofferError('ssh_key_damaged', `The ${type} private scalar is out of range`, {
      cause,
    });
  }
  if (point !== undefined && !bytesEqual(derived, point)) throw mismatch(type);
  return { type, point: derived, scalar };
}

/** OpenSSH private-key fields (PROTOCOL.key, and sshkey_private_serialize in OpenSSH). */
export function writePrivateFields(w: SshWriter, key: SshPrivateMaterial): SshWriter {
  w.string(key.type);
  if (key.type === 'ssh-ed25519') {
    const secret = new Uint8Array(64);
    secret.set(key.seed);
    secret.set(key.publicKey, 32);
    return w.string(key.publicKey).string(secret);
  }
  if (key.type === 'ssh-rsa') {
    return w.mpint(key.n).mpint(key.e).mpint(key.d).mpint(key.iqmp).mpint(key.p).mpint(key.q);
  }
  return w.string(ECDSA_CURVES[key.type].identifier).string(key.point).mpint(key.scalar);
}

export function readPrivateFields(r: SshReader): SshPrivateMaterial {
  const type = new TextDecoder().decode(r.string());
  if (type === 'ssh-ed25519') {
    const publicKey = r.string();
    const secret = r.string();
    if (secret.length !== 64 || !bytesEqual(secret.subarray(32), publicKey)) {
      throw mismatch(type);
    }
    return ed25519FromSeed(secret.slice(0, 32), publicKey);
  }
  if (type === 'ssh-rsa') {
    const n = r.mpint();
    const e = r.mpint();
    const d = r.mpint();
    r.mpint(); // iqmp: recomputed from p and q rather than trusted.
    const p = r.mpint();
    const q = r.mpint();
    return rsaFromParts({ n, e, d, p, q });
  }
  if (isEcdsaType(type)) {
    const pub = readPublicFields(r, type);
    if (!('point' in pub)) throw mismatch(type);
    return ecdsaFromScalar(type, r.mpint(), pub.point);
  }
  throw unsupportedKeyType(type);
}
