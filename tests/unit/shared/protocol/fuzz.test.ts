// Bounded fuzzing of the protocol's text inputs (runs in Node and Chromium): device tokens,
// server origins, signed-request headers and server-sent KDF parameters. Each input is accepted
// or refused with a CofferError; token errors never repeat the token's secret part.
import { describe, expect, it } from 'vitest';
import { randomBytes, toBase64Url } from '../../../../shared/crypto/index.ts';
import { checkKdfParams } from '../../../../shared/keys/index.ts';
import {
  formatDeviceToken,
  normaliseServerOrigin,
  parseDeviceToken,
  parseRequestHeaders,
} from '../../../../shared/protocol/index.ts';
import { fuzz, mutateText, randomText, seededRandom } from '../helpers/fuzz.ts';

const ORIGINS = [
  'https://vault.example.com',
  'https://vault.example.com:8443',
  'http://127.0.0.1:8080',
  'http://[::1]:3000',
  'https://xn--caf-dma.example.com',
];

describe('fuzzed protocol input', () => {
  it('parses or refuses mutated device tokens without repeating their secret', async () => {
    const random = seededRandom(0xd7);
    const tokens = ORIGINS.map((origin) => formatDeviceToken(origin, randomBytes(32)));
    const inputs = tokens.flatMap((token) =>
      Array.from({ length: 600 }, () => mutateText(token, random)),
    );
    const secrets = tokens.map((token) => token.slice(10, 30));
    const outcome = await fuzz(inputs, (input) => parseDeviceToken(input), { secrets });
    expect(outcome.codes.get('token_checksum_mismatch')).toBeGreaterThan(0);
    expect(outcome.codes.get('token_malformed')).toBeGreaterThan(0);
  });

  it(
    'accepts a mutated token only when it ' + 'still names the original secret and origin',
    async () => {
      const random = seededRandom(0x70c);
      const secret = randomBytes(32);
      const token = formatDeviceToken('https://vault.example.com', secret);
      for (let i = 0; i < 2000; i++) {
        const input = mutateText(token, random);
        let parsed: ReturnType<typeof parseDeviceToken> | undefined;
        try {
          parsed = parseDeviceToken(input);
        } catch {
          continue;
        }
        // Only surrounding whitespace may differ: a changed token that still parses is a checksum
        // bypass.
        expect(input.trim()).toBe(token);
        expect(toBase64Url(parsed.secret)).toBe(toBase64Url(secret));
      }
    },
  );

  it('canonicalises or refuses mutated and random server origins', async () => {
    const random = seededRandom(0x0f16);
    const inputs = [
      ...ORIGINS.flatMap((origin) => Array.from({ length: 400 }, () => mutateText(origin, random))),
      ...Array.from({ length: 1000 }, () => `https://${randomText(random, 'a.:[]%@0-9\\/#?', 30)}`),
    ];
    const outcome = await fuzz(inputs, (input) => {
      const canonical = normaliseServerOrigin(input);
      // Canonical means a fixed point: normalising again changes nothing.
      expect(normaliseServerOrigin(canonical)).toBe(canonical);
    });
    expect(outcome.codes.get('invalid_input')).toBeGreaterThan(0);
  });

  it('reads or refuses mutated request headers', async () => {
    const random = seededRandom(0x4ead);
    const headers = {
      'coffer-device-id': 'cYvCsjEx7WlBMdwwg2yyXg',
      'coffer-timestamp': '1767225600',
      'coffer-nonce': 'hNz3kX0bQ1uV4wY7zA9cDe',
      'coffer-signature': toBase64Url(randomBytes(64)),
    };
    const names = Object.keys(headers) as (keyof typeof headers)[];
    const inputs: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const name = names[Math.floor(random() * names.length)] ?? 'coffer-nonce';
      inputs.push(JSON.stringify({ ...headers, [name]: mutateText(headers[name], random) }));
    }
    const outcome = await fuzz(inputs, (input) => {
      const parsed = parseRequestHeaders(JSON.parse(input) as Record<string, string>);
      expect(Number.isSafeInteger(parsed.timestamp)).toBe(true);
      expect(parsed.signature.length).toBe(64);
    });
    expect(outcome.codes.get('unauthenticated')).toBeGreaterThan(0);
  });

  it('refuses every hostile KDF parameter shape before deriving', async () => {
    const random = seededRandom(0x6df);
    const values: unknown[] = [
      null,
      undefined,
      true,
      '65536',
      '',
      -1,
      0,
      1,
      1.5,
      NaN,
      Infinity,
      -Infinity,
      2 ** 53,
      1e300,
      [],
      {},
      [65536],
      { valueOf: () => 65536 },
      19 * 1024 - 1,
      1024 * 1024 + 1,
      19 * 1024,
    ];
    const pickValue = () => values[Math.floor(random() * values.length)];
    const inputs: string[] = [];
    const shapes: unknown[] = [];
    for (let i = 0; i < 3000; i++) {
      const params: Record<string, unknown> = {
        algorithm: random() < 0.9 ? 'argon2id' : pickValue(),
        memoryKiB: random() < 0.5 ? 65536 : pickValue(),
        passes: random() < 0.5 ? 3 : pickValue(),
        lanes: random() < 0.5 ? 4 : pickValue(),
      };
      shapes.push(params);
      inputs.push(String(i));
    }
    const outcome = await fuzz(inputs, (index) => {
      const checked = checkKdfParams(shapes[Number(index)]);
      // Whatever is accepted is within the floor and ceiling, as plain integers.
      expect(checked.memoryKiB).toBeGreaterThanOrEqual(19 * 1024);
      expect(checked.memoryKiB).toBeLessThanOrEqual(1024 * 1024);
      expect(checked.passes).toBeGreaterThanOrEqual(2);
      expect(checked.passes).toBeLessThanOrEqual(10);
      expect(checked.lanes).toBeGreaterThanOrEqual(1);
      expect(checked.lanes).toBeLessThanOrEqual(16);
    });
    expect(outcome.codes.get('kdf_parameters_too_weak')).toBeGreaterThan(0);
    expect(outcome.codes.get('kdf_parameters_too_costly')).toBeGreaterThan(0);
    expect(outcome.codes.get('invalid_input')).toBeGreaterThan(0);
  });
});
