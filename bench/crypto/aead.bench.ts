import { createCipheriv, createDecipheriv, randomBytes as nodeRandomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import {
  generateAeadKeyBytes,
  importAeadKey,
  openMany,
  sealMany,
  type AeadItem,
} from '../../shared/crypto/index.ts';
import { makeRecords } from './records.ts';
import { median, report } from './report.ts';

/**
 * Sealing and opening whole vaults of ~400-byte records with shared/crypto (WebCrypto, batched
 * and parallel) in Node and in Chromium, against Node's own node:crypto AES-256-GCM doing the
 * same work synchronously in the same run. Goal (issue #2): 100,000 records open in under 1.5 s
 * in Chromium and under 3 s in Node 20.
 */

const SIZES = [10_000, 100_000];
const RUNS = 3;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function nodeCryptoBaseline(items: readonly AeadItem[]): { seal: number; open: number } {
  const key = nodeRandomBytes(32);
  const seals: number[] = [];
  const opens: number[] = [];
  for (let run = 0; run <= RUNS; run += 1) {
    let start = performance.now();
    const blobs = items.map((item) => {
      const iv = nodeRandomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(item.aad);
      const body = Buffer.concat([cipher.update(item.data), cipher.final()]);
      return Buffer.concat([Buffer.of(1), iv, body, cipher.getAuthTag()]);
    });
    const sealTime = performance.now() - start;
    start = performance.now();
    blobs.forEach((blob, i) => {
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13));
      decipher.setAAD(items[i]!.aad);
      decipher.setAuthTag(blob.subarray(blob.length - 16));
      Buffer.concat([decipher.update(blob.subarray(13, blob.length - 16)), decipher.final()]);
    });
    const openTime = performance.now() - start;
    if (run > 0) {
      seals.push(sealTime);
      opens.push(openTime);
    }
  }
  return { seal: median(seals), open: median(opens) };
}

async function sharedInNode(items: readonly AeadItem[]): Promise<{ seal: number; open: number }> {
  const key = await importAeadKey(generateAeadKeyBytes());
  const seals: number[] = [];
  const opens: number[] = [];
  for (let run = 0; run <= RUNS; run += 1) {
    let start = performance.now();
    const blobs = await sealMany(key, items);
    const sealTime = performance.now() - start;
    const sealed = blobs.map((data, i) => ({ data, aad: items[i]!.aad }));
    start = performance.now();
    await openMany(key, sealed);
    const openTime = performance.now() - start;
    if (run > 0) {
      seals.push(sealTime);
      opens.push(openTime);
    }
  }
  return { seal: median(seals), open: median(opens) };
}

/** Bundles aead-page.ts for the browser and serves it on an ephemeral loopback port. */
async function servePage() {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve('bench/crypto/aead-page.ts'), formats: ['es'], fileName: 'page' },
    },
  });
  const bundles = Array.isArray(output) ? output : [output];
  const chunk = bundles
    .flatMap((b) => ('output' in b ? b.output : []))
    .find((item) => item.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('aead-page bundle is empty');
  const script = chunk.code;
  const server = createServer((request, response) => {
    if (request.url === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(script);
    } else {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(
        '<!doctype html><title>aead bench</title><script type="module" src="/page.js"></script>',
      );
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

async function sharedInChromium(count: number): Promise<{ seal: number; open: number }> {
  const { server, url } = await servePage();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => 'runAeadBench' in globalThis);
    return await page.evaluate(
      ([n, runs]) =>
        (
          globalThis as unknown as {
            runAeadBench: (n: number, runs: number) => Promise<{ seal: number; open: number }>;
          }
        ).runAeadBench(n, runs),
      [count, RUNS] as const,
    );
  } finally {
    await browser.close();
    server.close();
  }
}

const perRecordUs = (ms: number, count: number) => ((ms / count) * 1000).toFixed(1);

for (const count of SIZES) {
  const label = count >= 1000 ? `${count / 1000}k` : String(count);
  const items = makeRecords(count);
  const baseline = nodeCryptoBaseline(items);
  const node = await sharedInNode(items);
  const browser = await sharedInChromium(count);
  console.log(
    `${label} records: node:crypto seal ${baseline.seal.toFixed(0)} ms / open ${baseline.open.toFixed(0)} ms` +
      ` (${perRecordUs(baseline.open, count)} µs per open)`,
  );
  console.log(
    `  shared/crypto in Node:     seal ${node.seal.toFixed(0)} ms, open ${node.open.toFixed(0)} ms` +
      ` (${perRecordUs(node.open, count)} µs per open)`,
  );
  console.log(
    `  shared/crypto in Chromium: seal ${browser.seal.toFixed(0)} ms, open ${browser.open.toFixed(0)} ms` +
      ` (${perRecordUs(browser.open, count)} µs per open)`,
  );
  report(`aead.seal.${label}.node`, node.seal, 'ms', baseline.seal);
  report(`aead.open.${label}.node`, node.open, 'ms', baseline.open);
  report(`aead.seal.${label}.chromium`, browser.seal, 'ms', baseline.seal);
  report(`aead.open.${label}.chromium`, browser.open, 'ms', baseline.open);
}
