import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en';

/**
 * How much of a password the estimator sees. zxcvbn's matchers grow faster than linearly with
 * length: measured on the 2-core development machine, 256 characters of "0" took 0.9 s and 256
 * characters of base64 2.5 s with the default options. At 128 code points the slowest inputs we
 * found (repeats, l33t-heavy symbol runs, dates) cost about 50–100 ms of CPU time. A password that long is
 * strong unless it repeats itself, which the first 128 code points already reveal.
 */
export const ESTIMATOR_MAX_CODE_POINTS = 128;

/**
 * zxcvbn-ts tries every combination of up to this many l33t substitutions. Its default of 100
 * makes a 64-character digit-rich secret take half a second (dropbox/zxcvbn#194 is the same
 * blow-up); at 2 the scores of common l33t passwords ("p4$$w0rd", "Tr0ub4dor&3", "M0nk3y!23")
 * were identical to the default's in our comparison, while 0 would stop recognising them.
 */
const L33T_MAX_SUBSTITUTIONS = 2;

let factory: ZxcvbnFactory | undefined;

function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEnglish.translations,
    l33tMaxSubstitutions: L33T_MAX_SUBSTITUTIONS,
    // We cut by code points before calling; a surrogate pair is two UTF-16 units, so zxcvbn's
    // own UTF-16 cut must never bite (it could split a pair).
    maxLength: ESTIMATOR_MAX_CODE_POINTS * 2,
  });
  return factory;
}

/**
 * Builds the dictionaries and runs one full-length estimate now (about 0.3 s in all), so that the
 * first keystroke on a password screen pays neither for the dictionaries nor for compiling the
 * matchers. Safe to call more than once.
 */
export function warmUpStrengthEstimator(): void {
  // Long and varied enough to reach every matcher's hot path at the full analysed length.
  const sample = 'Warm-up: correct horse 1999-12-31 p4$$w0rd qwerty aaaa 0123 ';
  estimator().check(sample.repeat(3).slice(0, ESTIMATOR_MAX_CODE_POINTS));
}

export function runEstimator(password: string, userInputs: readonly string[]): ZxcvbnResult {
  const zxcvbn = estimator();
  const result = zxcvbn.check(password, [...userInputs]);
  // zxcvbn-ts keeps the last password it scored (and its matches) on the long-lived factory, so
  // a master password would outlive the screen that scored it (LS-01). Scoring an empty string
  // replaces that state; it costs microseconds.
  zxcvbn.check('');
  return result;
}
