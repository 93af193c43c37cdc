import { z } from 'zod';
import { CofferError } from '../../errors.ts';
import type { GeneratedSecret } from './password.ts';
import { RandomSource, type FillRandom } from './random.ts';
import { EFF_LARGE_WORDLIST, EFF_LARGE_WORDLIST_SIZE } from './wordlist.ts';

export const MIN_PASSPHRASE_WORDS = 3;
export const MAX_PASSPHRASE_WORDS = 20;

/** The longest separator, in characters (code points). */
export const PASSPHRASE_SEPARATOR_MAX = 8;

/** Letters or digits in a separator would merge with the words or the added number. */
const SEPARATOR = new RegExp(`^[^\\p{L}\\p{N}\\p{Cc}\\p{Cs}]{0,${PASSPHRASE_SEPARATOR_MAX}}$`, 'u');

const passphraseOptionsSchema = z.strictObject({
  /** Six words give about 77.5 bits, the EFF's recommendation for a master passphrase. */
  words: z.number().int().min(MIN_PASSPHRASE_WORDS).max(MAX_PASSPHRASE_WORDS).default(6),
  separator: z
    .string()
    .regex(
      SEPARATOR,
      `at most ${PASSPHRASE_SEPARATOR_MAX} characters, none a letter, digit or control character`,
    )
    .default('-'),
  /** Upper-cases the first letter of every word: no entropy, only for sites that demand it. */
  capitalize: z.boolean().default(false),
  /** Appends one random digit to one randomly chosen word. */
  includeNumber: z.boolean().default(false),
});

export type PassphraseOptionsInput = z.input<typeof passphraseOptionsSchema>;
export type PassphraseOptions = z.output<typeof passphraseOptionsSchema>;

function resolve(input: PassphraseOptionsInput): PassphraseOptions {
  const parsed = passphraseOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'options';
  throw new CofferError(
    'generator_options_invalid',
    `Passphrase generator: ${where}: ${issue?.message ?? 'invalid'}.`,
  );
}

/**
 * Entropy in bits: log2(7776) per word, plus log2(10 · words) for the digit and its position.
 * Every outcome is distinct: words hold only letters and hyphens, the separator holds neither
 * letters nor digits, and the hyphenated list words cannot re-pair (resources/wordlists).
 */
export function passphraseEntropyBits(options: PassphraseOptionsInput = {}): number {
  const { words, includeNumber } = resolve(options);
  const wordBits = words * Math.log2(EFF_LARGE_WORDLIST_SIZE);
  return includeNumber ? wordBits + Math.log2(10 * words) : wordBits;
}

/** Draws words uniformly (with repetition) from the EFF large word list. */
export function generatePassphrase(
  options: PassphraseOptionsInput = {},
  fill?: FillRandom,
): GeneratedSecret {
  const resolved = resolve(options);
  if (EFF_LARGE_WORDLIST.length !== EFF_LARGE_WORDLIST_SIZE) {
    throw new CofferError('generator_options_invalid', 'Passphrase generator: word list damaged.');
  }
  const random = new RandomSource(fill);
  try {
    const chosen: string[] = [];
    for (let i = 0; i < resolved.words; i += 1) {
      const word = EFF_LARGE_WORDLIST[random.below(EFF_LARGE_WORDLIST_SIZE)] as string;
      chosen.push(resolved.capitalize ? word.charAt(0).toUpperCase() + word.slice(1) : word);
    }
    if (resolved.includeNumber) {
      const position = random.below(chosen.length);
      chosen[position] = `${chosen[position] ?? ''}${random.below(10)}`;
    }
    const value = chosen.join(resolved.separator);
    chosen.fill('');
    return { value, entropyBits: passphraseEntropyBits(resolved) };
  } finally {
    random.dispose();
  }
}
