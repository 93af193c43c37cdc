import { CofferError } from '../../errors.ts';
import { ESTIMATOR_MAX_CODE_POINTS, runEstimator } from './estimator.ts';

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export const STRENGTH_LABELS = [
  'empty',
  'very-weak',
  'weak',
  'fair',
  'strong',
  'very-strong',
] as const;
export type StrengthLabel = (typeof STRENGTH_LABELS)[number];

export interface StrengthResult {
  /** zxcvbn's 0–4 rating; 0 for an empty password. */
  readonly score: StrengthScore;
  /** 'empty' for no input, otherwise one label per score. */
  readonly label: StrengthLabel;
  /** log2 of the estimated guesses an attacker needs: the estimator's entropy figure. */
  readonly entropyBits: number;
  /** Length in Unicode code points (an emoji counts 1, "é" as e + combining accent counts 2). */
  readonly length: number;
  /** True when only the first ESTIMATOR_MAX_CODE_POINTS code points were analysed. */
  readonly truncated: boolean;
  /** English advice from zxcvbn: one optional warning and a list of suggestions. */
  readonly feedback: { readonly warning: string | null; readonly suggestions: readonly string[] };
}

const LABEL_BY_SCORE: Record<StrengthScore, StrengthLabel> = {
  0: 'very-weak',
  1: 'weak',
  2: 'fair',
  3: 'strong',
  4: 'very-strong',
};

/** The first `max` code points of `text` and the total count, without normalising anything. */
function firstCodePoints(text: string, max: number): { head: string; length: number } {
  let length = 0;
  let end = 0;
  for (const char of text) {
    if (length < max) end += char.length;
    length += 1;
  }
  return { head: text.slice(0, end), length };
}

/**
 * Rates a master password for the strength meter. Never throws on text content: emoji,
 * combining marks and unpaired surrogates are scored like any other characters (gen-06). The
 * input is neither trimmed nor normalised here; only the estimator's copy is truncated (gen-04).
 */
export function estimateStrength(
  password: string,
  userInputs: readonly string[] = [],
): StrengthResult {
  if (typeof password !== 'string') {
    throw new CofferError('invalid_input', 'Strength meter: the password must be a string.');
  }
  const { head, length } = firstCodePoints(password, ESTIMATOR_MAX_CODE_POINTS);
  if (length === 0) {
    return {
      score: 0,
      label: 'empty',
      entropyBits: 0,
      length: 0,
      truncated: false,
      feedback: { warning: null, suggestions: [] },
    };
  }
  const inputs = userInputs.filter((input) => typeof input === 'string' && input.length > 0);
  const result = runEstimator(
    head,
    inputs.map((input) => firstCodePoints(input, 64).head),
  );
  return {
    score: result.score,
    label: LABEL_BY_SCORE[result.score],
    entropyBits: result.guessesLog10 * Math.log2(10),
    length,
    truncated: length > ESTIMATOR_MAX_CODE_POINTS,
    feedback: { warning: result.feedback.warning, suggestions: [...result.feedback.suggestions] },
  };
}
