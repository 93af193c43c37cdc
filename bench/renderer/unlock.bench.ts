import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { setArgon2Backend } from '../../shared/crypto/index.ts';
import { installInProcessArgon2 } from '../../tests/unit/shared/crypto/helpers/argon2-wasm.ts';
import { median, report } from '../crypto/report.ts';
import { startProfiling } from './cpu-profile.ts';
import type { SearchTimes, UnlockTimes } from './unlock-page.ts';
import { nodeCryptoOpenAll, recordVault, type RecordedVault } from './vault-fixture.ts';

/**
 * Issue #4's renderer benchmark, in Debian's Chromium: from submitting the master password to
 * the first painted rows and to a fully searchable vault, at 10,000 and 100,000 records, with
 * the Argon2id time (default parameters) reported apart; then search latency per keystroke at
 * 100,000. The page runs the renderer's real code (VaultClient, the Argon2 worker, the decrypt
 * worker pool, the search index, visibleRecords) against a loopback server that replays a
 * recorded vault: the account's key wraps and paged sync responses, sealed through shared/keys.
 * Baselines from the same run: the same unlock with records opened on the main thread, and
 * node:crypto opening the same records one by one.
 * Goals after the KDF: first rows < 0.3 s; searchable 10k < 0.3 s, 100k < 1.5 s; p95 < 16 ms.
 */

/**
 * `COFFER_BENCH_SIZES=100000` runs one size only; `COFFER_BENCH_CPU_PROFILE=<dir>` adds one
 * unlock per size and mode under the DevTools protocol's Profiler and writes one profile per
 * thread (the page's main thread and each worker) as
 * `<dir>/unlock.<size>.<workers|main-thread>.<thread>.cpuprofile` (open them in DevTools).
 */
const SIZES = process.env['COFFER_BENCH_SIZES']?.split(',').map(Number) ?? [10_000, 100_000];
const profileDir = process.env['COFFER_BENCH_CPU_PROFILE'];
/** `COFFER_BENCH_POOL=<n>` runs the decrypt pool with n workers instead of one per core. */
const POOL_SIZE =
  process.env['COFFER_BENCH_POOL'] === undefined
    ? undefined
    : Number(process.env['COFFER_BENCH_POOL']);
const RUNS = 3;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MASTER_PASSWORD = 'bench lantern orbit canyon 42';
// Not under scripts/bench.mjs's cache folder: another bench run finishing meanwhile empties it,
// and every unlock loads the page afresh.
const OUT_DIR = await mkdtemp(join(os.tmpdir(), 'coffer-bench-renderer-'));
const TYPED = ['postgres prod', 'svc-99999@example', 'ops-105', 'redis-7'];

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

async function buildPage(): Promise<void> {
  await build({
    configFile: false,
    root: resolve('bench/renderer'),
    base: './',
    logLevel: 'warn',
    build: {
      outDir: OUT_DIR,
      emptyOutDir: true,
      minify: false,
      rolldownOptions: { input: resolve('bench/renderer/unlock.html') },
    },
  });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * The sync answers, serialised once per cursor and reused by every later unlock: the bench
 * measures the client, so the replaying server should cost as little as it can. A real server's
 * time per page (a query and the JSON) comes on top, once per page.
 */
const syncAnswers = new WeakMap<RecordedVault, Map<string, Buffer>>();

function syncAnswer(vault: RecordedVault, cursor: number, limit: number): Buffer {
  let answers = syncAnswers.get(vault);
  if (answers === undefined) syncAnswers.set(vault, (answers = new Map()));
  const key = `${cursor}:${limit}`;
  let answer = answers.get(key);
  if (answer === undefined) {
    const records = vault.records.filter((r) => r.seq > cursor).slice(0, limit);
    const last = records.at(-1)?.seq ?? cursor;
    answer = Buffer.from(
      JSON.stringify({
        cursor: Math.max(last, cursor === 0 ? vault.folders.length : cursor),
        more: vault.records.some((r) => r.seq > last),
        memberships: cursor === 0 ? vault.memberships : [],
        folders: cursor === 0 ? vault.folders : [],
        records,
      }),
    );
    answers.set(key, answer);
  }
  return answer;
}

/** Replays the recorded vault the way server/vault pages it: by sequence after the cursor. */
function api(vault: RecordedVault, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/api/v1/auth/session' && request.method === 'POST') {
    request.resume();
    json(response, 201, {
      token: 'recorded-session-token',
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      user: { id: vault.userId, isAdmin: false, email: 'alice@example.com' },
      hasAccountKeys: true,
    });
  } else if (url.pathname === '/api/v1/account/keys') {
    json(response, 200, vault.accountKeys);
  } else if (url.pathname === '/api/v1/vault/sync') {
    const cursor = Number(url.searchParams.get('cursor') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? '2000');
    const answer = syncAnswer(vault, cursor, limit);
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': answer.length,
    });
    response.end(answer);
  } else {
    json(response, 404, { code: 'not_found' });
  }
}

async function serve(vault: RecordedVault) {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path.startsWith('/api/')) {
      api(vault, request, response);
      return;
    }
    const file = normalize(join(OUT_DIR, path === '/' ? 'unlock.html' : path));
    if (!file.startsWith(OUT_DIR)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

type BenchGlobals = {
  unlockVault(
    password: string,
    inWorkers: boolean,
    keep?: boolean,
    poolSize?: number,
  ): Promise<UnlockTimes>;
  kdfOnly(password: string): Promise<number>;
  searchLatency(typed: readonly string[]): SearchTimes;
};

/**
 * Each unlock runs in a fresh page: a 100,000-record vault left for the collector would make the
 * next Argon2 worker's 64 MiB allocation fail, and a new page is what an unlock after a restart
 * sees anyway.
 */
/**
 * CPU seconds every process of the browser has used so far. Wall times on a machine shared with
 * other work vary with its load; the CPU an unlock costs hardly does, and on a machine with N
 * free cores the unlock can take no less than that CPU time / N.
 */
async function browserCpu(): Promise<Map<number, number>> {
  const info = (await browserSession.send('SystemInfo.getProcessInfo')) as {
    processInfo: { id: number; cpuTime: number }[];
  };
  return new Map(info.processInfo.map((p) => [p.id, p.cpuTime * 1000]));
}

/** CPU ms used since `before` by the processes alive now (a page closed meanwhile drops out). */
async function browserCpuMsSince(before: Map<number, number>): Promise<number> {
  let used = 0;
  for (const [id, ms] of await browserCpu()) used += ms - (before.get(id) ?? 0);
  return used;
}

async function unlockIn(
  url: string,
  inWorkers: boolean,
  keep = false,
  profileAs?: string,
): Promise<{ times: UnlockTimes; page: Page; cpuMs: number }> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => 'benchReady' in globalThis);
  const profiling = profileAs === undefined ? null : await startProfiling(page);
  // A profiled unlock keeps its vault open: locking would end the workers and their profiles.
  const keepOpen = keep || profiling !== null;
  const cpuBefore = await browserCpu();
  const times = await page.evaluate(
    ([password, workers, keepIt, size]) =>
      (globalThis as unknown as BenchGlobals).unlockVault(password, workers, keepIt, size),
    [MASTER_PASSWORD, inWorkers, keepOpen, POOL_SIZE] as const,
  );
  const cpuMs = await browserCpuMsSince(cpuBefore);
  if (profiling !== null && profileAs !== undefined && profileDir !== undefined) {
    await profiling.stop(profileDir, profileAs);
  }
  if (!keep) await page.close();
  return { times, page, cpuMs };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Measured extends UnlockTimes {
  /** CPU of the whole browser for the unlock, the KDF's share taken out (see kdfCpuMs). */
  readonly cpuMs: number;
}

/** The CPU Argon2id at the defaults costs in a fresh page: the KDF's share of an unlock's. */
async function kdfCpuMs(url: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => 'benchReady' in globalThis);
    const before = await browserCpu();
    await page.evaluate(
      (password) => (globalThis as unknown as BenchGlobals).kdfOnly(password),
      MASTER_PASSWORD,
    );
    runs.push(await browserCpuMsSince(before));
    await page.close();
  }
  return median(runs);
}

async function measure(
  url: string,
  inWorkers: boolean,
  count: number,
  kdfCpu: number,
): Promise<Measured> {
  await unlockIn(url, inWorkers);
  const runs: (UnlockTimes & { cpuMs: number })[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const { times, cpuMs } = await unlockIn(url, inWorkers);
    if (times.records !== count) throw new Error(`opened ${times.records} of ${count} records`);
    if (times.workersAfterLock !== 0) throw new Error('decrypt workers outlived the lock');
    runs.push({ ...times, cpuMs });
  }
  return {
    kdfMs: median(runs.map((r) => r.kdfMs)),
    firstRowsMs: median(runs.map((r) => r.firstRowsMs)),
    searchableMs: median(runs.map((r) => r.searchableMs)),
    records: count,
    workersAfterLock: 0,
    cpuMs: median(runs.map((r) => r.cpuMs)) - kdfCpu,
  };
}

installInProcessArgon2();
await buildPage();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const browserSession = await browser.newBrowserCDPSession();
try {
  for (const count of SIZES) {
    const label = `${count / 1000}k`;
    const vault = await recordVault(count, MASTER_PASSWORD);
    const nodeMs = median([0, 1, 2].map(() => nodeCryptoOpenAll(vault)));
    const { server, url } = await serve(vault);
    try {
      const kdfCpu = await kdfCpuMs(url);
      const workers = await measure(url, true, count, kdfCpu);
      const main = await measure(url, false, count, kdfCpu);
      if (profileDir !== undefined) {
        await unlockIn(url, true, false, `unlock.${label}.workers`);
        await unlockIn(url, false, false, `unlock.${label}.main-thread`);
      }
      const cores = os.availableParallelism();
      console.log(
        `${label} records (${cores} cores): KDF ${workers.kdfMs.toFixed(0)} ms; ` +
          `after the KDF, workers: first rows ${workers.firstRowsMs.toFixed(0)} ms, searchable ` +
          `${workers.searchableMs.toFixed(0)} ms; main thread: first rows ` +
          `${main.firstRowsMs.toFixed(0)} ms, searchable ${main.searchableMs.toFixed(0)} ms; ` +
          `CPU after the KDF, workers ${workers.cpuMs.toFixed(0)} ms, main thread ` +
          `${main.cpuMs.toFixed(0)} ms; ` +
          `node:crypto open+parse ${nodeMs.toFixed(0)} ms ` +
          `(${((nodeMs / count) * 1000).toFixed(1)} µs/record)`,
      );
      report(`unlock.kdf.${label}.chromium`, workers.kdfMs, 'ms');
      report(`unlock.first-rows.${label}.workers`, workers.firstRowsMs, 'ms', main.firstRowsMs);
      report(`unlock.searchable.${label}.workers`, workers.searchableMs, 'ms', main.searchableMs);
      report(`unlock.searchable.${label}.main-thread`, main.searchableMs, 'ms', nodeMs);
      report(`unlock.cpu.${label}.workers`, workers.cpuMs, 'ms', main.cpuMs);
      report(`unlock.cpu.${label}.main-thread`, main.cpuMs, 'ms', nodeMs);
      report(`unlock.decrypt.${label}.node-crypto`, nodeMs, 'ms');
      if (count === 100_000) {
        const { page } = await unlockIn(url, true, true);
        const search = await page.evaluate(
          (typed) => (globalThis as unknown as BenchGlobals).searchLatency(typed),
          TYPED,
        );
        console.log(
          `search at ${label}, ${search.index.length} keystrokes: index p50 ` +
            `${percentile(search.index, 50).toFixed(2)} ms, ` +
            `p95 ${percentile(search.index, 95).toFixed(2)} ms; ` +
            'shown list (filter + search + sort) ' +
            `p50 ${percentile(search.list, 50).toFixed(2)} ms, ` +
            `p95 ${percentile(search.list, 95).toFixed(2)} ms; sort once before typing ` +
            `${search.prepareMs.toFixed(0)} ms`,
        );
        report(`search.index.${label}.p50`, percentile(search.index, 50), 'ms');
        report(`search.index.${label}.p95`, percentile(search.index, 95), 'ms');
        report(`search.list.${label}.p50`, percentile(search.list, 50), 'ms');
        report(`search.list.${label}.p95`, percentile(search.list, 95), 'ms');
        report(`search.list.${label}.sort-once`, search.prepareMs, 'ms');
        await page.close();
      }
    } finally {
      server.close();
    }
  }
} finally {
  await browser.close();
  setArgon2Backend(undefined);
  await rm(OUT_DIR, { recursive: true, force: true });
}
