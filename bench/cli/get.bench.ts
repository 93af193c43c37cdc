// `coffer get` wall time per call against a bare `node -e ''` measured in the same run (goal:
// under 3x), and SDK fetch-and-decrypt of 1,000 records (issue #5 "Benchmarks"). The CLI runs
// as installed (the bundle `bin` points at), against the real server on SQLite.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleCli } from '../../scripts/cli-bundle.mjs';
import { createClient, loadClientConfig } from '../../cli/sdk/index.ts';
import { DATABASES } from '../../tests/integration/server/support/databases.ts';
import { TestManager } from '../../tests/integration/server/support/devices.ts';
import { startHarness } from '../../tests/integration/server/support/harness.ts';
import { median, report, timeMedian } from '../crypto/report.ts';

// The runner bundles this file elsewhere and runs it from the repository root.
const root = process.cwd();
const RUNS = 21;

/**
 * The CLI exactly as installed: the bundle scripts/cli-bundle.mjs makes for `bin` (coffer.cjs,
 * which keeps V8 code caches beside its chunks once a command has run). Not under
 * node_modules/.cache/coffer-bench: the runner empties that folder when it starts, so a second
 * `npm run bench` started meanwhile (the machine is shared) deleted the CLI mid-measurement.
 */
function installed(): Promise<string> {
  return bundleCli(join(root, 'node_modules/.cache/coffer-bench-cli'), root);
}

function run(
  args: string[],
  env: Record<string, string>,
  input = '',
): Promise<{ ms: number; code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ ms: performance.now() - start, code, out }));
    // A command may exit before reading its stdin (most never read it): writing to the closed
    // pipe then fails with EPIPE, which without a handler crashed the whole benchmark. The exit
    // code and output, reported through 'close', say whether the command itself worked.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') fail(error);
    });
    child.stdin.end(input);
  });
}

interface Timed {
  readonly args: string[];
  readonly env: Record<string, string>;
  /** Runs before each sample, untimed. */
  readonly prepare?: () => void;
}

/**
 * Median wall time of each command, the commands interleaved run by run so that a change in the
 * machine's load (these machines are shared) weighs on all of them alike. One untimed run of
 * each first: it makes the code caches an installed CLI keeps (cli/bin.ts).
 */
async function times(commands: Timed[]): Promise<number[]> {
  const samples: number[][] = commands.map(() => []);
  for (const { args, env } of commands) await run(args, env);
  for (let i = 0; i < RUNS; i += 1) {
    for (const [index, { args, env, prepare }] of commands.entries()) {
      prepare?.();
      const result = await run(args, env);
      if (result.code !== 0) throw new Error(`${args.join(' ')} exited with ${result.code}`);
      samples[index]?.push(result.ms);
    }
  }
  return samples.map(median);
}

/** As on a fresh installation: no code cache for `get` yet (the run makes it again). */
function forgetGetCodeCaches(entry: string): void {
  const dir = join(dirname(entry), 'chunks', '.code-cache');
  for (const name of readdirSync(dir)) {
    if (name.includes('.get.')) rmSync(join(dir, name));
  }
}

const main = await installed();
const sqlite = DATABASES.find((target) => target.name === 'sqlite');
if (sqlite === undefined) throw new Error('no SQLite target');
const h = await startHarness(sqlite);
try {
  const manager = await TestManager.signIn(h, 'bench');
  const folder = await manager.folder('Production');
  const content = (i: number) =>
    JSON.stringify({
      schemaVersion: 1,
      type: 'database',
      title: `Database ${i}`,
      engine: 'postgresql',
      host: `db${i}.example.com`,
      username: 'app',
      password: `generated-${i}-${Math.random().toString(36).slice(2)}`,
      notes: 'x'.repeat(200),
    });
  const first = await manager.record(folder, content(0));
  for (let i = 1; i < 1000; i += 1) await manager.record(folder, content(i));
  const app = await manager.app('bench');
  await manager.grant(app, folder, 'read-only');
  const minted = await manager.mint(app);
  const home = mkdtempSync(join(tmpdir(), 'coffer-bench-'));
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config') };
  const init = await run([main, 'init'], env, minted.token);
  if (init.code !== 0) throw new Error(`coffer init exited with ${init.code}`);

  // A second home for the same device whose cache holds all 1,000 records, as after a `list`.
  const fullHome = mkdtempSync(join(tmpdir(), 'coffer-bench-'));
  cpSync(home, fullHome, { recursive: true });
  const fullEnv = { HOME: fullHome, XDG_CONFIG_HOME: join(fullHome, 'config') };
  const list = await run([main, 'list'], fullEnv);
  if (list.code !== 0) throw new Error(`coffer list exited with ${list.code}`);

  const get = [main, 'get', first, '--field', 'password'];
  const [bare = 0, version = 0, byId = 0, firstRun = 0, fullCache = 0] = await times([
    { args: ['-e', ''], env },
    { args: [main, '--version'], env },
    { args: get, env },
    { args: get, env, prepare: () => forgetGetCodeCaches(main) },
    { args: get, env: fullEnv },
  ]);
  report('cli.start.node-bare', bare, 'ms');
  report('cli.start.coffer-version', version, 'ms', bare);
  report('cli.get.by-id', byId, 'ms', bare);
  report('cli.get.by-id.first-run', firstRun, 'ms', bare);
  report('cli.get.by-id.cache-1000', fullCache, 'ms', bare);

  const { config } = await loadClientConfig({ env, client: { cache: false } });
  const client = createClient(config);
  const listed = await client.list();
  if (listed.length !== 1000) throw new Error(`expected 1000 records, got ${listed.length}`);
  report('sdk.fetch-decrypt.1000', await timeMedian(5, () => client.list()), 'ms');
} finally {
  await h.close();
}
