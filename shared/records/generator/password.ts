import { z } from 'zod';
import { CofferError } from '../../errors.ts';
import {
  CHARACTER_CLASSES,
  DEFAULT_SYMBOLS,
  DIGITS,
  LOOK_ALIKES,
  LOWERCASE,
  UPPERCASE,
  isSymbolCharacter,
  withoutCharacters,
  type CharacterClass,
} from './charsets.ts';
import { ClassCountTable, log2BigInt } from './class-counts.ts';
import { RandomSource, type FillRandom } from './random.ts';

export const MIN_PASSWORD_LENGTH = 1;
/**
 * The exact count behind uniform sampling costs O(classes · length²) bigint products: about
 * 35 ms of CPU at 256 characters, 300 ms at 512. 256 characters (over 1,600 bits) is more than
 * any system we know accepts.
 */
export const MAX_PASSWORD_LENGTH = 256;

const classOptionSchema = z.strictObject({
  include: z.boolean().default(true),
  /** Ignored when the class is not included. */
  min: z.number().int().min(0).max(MAX_PASSWORD_LENGTH).default(1),
});

const passwordOptionsSchema = z.strictObject({
  length: z.number().int().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH).default(20),
  lower: classOptionSchema.prefault({}),
  upper: classOptionSchema.prefault({}),
  digits: classOptionSchema.prefault({}),
  symbols: classOptionSchema.prefault({}),
  symbolSet: z.string().min(1).max(94).default(DEFAULT_SYMBOLS),
  avoidLookAlikes: z.boolean().default(false),
  /** Further characters never to use (for systems that refuse some symbols). */
  exclude: z.string().max(256).default(''),
});

/** Options as a caller writes them: every member optional, defaults filled in. */
export type PasswordOptionsInput = z.input<typeof passwordOptionsSchema>;
/** Options with every default applied. */
export type PasswordOptions = z.output<typeof passwordOptionsSchema>;

export interface GeneratedSecret {
  readonly value: string;
  /** log2 of the number of equally likely outcomes. */
  readonly entropyBits: number;
}

/** A validated policy: the alphabet of each included class and its minimum. */
interface Policy {
  readonly length: number;
  readonly classes: readonly { readonly name: CharacterClass; chars: string[]; min: number }[];
}

const BASE_SETS: Record<Exclude<CharacterClass, 'symbols'>, string> = {
  lower: LOWERCASE,
  upper: UPPERCASE,
  digits: DIGITS,
};

function invalid(message: string): CofferError {
  return new CofferError('generator_options_invalid', `Password generator: ${message}`);
}

function resolvePolicy(input: PasswordOptionsInput): Policy {
  const parsed = passwordOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'options';
    throw invalid(`${where}: ${issue?.message ?? 'invalid'}.`);
  }
  const options = parsed.data;
  const symbols = Array.from(options.symbolSet);
  if (!symbols.every(isSymbolCharacter)) {
    throw invalid(
      'symbolSet may hold only printable ASCII punctuation (no letters, digits, space).',
    );
  }
  if (new Set(symbols).size !== symbols.length) {
    // A repeated symbol would be drawn twice as often as the others.
    throw invalid('symbolSet lists a character more than once.');
  }
  const excluded = new Set(Array.from(options.exclude));
  if (options.avoidLookAlikes) for (const char of LOOK_ALIKES) excluded.add(char);

  const classes: { name: CharacterClass; chars: string[]; min: number }[] = [];
  for (const name of CHARACTER_CLASSES) {
    const option = options[name];
    if (!option.include) continue;
    const set = name === 'symbols' ? options.symbolSet : BASE_SETS[name];
    const chars = withoutCharacters(set, excluded);
    if (chars.length === 0) {
      if (option.min > 0)
        throw invalid(`${name}: every character is excluded, yet ${option.min} required.`);
      continue;
    }
    classes.push({ name, chars, min: option.min });
  }
  if (classes.length === 0) throw invalid('no characters left to choose from.');
  const required = classes.reduce((sum, cls) => sum + cls.min, 0);
  if (required > options.length) {
    throw invalid(`the minimums add up to ${required}, more than the length ${options.length}.`);
  }
  return { length: options.length, classes };
}

function countTable(policy: Policy): ClassCountTable {
  const sizes = policy.classes.map((cls) => ({ size: cls.chars.length, min: cls.min }));
  return new ClassCountTable(sizes, policy.length);
}

/** Entropy in bits of `generatePassword(options)`: log2 of the number of valid passwords. */
export function passwordEntropyBits(options: PasswordOptionsInput = {}): number {
  return log2BigInt(countTable(resolvePolicy(options)).total);
}

/**
 * Draws a password uniformly from every string of the requested length, over the included
 * classes, that meets every class minimum.
 *
 * Method: when no minimum applies, each character is an unbiased draw from the union alphabet.
 * Otherwise (1) the number of characters of each class is drawn with probability proportional to
 * how many valid passwords have exactly those counts (ClassCountTable), (2) which positions hold
 * which class is a uniformly shuffled list of class labels — positions are chosen uniformly — and
 * (3) each position gets an unbiased draw from its class. Together the three steps give every
 * valid password the same probability, so no class is forced beyond its minimum and a minimum of
 * 0 forces nothing (gen-01). All draws use rejection sampling from crypto.getRandomValues.
 */
export function generatePassword(
  options: PasswordOptionsInput = {},
  fill?: FillRandom,
): GeneratedSecret {
  const policy = resolvePolicy(options);
  const random = new RandomSource(fill);
  try {
    const hasMinimum = policy.classes.some((cls) => cls.min > 0);
    if (!hasMinimum) {
      const alphabet = policy.classes.flatMap((cls) => cls.chars);
      let value = '';
      for (let i = 0; i < policy.length; i += 1) {
        value += alphabet[random.below(alphabet.length)];
      }
      return { value, entropyBits: policy.length * Math.log2(alphabet.length) };
    }
    const table = countTable(policy);
    const counts = table.sampleCounts(random);
    const labels: number[] = [];
    counts.forEach((count, classIndex) => {
      for (let k = 0; k < count; k += 1) labels.push(classIndex);
    });
    random.shuffle(labels);
    let value = '';
    for (const classIndex of labels) {
      const chars = policy.classes[classIndex]?.chars ?? [];
      value += chars[random.below(chars.length)];
    }
    labels.fill(0);
    return { value, entropyBits: log2BigInt(table.total) };
  } finally {
    random.dispose();
  }
}
