// Mutated inputs (bit flips, truncations, byte insertions) must either import or fail with a
// specific CofferError — never another exception type, which would leak a library message to the
// UI, and never the importer's generic last-resort error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../../shared/errors.ts';
import { importCertificate } from '../../../../../shared/records/cert/index.ts';

const FIXTURES = join(import.meta.dirname, '../../../../fixtures/cert');

/** Small deterministic PRNG (mulberry32) so a failing mutation can be reproduced. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const at = Math.floor(random() * out.length);
  const kind = random();
  if (kind < 0.6) {
    out[at] = (out[at] ?? 0) ^ (1 << Math.floor(random() * 8));
    return out;
  }
  if (kind < 0.8) return out.subarray(0, at);
  return Uint8Array.from([...out.subarray(0, at), Math.floor(random() * 256), ...out.subarray(at)]);
}

describe('mutated certificate inputs', () => {
  const inputs = [
    ['cert-01-fullchain.pem', undefined],
    ['cert-02-leaf.cer', undefined],
    ['cert-03-modern-aes.p12', 'p12-pass-03'],
    ['cert-06-legacy-rc2.p12', 'p12-pass-06'],
    ['cert-12-ec-key-and-cert.pem', undefined],
  ] as const;

  for (const [file, passphrase] of inputs) {
    it(`never throws anything but a CofferError for mutations of ${file}`, async () => {
      const original = new Uint8Array(readFileSync(join(FIXTURES, file)));
      const random = prng(0xc0ffee + original.length);
      const codes = new Map<string, number>();
      for (let i = 0; i < 150; i++) {
        const input = mutate(original, random);
        try {
          await importCertificate(input, passphrase === undefined ? {} : { passphrase });
          codes.set('imported', (codes.get('imported') ?? 0) + 1);
        } catch (error) {
          if (!(error instanceof CofferError)) {
            throw new Error(`mutation ${i} of ${file} threw ${String(error)}`, { cause: error });
          }
          codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
          // The generic last-resort error means a structural fault was not caught at its source.
          if (error.message.startsWith('The input could not be read')) {
            throw new Error(`mutation ${i} of ${file} got no specific error`, { cause: error });
          }
        }
      }
      expect([...codes.values()].reduce((a, b) => a + b, 0)).toBe(150);
    });
  }

  it('reads PEM saved as UTF-16 with a byte-order mark', async () => {
    const pem = readFileSync(join(FIXTURES, 'cert-01-fullchain.pem'), 'utf8');
    const utf16 = new Uint8Array(Buffer.from(`\ufeff${pem}`, 'utf16le'));
    expect([utf16[0], utf16[1]]).toEqual([0xff, 0xfe]);
    expect((await importCertificate(utf16)).chain).toHaveLength(3);
  });
});
