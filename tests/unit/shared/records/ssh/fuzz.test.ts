// Bounded fuzzing of SSH key import: every case file (private keys, public keys, certificates,
// authorized_keys) mutated by a seeded PRNG. Each input must import or fail with a CofferError
// whose message never repeats the passphrase, and no single input may take long. Encrypted files
// are fuzzed without a passphrase so the KDF (bcrypt, Argon2) does not dominate the run; their
// work-factor caps are tested in errors.test.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSsh } from '../../../../../shared/records/ssh/index.ts';
import { fuzz, mutateText, seededRandom } from '../../helpers/fuzz.ts';

const FIXTURES = join(import.meta.dirname, '../../../../fixtures/ssh');
const PASSPHRASE = 'fuzz-passphrase-alice';

function caseFiles(): string[] {
  return readdirSync(FIXTURES)
    .filter((name) => !name.endsWith('.expected.txt') && name !== 'generated')
    .sort();
}

function* mutations(seed: number, perFile: number): Generator<string> {
  const random = seededRandom(seed);
  for (const name of caseFiles()) {
    const text = readFileSync(join(FIXTURES, name), 'utf8');
    for (let i = 0; i < perFile; i++) yield mutateText(text, random);
  }
}

describe('fuzzed SSH key input', () => {
  it('answers every mutated case file with a key or a CofferError, quickly', async () => {
    const outcome = await fuzz(mutations(0x55e1, 60), (input) => importSsh(input));
    expect(outcome.codes.size).toBeGreaterThan(3);
    expect(outcome.slowestMs).toBeLessThan(1000);
  }, 60_000);

  it('never repeats the passphrase in an error about an unencrypted or damaged key', async () => {
    const unencrypted = caseFiles().filter((name) => !/bcrypt|encrypted|argon2/.test(name));
    const random = seededRandom(0x9a55);
    const inputs = unencrypted.flatMap((name) => {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      return Array.from({ length: 20 }, () => mutateText(text, random));
    });
    const outcome = await fuzz(inputs, (input) => importSsh(input, { passphrase: PASSPHRASE }), {
      secrets: [PASSPHRASE],
    });
    expect(outcome.codes.size).toBeGreaterThan(1);
  }, 60_000);
});
