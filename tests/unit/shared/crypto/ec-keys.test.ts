import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import {
  assertP256PublicKey,
  concatBytes,
  fromHex,
  generateEcdhKeyPair,
  generateSigningKeyPair,
  isValidP256PublicKey,
  randomBytes,
  toHex,
} from '../../../../shared/crypto/index.ts';

// The point check is plain BigInt arithmetic (start-up cost, issue #5); @noble/curves, still a
// dependency for SSH and certificate keys, is the reference it must agree with.
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function nobleAccepts(publicKey: Uint8Array): boolean {
  try {
    p256.Point.fromBytes(publicKey).assertValidity();
    return true;
  } catch {
    return false;
  }
}

function bytes32(value: bigint): Uint8Array {
  return fromHex(value.toString(16).padStart(64, '0'));
}

function point(x: bigint, y: bigint): Uint8Array {
  return concatBytes(Uint8Array.of(4), bytes32(x), bytes32(y));
}

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = base % P;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}

/** A point with a small x (p ≡ 3 mod 4, so a square root is a power), and its y. */
function smallPoint(): { x: bigint; y: bigint } {
  for (let x = 1n; ; x += 1n) {
    const rhs = (((x * x * x - 3n * x + B) % P) + P) % P;
    const y = modPow(rhs, (P + 1n) / 4n);
    if ((y * y) % P === rhs) return { x, y };
  }
}

describe('P-256 public key check', () => {
  it('accepts the keys WebCrypto generates, and their negations', async () => {
    for (let i = 0; i < 8; i += 1) {
      const { publicKey } = await (i % 2 ? generateEcdhKeyPair() : generateSigningKeyPair());
      expect(isValidP256PublicKey(publicKey)).toBe(true);
      const y = BigInt(`0x${toHex(publicKey.subarray(33))}`);
      const negated = concatBytes(publicKey.subarray(0, 33), bytes32(P - y));
      expect(isValidP256PublicKey(negated)).toBe(true);
    }
  });

  it('refuses coordinates that are on the curve only modulo p (SEC 1 §3.2.2.1)', () => {
    const { x, y } = smallPoint();
    expect(isValidP256PublicKey(point(x, y))).toBe(true);
    for (const bad of [point(x + P, y), point(x + P, P - y), point(P, 0n)]) {
      expect(isValidP256PublicKey(bad)).toBe(false);
      expect(nobleAccepts(bad)).toBe(false);
    }
  });

  it('agrees with @noble/curves on altered and random points', async () => {
    const { publicKey } = await generateEcdhKeyPair();
    const small = smallPoint();
    const candidates = [
      publicKey,
      point(small.x, small.y),
      new Uint8Array(65),
      point(0n, 0n),
      point(0n, B),
      point(P - 1n, P - 1n),
    ];
    for (let bit = 8; bit < 65 * 8; bit += 7) {
      const altered = publicKey.slice();
      altered[bit >> 3]! ^= 1 << (bit & 7);
      candidates.push(altered);
    }
    for (let i = 0; i < 16; i += 1) candidates.push(concatBytes(Uint8Array.of(4), randomBytes(64)));
    for (const candidate of candidates) {
      expect(isValidP256PublicKey(candidate)).toBe(nobleAccepts(candidate));
    }
  });

  it('names the key in its refusal', () => {
    const { x, y } = smallPoint();
    expect(() => assertP256PublicKey(point(x, y + 1n), 'Device ECDH public key')).toThrow(
      'Device ECDH public key is not a point on P-256',
    );
  });
});
