// Device fetch of 100 records under 50 concurrent connections (issue #3 "Benchmark"): the real
// server on SQLite and on PostgreSQL, and a bare Fastify route returning the same bytes to the
// same requests, all in one run. Goals: at least 0.7x the bare route's requests/s on SQLite;
// PostgreSQL within 1.5x of SQLite. The load comes from autocannon in a child process, so the
// generator never competes with the server for this process's event loop; every request carries
// its own pre-signed nonce.
//
// A third route shows the protocol's own ceiling: it only verifies each request's signature (as
// DESIGN.md requires of every device request, and as the server does it, off the event loop) and
// answers the same bytes — no nonce, no database, no audit. No server that verifies every request
// can pass it, so its ratio to the bare route bounds the first goal on this machine.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { deviceVaultPath } from '../../shared/protocol/device-api.ts';
import { parseRequestHeaders } from '../../shared/protocol/signed-request.ts';
import { DeviceSignatureVerifier } from '../../server/device/signature.ts';
import { DATABASES } from '../../tests/integration/server/support/databases.ts';
import { TestDevice, TestManager } from '../../tests/integration/server/support/devices.ts';
import { startHarness } from '../../tests/integration/server/support/harness.ts';
import { report } from '../crypto/report.ts';

const CONNECTIONS = 50;
const RECORDS = 100;
/**
 * Requests per measured run, after a warm-up of WARMUP; bounds the run in time and count.
 * Requests/s is this count over the time from the first request to the last answer: autocannon's
 * own average is over whole-second samples, too coarse for runs of a few seconds.
 */
const AMOUNT = 10_000;
const WARMUP = 1000;
/** Measured rounds; each figure is the median over them. */
const ROUNDS = 3;
const VERIFY_SAMPLES = 2000;

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const work = mkdtempSync(join(tmpdir(), 'coffer-bench-server-'));
const autocannonPath = createRequire(join(process.cwd(), 'package.json')).resolve('autocannon');

/**
 * The load generator, run as a plain CommonJS child: requests go out in the order of the header
 * pool, one pool entry per request across all connections, so no nonce is ever sent twice.
 */
const DRIVER = `
const autocannon = require(${JSON.stringify(autocannonPath)});
const fs = require('node:fs');
const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let next = 0;
const start = performance.now();
let last = start;
const instance = autocannon({
  url: job.url,
  connections: job.connections,
  amount: job.pool.length,
  requests: [{ method: 'GET', path: job.path, setupRequest: (req) =>
    ({ ...req, headers: { ...req.headers, ...job.pool[next++] } }) }],
}, (error, result) => {
  if (error) { console.error(error.message); process.exit(1); }
  process.stdout.write(JSON.stringify({
    rps: result.requests.total / ((last - start) / 1000),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }));
});
instance.on('response', () => { last = performance.now(); });
`;
const driverFile = join(work, 'driver.cjs');
writeFileSync(driverFile, DRIVER);

function load(job: {
  url: string;
  path: string;
  pool: Record<string, string>[];
}): Promise<LoadResult> {
  const jobFile = join(work, `job-${Date.now()}.json`);
  writeFileSync(jobFile, JSON.stringify({ connections: CONNECTIONS, ...job }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [driverFile, jobFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`load driver exited with ${code}`));
      else resolve(JSON.parse(out) as LoadResult);
    });
  });
}

interface Route {
  url: string;
  close(): Promise<void>;
}

/** The same bytes from a route that does nothing else: the framework's own ceiling. */
async function bareRoute(body: Buffer): Promise<Route> {
  const app = Fastify({ logger: false });
  app.get(deviceVaultPath(), (_request, reply) => reply.type('application/json').send(body));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}

/**
 * The same bytes once the request's signature verifies for `engine`'s device, checked as the
 * server checks it: headers parsed, timestamp window, canonical string for the engine's host
 * (the server's `COFFER_PUBLIC_URL` case), ECDSA P-256 on the thread pool. Nothing else.
 */
async function verifyOnlyRoute(body: Buffer, engine: Engine): Promise<Route> {
  const verifier = new DeviceSignatureVerifier();
  const host = new URL(engine.url).host;
  const app = Fastify({ logger: false });
  app.get(deviceVaultPath(), async (request, reply) => {
    await verifier.verifyOffThread(
      parseRequestHeaders(request.headers),
      { method: 'GET', pathWithQuery: request.url, host, body: new Uint8Array() },
      engine.publicKey,
      Math.floor(Date.now() / 1000),
    );
    return reply.type('application/json').send(body);
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}

async function signPool(device: TestDevice, path: string, count: number) {
  const pool: Record<string, string>[] = [];
  for (let i = 0; i < count; i += 1) {
    pool.push({ ...(await device.sign('GET', path, new Uint8Array())) });
  }
  return pool;
}

/**
 * Microseconds of one signature verification as the server does it per request: header parsing
 * and the server's node:crypto verifier with its cached key (server/device/signature.ts).
 */
function verifyMicros(device: TestDevice, pool: Record<string, string>[], host: string) {
  const verifier = new DeviceSignatureVerifier();
  const publicKey = device.profile.signing.publicKey;
  const path = deviceVaultPath();
  const start = performance.now();
  for (const headers of pool.slice(0, VERIFY_SAMPLES)) {
    verifier.verify(
      parseRequestHeaders(headers),
      { method: 'GET', pathWithQuery: path, host, body: new Uint8Array() },
      publicKey,
      Math.floor(Date.now() / 1000),
    );
  }
  return ((performance.now() - start) * 1000) / Math.min(VERIFY_SAMPLES, pool.length);
}

/**
 * `COFFER_BENCH_DATABASES=sqlite` runs one engine only; `COFFER_BENCH_CPU_PROFILE=<dir>` writes a
 * V8 CPU profile of this process (the server side) covering only the measured load, one file per
 * engine, for `node --cpu-prof`-style analysis without the set-up and signing noise.
 */
const only = process.env['COFFER_BENCH_DATABASES']?.split(',');
const targets = DATABASES.filter((t) => only === undefined || only.includes(t.name));
const profileDir = process.env['COFFER_BENCH_CPU_PROFILE'];

async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (profileDir === undefined) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(join(profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

interface Engine {
  name: string;
  url: string;
  path: string;
  /** Signs one request's headers per entry, just before a load needs them. */
  sign(count: number): Promise<Record<string, string>[]>;
  answer: string;
  publicKey: string;
  verifyUs: number;
  close(): Promise<void>;
}

/** A real server on `target` with a bound device, 100 records granted to its application. */
async function startEngine(target: (typeof DATABASES)[number]): Promise<Engine> {
  const h = await startHarness(target, {
    logLevel: 'silent',
    rateLimits: { devicePerMinute: 1_000_000, apiPerAddressPerMinute: 10_000_000 },
  });
  try {
    const manager = await TestManager.signIn(h, 'bench');
    const folder = await manager.folder('Production');
    for (let i = 0; i < RECORDS; i += 1) {
      await manager.record(folder, `postgres://svc-${i}:${'x'.repeat(300)}@db.example.com/app`);
    }
    const app = await manager.app('Bench runner');
    await manager.grant(app, folder, 'read-only');
    const device = await TestDevice.redeem(h, (await manager.mint(app)).token);
    const path = deviceVaultPath();
    const sample = await device.request('GET', path);
    if (sample.status !== 200 || (sample.body['records'] as unknown[]).length !== RECORDS) {
      throw new Error(`device fetch answered ${sample.status}`);
    }
    const sign = (count: number) => signPool(device, path, count);
    const verifyUs = verifyMicros(device, await sign(VERIFY_SAMPLES), new URL(h.server.url).host);
    return {
      name: target.name,
      url: h.server.url,
      path,
      sign,
      answer: sample.text,
      publicKey: device.profile.signing.publicKey,
      verifyUs,
      close: () => h.close(),
    };
  } catch (error) {
    await h.close();
    throw error;
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

let failed = false;
const engines: Engine[] = [];
try {
  for (const target of targets) engines.push(await startEngine(target));
  const first = engines[0];
  if (!first) throw new Error('no database selected');
  const answer = Buffer.from(first.answer, 'utf8');
  const bare = await bareRoute(answer);
  const verifyOnly = await verifyOnlyRoute(answer, first);
  const path = deviceVaultPath();
  try {
    // Warm-up, then rounds in which every engine and the two routes take turns: the machine's
    // load drifts over a run, and interleaving spreads the drift over all of them alike. Every
    // load sends the same signed requests, so the routes' generator does the same work too.
    await load({ url: bare.url, path, pool: await first.sign(WARMUP) });
    await load({ url: verifyOnly.url, path, pool: await first.sign(WARMUP) });
    for (const engine of engines) {
      await load({ url: engine.url, path: engine.path, pool: await engine.sign(WARMUP) });
    }
    const runs = new Map<string, LoadResult[]>();
    const record = (name: string, result: LoadResult) => {
      runs.set(name, [...(runs.get(name) ?? []), result]);
      if (result.non2xx > 0 || result.errors > 0) failed = true;
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const engine of engines) {
        // Signed per round, outside the measured time: a slow run must not outlive the
        // ±5 minute window of requests signed at its start.
        const job = { url: engine.url, path: engine.path, pool: await engine.sign(AMOUNT) };
        // The profile covers the first round only: one file per engine.
        record(
          engine.name,
          round === 0 ? await profiled(engine.name, () => load(job)) : await load(job),
        );
      }
      record('bare', await load({ url: bare.url, path, pool: await first.sign(AMOUNT) }));
      const verifyPool = await first.sign(AMOUNT);
      record('verify-only', await load({ url: verifyOnly.url, path, pool: verifyPool }));
    }

    const summary = (name: string) => {
      const results = runs.get(name) ?? [];
      return {
        rps: median(results.map((r) => r.rps)),
        p50: median(results.map((r) => r.p50)),
        p99: median(results.map((r) => r.p99)),
        non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
        errors: results.reduce((sum, r) => sum + r.errors, 0),
      };
    };
    const baseline = summary('bare');
    const ceiling = summary('verify-only');
    // The most any server that verifies every request could reach against the bare route here.
    report(`device-fetch.verify-only.c${CONNECTIONS}.rps`, ceiling.rps, 'req/s', baseline.rps);
    for (const engine of engines) {
      const real = summary(engine.name);
      const name = `device-fetch.100rec.c${CONNECTIONS}.${engine.name}`;
      report(`${name}.rps`, real.rps, 'req/s', baseline.rps);
      report(`${name}.rps-vs-verify-only`, real.rps, 'req/s', ceiling.rps);
      report(`${name}.p50`, real.p50, 'ms', baseline.p50);
      report(`${name}.p99`, real.p99, 'ms', baseline.p99);
      // One event loop: the share of its time spent verifying is verify time x request rate.
      report(`${name}.verify-share`, (engine.verifyUs * real.rps) / 10_000, '%');
      report(`${name}.verify-per-request`, engine.verifyUs, 'us');
      console.log(
        `${engine.name}: ${engine.answer.length} bytes per answer, rounds ` +
          `${(runs.get(engine.name) ?? []).map((r) => Math.round(r.rps)).join('/')} req/s ` +
          `(bare ${(runs.get('bare') ?? []).map((r) => Math.round(r.rps)).join('/')}, ` +
          'verify-only ' +
          `${(runs.get('verify-only') ?? []).map((r) => Math.round(r.rps)).join('/')}), ` +
          `non-2xx ${real.non2xx}, errors ${real.errors}`,
      );
    }
    const sqlite = runs.has('sqlite') ? summary('sqlite') : undefined;
    const postgres = runs.has('postgres') ? summary('postgres') : undefined;
    if (sqlite && postgres) {
      // Goal: PostgreSQL within 1.5x of SQLite, i.e. this ratio at least 0.67.
      report('device-fetch.postgres-vs-sqlite.rps', postgres.rps, 'req/s', sqlite.rps);
    }
  } finally {
    await bare.close();
    await verifyOnly.close();
  }
} finally {
  for (const engine of engines) await engine.close();
  rmSync(work, { recursive: true, force: true });
}
if (failed) {
  console.log('some benchmark requests were refused or failed');
  process.exit(1);
}
process.exit(0);
