// Bounded, reproducible fuzzing for the parser suites: a seeded PRNG, text and byte mutators, and
// a runner that fails on anything but a CofferError or on a single input that takes too long.
import { CofferError } from '../../../../shared/errors.ts';

/** mulberry32: small, fast and deterministic, so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(random: () => number, size: number): number {
  return Math.floor(random() * size);
}

/** One to three edits: replaced, deleted or inserted characters (ASCII or BMP), or a cut. */
export function mutateText(text: string, random: () => number): string {
  const chars = [...text];
  const edits = 1 + pick(random, 3);
  for (let edit = 0; edit < edits; edit++) {
    const at = pick(random, chars.length + 1);
    const kind = random();
    if (kind < 0.3) chars[at] = String.fromCharCode(pick(random, 128));
    else if (kind < 0.5) chars.splice(at, 1);
    else if (kind < 0.6) chars.splice(at);
    else if (kind < 0.8) chars.splice(at, 0, String.fromCharCode(pick(random, 0xd000)));
    else chars[at] = String.fromCharCode((chars[at] ?? 'A').charCodeAt(0) ^ (1 << pick(random, 7)));
  }
  return chars.join('');
}

/** Random printable-ish text of up to `max` characters drawn from `alphabet`. */
export function randomText(random: () => number, alphabet: string, max: number): string {
  let out = '';
  const length = pick(random, max + 1);
  for (let i = 0; i < length; i++) out += alphabet[pick(random, alphabet.length)] ?? '';
  return out;
}

export interface FuzzOutcome {
  /** How often each error code (or "accepted") came up. */
  readonly codes: Map<string, number>;
  /** Slowest single input, in milliseconds. */
  readonly slowestMs: number;
}

/**
 * Runs `parse` on every input. Anything thrown that is not a CofferError fails at once, naming
 * the input's position (replayable from the seed); so does a message that repeats `secret`.
 */
export async function fuzz(
  inputs: Iterable<string>,
  parse: (input: string) => unknown,
  options: { secrets?: readonly string[] } = {},
): Promise<FuzzOutcome> {
  const codes = new Map<string, number>();
  let slowestMs = 0;
  let index = 0;
  for (const input of inputs) {
    const started = performance.now();
    let code = 'accepted';
    try {
      await parse(input);
    } catch (error) {
      if (!(error instanceof CofferError)) {
        throw new Error(`input ${index} threw ${String(error)}, not a CofferError`, {
          cause: error,
        });
      }
      for (const secret of options.secrets ?? []) {
        if (error.message.includes(secret)) {
          throw new Error(`input ${index}: the ${error.code} message repeats secret input`, {
            cause: error,
          });
        }
      }
      code = error.code;
    }
    slowestMs = Math.max(slowestMs, performance.now() - started);
    codes.set(code, (codes.get(code) ?? 0) + 1);
    index++;
  }
  return { codes, slowestMs };
}
