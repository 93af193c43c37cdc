// Bounded fuzzing of everything the one-time-code field reads: otpauth:// and steam:// URIs,
// bare secrets and Google Authenticator exports, mutated from the case files and built from
// random bytes. Every input must parse or fail with a CofferError, quickly.
import { base64Encode } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { readOtpInput } from '../../../../../shared/records/totp/index.ts';
import { fuzz, mutateText, seededRandom } from '../../helpers/fuzz.ts';
import { fixtureLines } from './fixtures.ts';

const CASES = [
  'totp-01-lowercase-secret.uri.txt',
  'totp-02-padding-pct-encoded.uri.txt',
  'totp-04-secret-with-spaces.manual-entry.txt',
  'totp-06-sha512-8digits.uri.txt',
  'totp-11-encoded-colon-separator.uri.txt',
  'totp-12-plus-in-issuer.uri.txt',
  'totp-13-steam.uris.txt',
  'totp-14-migration-basic.uri.txt',
  'totp-15-migration-raw-plus.uri.txt',
  'totp-17-hotp-counter.uri.txt',
];

function* mutations(seed: number, perLine: number): Generator<string> {
  const random = seededRandom(seed);
  for (const file of CASES) {
    for (const line of fixtureLines(file)) {
      for (let i = 0; i < perLine; i++) yield mutateText(line, random);
    }
  }
}

function* randomExports(seed: number, count: number): Generator<string> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const bytes = new Uint8Array(Math.floor(random() * 120));
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
    yield `otpauth-migration://offline?data=${encodeURIComponent(base64Encode(bytes))}`;
  }
}

describe('fuzzed one-time-code input', () => {
  it('answers every mutated case line with an entry or a CofferError', async () => {
    const outcome = await fuzz(mutations(0x7077, 150), (input) => readOtpInput(input));
    expect(outcome.codes.size).toBeGreaterThan(3);
    expect(outcome.slowestMs).toBeLessThan(250);
  });

  it('answers export links carrying random bytes with accounts or a CofferError', async () => {
    const outcome = await fuzz(randomExports(0x6d16, 1500), (input) => readOtpInput(input));
    expect(outcome.codes.get('otp_invalid_migration')).toBeGreaterThan(0);
    expect(outcome.slowestMs).toBeLessThan(250);
  });

  it('refuses deeply nested protobuf groups without overflowing the stack', async () => {
    // 0x0b = field 1, start-group; nesting them makes a naive skipper recurse once per byte.
    const nested = new Uint8Array(20000).fill(0x0b);
    const link = `otpauth-migration://offline?data=${encodeURIComponent(base64Encode(nested))}`;
    const outcome = await fuzz([link], (input) => readOtpInput(input));
    expect([...outcome.codes.keys()]).toEqual(['otp_invalid_migration']);
  });
});
