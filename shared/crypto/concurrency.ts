/**
 * WebCrypto's cost is per call (in Node 20 about 25 µs of main-thread work per AES-GCM call, in
 * Chromium a round trip to its crypto thread), so bulk work keeps a bounded number of calls in
 * flight: enough to overlap the round trips, few enough not to flood memory and the scheduler.
 * 128 was the fastest window measured in both runtimes (bench/README.md).
 */
export const DEFAULT_CONCURRENCY = 128;

/**
 * Runs `task(i)` for i in 0..count-1 with at most `concurrency` running, and resolves only after
 * every started task has settled, so no rejection is ever left unobserved.
 */
export async function forEachConcurrent(
  count: number,
  task: (index: number) => Promise<void>,
  concurrency = DEFAULT_CONCURRENCY,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      await task(index);
    }
  };
  const lanes: Promise<void>[] = [];
  for (let i = 0; i < Math.min(concurrency, count); i += 1) lanes.push(lane());
  await Promise.all(lanes);
}
