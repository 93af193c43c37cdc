import type { RandomSource } from './random.ts';

/** One character class as the counting sees it: how many characters, and how many at least. */
export interface ClassSize {
  readonly size: number;
  readonly min: number;
}

/**
 * Counts the passwords of a given length whose class counts meet every minimum, and samples
 * class counts in proportion to how many passwords have them.
 *
 * ways[i][m] is the number of strings of m characters drawn from classes i, i+1, … in which class
 * j occurs at least min_j times:
 *   ways[K][0] = 1, ways[K][m > 0] = 0, and
 *   ways[i][m] = Σ_{k = min_i..m} C(m, k) · size_i^k · ways[i+1][m − k]
 * (choose which k of the m positions hold class i, fill them, recurse on the rest). The counts
 * are exact bigints, so the entropy report is exact and sampling is exactly uniform.
 */
export class ClassCountTable {
  private readonly ways: bigint[][];
  private readonly binomials: bigint[][];
  private readonly powers: bigint[][];

  constructor(
    private readonly classes: readonly ClassSize[],
    private readonly length: number,
  ) {
    this.binomials = pascalTriangle(length);
    this.powers = classes.map((cls) => powersOf(BigInt(cls.size), length));
    const empty: bigint[] = Array.from({ length: length + 1 }, (_, m) => (m === 0 ? 1n : 0n));
    this.ways = [];
    this.ways[classes.length] = empty;
    for (let i = classes.length - 1; i >= 0; i -= 1) {
      const row: bigint[] = [];
      for (let m = 0; m <= length; m += 1) {
        let total = 0n;
        for (let k = this.minOf(i); k <= m; k += 1) total += this.term(i, m, k);
        row[m] = total;
      }
      this.ways[i] = row;
    }
  }

  /** How many passwords of the full length satisfy every minimum. */
  get total(): bigint {
    return this.waysAt(0, this.length);
  }

  /**
   * Draws how many characters each class gets, with probability proportional to the number of
   * passwords having exactly those counts: a uniform index into `total`, walked down the sums.
   */
  sampleCounts(random: RandomSource): number[] {
    const counts: number[] = [];
    let remaining = this.length;
    for (let i = 0; i < this.classes.length; i += 1) {
      let pick = random.bigBelow(this.waysAt(i, remaining));
      let k = this.minOf(i);
      for (; k < remaining; k += 1) {
        const weight = this.term(i, remaining, k);
        if (pick < weight) break;
        pick -= weight;
      }
      counts.push(k);
      remaining -= k;
    }
    return counts;
  }

  /** Passwords of m characters from classes i… in which class i occurs exactly k times. */
  private term(i: number, m: number, k: number): bigint {
    const binomial = this.binomials[m]?.[k] ?? 0n;
    const power = this.powers[i]?.[k] ?? 0n;
    return binomial * power * this.waysAt(i + 1, m - k);
  }

  private waysAt(i: number, m: number): bigint {
    return this.ways[i]?.[m] ?? 0n;
  }

  private minOf(i: number): number {
    return this.classes[i]?.min ?? 0;
  }
}

function pascalTriangle(n: number): bigint[][] {
  const rows: bigint[][] = [[1n]];
  for (let m = 1; m <= n; m += 1) {
    const above = rows[m - 1] as bigint[];
    const row: bigint[] = [1n];
    for (let k = 1; k < m; k += 1) row.push((above[k - 1] as bigint) + (above[k] as bigint));
    row.push(1n);
    rows.push(row);
  }
  return rows;
}

function powersOf(base: bigint, n: number): bigint[] {
  const powers: bigint[] = [1n];
  for (let k = 1; k <= n; k += 1) powers.push((powers[k - 1] as bigint) * base);
  return powers;
}

/** log2 of a positive bigint, accurate to double precision even past 2^1024. */
export function log2BigInt(value: bigint): number {
  if (value <= 0n) return Number.NEGATIVE_INFINITY;
  const bits = value.toString(2).length;
  const shift = Math.max(0, bits - 53);
  return shift + Math.log2(Number(value >> BigInt(shift)));
}
