import { describe, expect, it } from 'vitest';
import { randomBytes, toBase64Url } from '../../../../shared/crypto/index.ts';
import {
  deviceTokenRegistrationSchema,
  parseBody,
  redemptionRequestSchema,
  redemptionResponseSchema,
} from '../../../../shared/protocol/index.ts';
import bind from '../../../fixtures/protocol/bind-proof.json';
import account from '../../../fixtures/protocol/account.json';
import { thrownError } from './helpers/errors.ts';

const hexToB64u = (hex: string) =>
  toBase64Url(Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16)));

const registration = {
  protocol: 1,
  appId: 'App000000000000000000A',
  deviceId: bind.deviceId,
  name: 'GitHub Actions runner',
  bindProofKey: hexToB64u(bind.bindProofKeyHex),
  appKeyVersion: 1,
  wrappedAppKey: account.redemption.response.wrappedAppKey,
  firstAccessDeadline: 1_800_003_600,
  ipRule: { type: 'cidr', allow: ['192.0.2.0/24', '2001:db8::/32'] },
};

const redemption = {
  protocol: 1,
  deviceId: bind.deviceId,
  signingPublicKey: hexToB64u(bind.signingPublicKeyHex),
  ecdhPublicKey: hexToB64u(bind.ecdhPublicKeyHex),
  proof: hexToB64u(bind.proofHex),
};

describe('JSON bodies', () => {
  it('accept well-formed bodies', () => {
    expect(parseBody(deviceTokenRegistrationSchema, registration, 'Registration')).toEqual(
      registration,
    );
    expect(parseBody(redemptionRequestSchema, redemption, 'Redemption')).toEqual(redemption);
    expect(
      parseBody(redemptionResponseSchema, account.redemption.response, 'Redemption response'),
    ).toEqual(account.redemption.response);
    for (const ipRule of [{ type: 'first-use' }, { type: 'none' }]) {
      expect(deviceTokenRegistrationSchema.safeParse({ ...registration, ipRule }).success).toBe(
        true,
      );
    }
  });

  it.each([
    ['an unknown member', { extra: true }],
    ['another protocol version', { protocol: 2 }],
    ['a bind-proof key of 31 bytes', { bindProofKey: toBase64Url(randomBytes(31)) }],
    ['a bind-proof key with padding', { bindProofKey: `${registration.bindProofKey}=` }],
    [
      'a non-canonical last base64url character',
      { bindProofKey: `${registration.bindProofKey.slice(0, -1)}B` },
    ],
    ['a key version of 0', { appKeyVersion: 0 }],
    ['a fractional deadline', { firstAccessDeadline: 1.5 }],
    ['a name with a line break', { name: 'runner\n{"forged":true}' }],
    ['an empty name', { name: '' }],
    ['an unknown IP rule', { ipRule: { type: 'any' } }],
    ['a non-canonical CIDR', { ipRule: { type: 'cidr', allow: ['2001:DB8::/32'] } }],
    ['an empty allow-list', { ipRule: { type: 'cidr', allow: [] } }],
  ])('registration refuses %s', (_what, change) => {
    const error = thrownError(() =>
      parseBody(deviceTokenRegistrationSchema, { ...registration, ...change }, 'Registration'),
    );
    expect(error.code).toBe('invalid_input');
  });

  it.each([
    [
      'a compressed public key',
      { signingPublicKey: toBase64Url(Uint8Array.of(2, ...randomBytes(64))) },
    ],
    ['a short proof', { proof: toBase64Url(randomBytes(16)) }],
    ['a device id starting with "-"', { deviceId: `-${bind.deviceId.slice(1)}` }],
    ['a missing proof', { proof: undefined }],
  ])('redemption request refuses %s', (_what, change) => {
    const result = redemptionRequestSchema.safeParse({ ...redemption, ...change });
    expect(result.success).toBe(false);
  });

  it('names the offending member without echoing its value', () => {
    const secretish = toBase64Url(randomBytes(40));
    const error = thrownError(() =>
      parseBody(redemptionRequestSchema, { ...redemption, proof: secretish }, 'Redemption'),
    );
    expect(error.message).toContain('proof');
    expect(error.message).not.toContain(secretish);
  });

  it('keeps JSON prototype keys inert', () => {
    const hostile = JSON.parse(
      `{"__proto__":{"polluted":1},${JSON.stringify(redemption).slice(1)}`,
    );
    expect(redemptionRequestSchema.safeParse(hostile).success).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
