// Bounded fuzzing of coffer:// references: mutated and random references either parse or fail
// with reference_malformed, and whatever parses formats back to text that parses to the same
// reference (the grammar is read one way only).
import { describe, expect, it } from 'vitest';
import { formatReference, parseReference } from '../../../../shared/notation/index.ts';
import { fuzz, mutateText, randomText, seededRandom } from '../helpers/fuzz.ts';

const SEEDS = [
  'coffer://hNz3kX0bQ1uV4wY7zA9cDe/field/password',
  'coffer://Production/Databases/Orders%20DB/custom/api%20token',
  'coffer://Router/notes',
  'coffer://CI/deploy%2Fkeys/file/id_ed25519[0]',
  'coffer://hNz3kX0bQ1uV4wY7zA9cDe/custom/hosts[12][port]',
  'coffer://Caf%C3%A9/title',
];
const ALPHABET = 'coffer:/%[]2F0aZ-_.~ \u00e9\u{1F511}\\?#@';

function* inputs(seed: number): Generator<string> {
  const random = seededRandom(seed);
  for (const reference of SEEDS) {
    for (let i = 0; i < 500; i++) yield mutateText(reference, random);
  }
  for (let i = 0; i < 2000; i++) yield `coffer://${randomText(random, ALPHABET, 40)}`;
}

describe('fuzzed coffer:// references', () => {
  it('parse or fail with reference_malformed, and what parses round-trips', async () => {
    const outcome = await fuzz(inputs(0xc0ff), (input) => {
      const parsed = parseReference(input);
      expect(parseReference(formatReference(parsed))).toEqual(parsed);
    });
    expect([...outcome.codes.keys()].sort()).toEqual(['accepted', 'reference_malformed']);
    // Generous for a loaded CI machine; a backtracking pattern would take seconds.
    expect(outcome.slowestMs).toBeLessThan(500);
  });

  it('refuses a reference of a megabyte at once, without quoting it', async () => {
    const huge = `coffer://${'a'.repeat(1 << 20)}/notes`;
    const outcome = await fuzz([huge], (input) => parseReference(input), {
      secrets: ['a'.repeat(64)],
    });
    expect([...outcome.codes.keys()]).toEqual(['reference_malformed']);
    expect(outcome.slowestMs).toBeLessThan(100);
  });
});
