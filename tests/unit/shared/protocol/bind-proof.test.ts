import { describe, expect, it } from 'vitest';
import { fromHex, generateEcdhKeyPair, toHex } from '../../../../shared/crypto/index.ts';
import {
  bindProofMessage,
  computeBindProof,
  verifyBindProof,
} from '../../../../shared/protocol/index.ts';
import vector from '../../../fixtures/protocol/bind-proof.json';
import { thrownCode } from './helpers/errors.ts';

const binding = {
  deviceId: vector.deviceId,
  signingPublicKey: fromHex(vector.signingPublicKeyHex),
  ecdhPublicKey: fromHex(vector.ecdhPublicKeyHex),
};
const key = fromHex(vector.bindProofKeyHex);

describe('bind proof', () => {
  it('encodes the message and computes the proof of the vector', async () => {
    expect(toHex(bindProofMessage(binding))).toBe(vector.messageHex);
    expect(toHex(await computeBindProof(key, binding))).toBe(vector.proofHex);
  });

  it('verifies the vector proof and nothing else', async () => {
    const proof = fromHex(vector.proofHex);
    expect(await verifyBindProof(key, binding, proof)).toBe(true);
    const flipped = proof.slice();
    flipped[31] = (flipped[31] ?? 0) ^ 1;
    expect(await verifyBindProof(key, binding, flipped)).toBe(false);
    expect(await verifyBindProof(key, binding, proof.subarray(0, 16))).toBe(false);
  });

  it('fails when a device key is replaced or the two keys are swapped (CR-06)', async () => {
    const proof = fromHex(vector.proofHex);
    const attacker = await generateEcdhKeyPair();
    const replaced = { ...binding, ecdhPublicKey: attacker.publicKey };
    const swapped = {
      ...binding,
      signingPublicKey: binding.ecdhPublicKey,
      ecdhPublicKey: binding.signingPublicKey,
    };
    expect(await verifyBindProof(key, replaced, proof)).toBe(false);
    expect(await verifyBindProof(key, swapped, proof)).toBe(false);
  });

  it('fails under another token key', async () => {
    const other = key.slice();
    other[0] = (other[0] ?? 0) ^ 0x80;
    expect(await verifyBindProof(other, binding, fromHex(vector.proofHex))).toBe(false);
  });

  it('refuses a malformed public key or device id before computing anything', () => {
    const truncated = { ...binding, signingPublicKey: binding.signingPublicKey.subarray(0, 64) };
    expect(thrownCode(() => bindProofMessage(truncated))).toBe('invalid_input');
    const offCurve = binding.ecdhPublicKey.slice();
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    expect(thrownCode(() => bindProofMessage({ ...binding, ecdhPublicKey: offCurve }))).toBe(
      'invalid_input',
    );
    expect(thrownCode(() => bindProofMessage({ ...binding, deviceId: '-bad' }))).toBe(
      'invalid_input',
    );
  });
});
