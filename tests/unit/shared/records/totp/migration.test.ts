import { BinaryWriter, base64Encode } from '@bufbuild/protobuf/wire';
import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../../shared/errors.ts';
import { otpCodeAt, parseOtp, readOtpInput } from '../../../../../shared/records/totp/index.ts';
import { fixtureLines } from './fixtures.ts';

interface Account {
  secret: Uint8Array;
  name?: string;
  issuer?: string;
  algorithm?: number;
  digits?: number;
  type?: number;
  counter?: number;
}

/** Writes a MigrationPayload the way Google Authenticator lays it out. */
function payload(
  accounts: Account[],
  batch?: { size: number; index: number; id: number },
): Uint8Array {
  const writer = new BinaryWriter();
  for (const account of accounts) {
    const inner = new BinaryWriter();
    inner.tag(1, 2).bytes(account.secret);
    if (account.name !== undefined) inner.tag(2, 2).string(account.name);
    if (account.issuer !== undefined) inner.tag(3, 2).string(account.issuer);
    if (account.algorithm !== undefined) inner.tag(4, 0).int32(account.algorithm);
    if (account.digits !== undefined) inner.tag(5, 0).int32(account.digits);
    if (account.type !== undefined) inner.tag(6, 0).int32(account.type);
    if (account.counter !== undefined) inner.tag(7, 0).int64(account.counter);
    writer.tag(1, 2).bytes(inner.finish());
  }
  writer.tag(2, 0).int32(1);
  if (batch !== undefined) {
    writer.tag(3, 0).int32(batch.size).tag(4, 0).int32(batch.index).tag(5, 0).int32(batch.id);
  }
  return writer.finish();
}

function link(bytes: Uint8Array): string {
  return `otpauth-migration://offline?data=${encodeURIComponent(base64Encode(bytes))}`;
}

function randomSecret(length = 20): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

function rejection(run: () => unknown): CofferError {
  try {
    run();
  } catch (error) {
    if (error instanceof CofferError) return error;
    throw error;
  }
  throw new Error('expected a CofferError');
}

const NOW = 1_750_000_000_000;

describe('Google Authenticator exports', () => {
  it('gives the same codes as the equivalent otpauth URI for each account', () => {
    const accounts: Account[] = [
      { secret: randomSecret(), name: 'Example:alice@example.com', issuer: 'Example', type: 2 },
      {
        secret: randomSecret(32),
        name: 'bob',
        issuer: 'Example',
        algorithm: 2,
        digits: 2,
        type: 2,
      },
      { secret: randomSecret(64), name: 'carol', issuer: 'Example', algorithm: 3, type: 2 },
    ];
    const { accounts: read } = readOtpInput(link(payload(accounts)));
    const uriParams = ['algorithm=SHA1', 'algorithm=SHA256&digits=8', 'algorithm=SHA512'];
    read.forEach(({ entry }, i) => {
      const base32 = new Secret({ buffer: accounts[i]?.secret.slice().buffer }).base32;
      const viaUri = parseOtp(`otpauth://totp/x?secret=${base32}&${uriParams[i]}`).entry;
      expect(entry.secret).toBe(base32);
      expect(otpCodeAt(entry, NOW).code).toBe(otpCodeAt(viaUri, NOW).code);
    });
    expect(read.map(({ entry }) => entry.digits)).toEqual([6, 8, 6]);
  });

  it('reports the batch so the UI can ask for the other QR codes', () => {
    const result = readOtpInput(
      link(payload([{ secret: randomSecret(), name: 'a' }], { size: 3, index: 1, id: 12345 })),
    );
    expect(result.batch).toEqual({ size: 3, index: 1, id: 12345 });
  });

  it('treats an export without batch fields as one QR code of one', () => {
    expect(readOtpInput(link(payload([{ secret: randomSecret(), name: 'a' }]))).batch).toEqual({
      size: 1,
      index: 0,
      id: 0,
    });
  });

  it('takes an Issuer: prefix as the issuer when none is stored, and keeps a different one', () => {
    const { accounts } = readOtpInput(
      link(
        payload([
          { secret: randomSecret(), name: 'Example:alice' },
          { secret: randomSecret(), name: 'Contoso:bob', issuer: 'Microsoft' },
          { secret: randomSecret(), name: 'example: carol', issuer: 'Example' },
        ]),
      ),
    );
    expect(accounts.map(({ entry }) => [entry.issuer, entry.account])).toEqual([
      ['Example', 'alice'],
      ['Microsoft', 'Contoso:bob'],
      ['Example', 'carol'],
    ]);
  });

  it('reads unspecified algorithm, digits and type as SHA1, 6 and TOTP', () => {
    const { accounts } = readOtpInput(link(payload([{ secret: randomSecret(), name: 'a' }])));
    expect(accounts[0]?.entry).toMatchObject({ type: 'totp', algorithm: 'SHA1', digits: 6 });
  });

  it('reads a Steam account as a Steam Guard entry', () => {
    const { accounts } = readOtpInput(
      link(payload([{ secret: randomSecret(), name: 'alice', issuer: 'Steam', type: 2 }])),
    );
    expect(accounts[0]?.entry.type).toBe('steam');
  });

  it('skips an MD5 account and a secretless one, and still imports the others', () => {
    const result = readOtpInput(
      link(
        payload([
          { secret: randomSecret(), name: 'good' },
          { secret: randomSecret(), name: 'md5', algorithm: 4 },
          { secret: new Uint8Array(0), name: 'empty' },
          { secret: randomSecret(), name: 'hotp', type: 1, counter: -1 },
        ]),
      ),
    );
    expect(result.accounts.map(({ entry }) => entry.account)).toEqual(['good']);
    expect(result.skipped.map(({ position, code }) => [position, code])).toEqual([
      [1, 'unsupported_algorithm'],
      [2, 'otp_invalid_secret'],
      [3, 'otp_invalid_parameter'],
    ]);
    expect(result.skipped[0]?.message).toMatch(/'MD5'/);
  });

  describe('the data parameter in every encoding exporters and scanners produce (totp-15)', () => {
    const [original] = fixtureLines('totp-15-migration-raw-plus.uri.txt');
    const raw = (original ?? '').slice((original ?? '').indexOf('data=') + 5);
    const expected = readOtpInput(original ?? '').accounts[0]?.entry;
    const variants: [string, string][] = [
      ['percent-encoded + / =', encodeURIComponent(raw)],
      ['+ turned into spaces by a form decoder', raw.replace(/\+/g, ' ')],
      ['+ turned into %20', raw.replace(/\+/g, '%20')],
      ['base64url without padding', raw.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')],
      ['no padding', raw.replace(/=+$/, '')],
    ];
    it('contains both + and / so each variant tests something', () => {
      expect(raw).toMatch(/\+/);
      expect(raw).toMatch(/\//);
    });
    for (const [what, data] of variants) {
      it(`reads data with ${what}`, () => {
        const { accounts } = readOtpInput(`otpauth-migration://offline?data=${data}`);
        expect(accounts[0]?.entry).toEqual(expected);
      });
    }
  });

  const bad: [string, string, string, RegExp][] = [
    [
      'another host',
      'otpauth-migration://online?data=AAAA',
      'otp_invalid_migration',
      /expected otpauth-migration:\/\/offline/,
    ],
    [
      'no data parameter',
      'otpauth-migration://offline?foo=1',
      'otp_invalid_migration',
      /no data parameter/,
    ],
    [
      'data that is not base64',
      'otpauth-migration://offline?data=AB*D',
      'otp_invalid_migration',
      /bad character at position 3/,
    ],
    [
      'data with malformed escapes',
      'otpauth-migration://offline?data=AB%ZZ',
      'otp_invalid_migration',
      /malformed percent-encoding/,
    ],
    [
      'data that is not a protobuf',
      `otpauth-migration://offline?data=${base64Encode(new Uint8Array([10, 200, 1, 5]))}`,
      'otp_invalid_migration',
      /damaged/,
    ],
    [
      'base64 data of an impossible length (one character past a whole group)',
      'otpauth-migration://offline?data=CjwKF',
      'otp_invalid_migration',
      /not base64/,
    ],
    [
      'base64 data with padding in the middle',
      'otpauth-migration://offline?data=Cj%3D%3DwKFA',
      'otp_invalid_migration',
      /not base64/,
    ],
    ['an export with no accounts', link(payload([])), 'otp_invalid_migration', /holds no accounts/],
    [
      'a batch index past its size',
      link(payload([{ secret: randomSecret(), name: 'a' }], { size: 2, index: 2, id: 1 })),
      'otp_invalid_migration',
      /batch numbering/,
    ],
  ];
  for (const [what, input, code, message] of bad) {
    it(`refuses ${what}`, () => {
      const error = rejection(() => readOtpInput(input));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
  }

  it('refuses a payload cut short inside an account', () => {
    const whole = payload([{ secret: randomSecret(), name: 'alice', issuer: 'Example' }]);
    const error = rejection(() => readOtpInput(link(whole.subarray(0, whole.length - 8))));
    expect(error.code).toBe('otp_invalid_migration');
  });
});
