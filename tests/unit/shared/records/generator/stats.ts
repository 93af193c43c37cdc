/** Pearson's chi-square statistic of observed counts against one shared expected count. */
export function chiSquare(counts: readonly number[], expected: number): number {
  return counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
}

/**
 * Upper critical values of the chi-square distribution at p = 0.0001 (scipy.stats.chi2.ppf):
 * a uniform generator exceeds them once in ten thousand runs, so a failure means bias.
 */
export const CHI_SQUARE_P0001: Readonly<Record<number, number>> = {
  9: 33.72,
  27: 63.16,
  55: 102.78,
};

export function countOf(text: string, predicate: (char: string) => boolean): number {
  let count = 0;
  for (const char of text) if (predicate(char)) count += 1;
  return count;
}
