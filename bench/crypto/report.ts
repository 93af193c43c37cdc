/** One benchmark result in the runner's line format (scripts/bench.mjs). */
export interface BenchResult {
  bench: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
}

export function report(bench: string, value: number, unit: string, baseline?: number): BenchResult {
  const result: BenchResult = {
    bench,
    value: round(value),
    unit,
    baseline: baseline === undefined ? null : round(baseline),
    ratio: baseline === undefined ? null : round(value / baseline, 3),
  };
  console.log(JSON.stringify(result));
  return result;
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `task` `runs` times after one warm-up and returns the median wall time in ms. */
export async function timeMedian(runs: number, task: () => Promise<unknown>): Promise<number> {
  await task();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  return median(times);
}
