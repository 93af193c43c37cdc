import { assertBytes } from './bytes.ts';

/**
 * Compares two byte strings in time that depends only on their lengths, never on where they
 * first differ, so a MAC or token check leaks nothing about how close a guess was. Lengths are
 * public (a MAC's length is fixed by its algorithm), so unequal lengths return at once.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  assertBytes(a, 'a');
  assertBytes(b, 'b');
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
