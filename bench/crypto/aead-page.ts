import {
  generateAeadKeyBytes,
  importAeadKey,
  openMany,
  sealMany,
} from '../../shared/crypto/index.ts';
import { makeRecords } from './records.ts';

/**
 * Runs in Chromium (bundled by aead.bench.ts): seals and opens `count` records through the same
 * shared/crypto code the renderer uses, and returns median wall times in ms.
 */
async function runAeadBench(count: number, runs: number): Promise<{ seal: number; open: number }> {
  const items = makeRecords(count);
  const key = await importAeadKey(generateAeadKeyBytes());
  const seals: number[] = [];
  const opens: number[] = [];
  for (let run = 0; run <= runs; run += 1) {
    let start = performance.now();
    const blobs = await sealMany(key, items);
    const sealTime = performance.now() - start;
    const sealed = blobs.map((data, i) => ({ data, aad: items[i]!.aad }));
    start = performance.now();
    await openMany(key, sealed);
    const openTime = performance.now() - start;
    // Run 0 warms up the JIT and WebCrypto's thread; it is not counted.
    if (run > 0) {
      seals.push(sealTime);
      opens.push(openTime);
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { seal: median(seals), open: median(opens) };
}

(globalThis as { runAeadBench?: typeof runAeadBench }).runAeadBench = runAeadBench;
