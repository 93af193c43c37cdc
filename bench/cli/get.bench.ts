// `coffer get` wall time per call against a bare `node -e ''` measured in the same run (goal:
// under 3x), and SDK fetch-and-decrypt of 1,000 records (issue #5 "Benchmarks"). The CLI runs
// as installed: dist/cli/main.js from `npm run build:node`, against the real server on SQLite.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build as bundle } from 'vite';
import { createClient, loadClientConfig } from '../../cli/sdk/index.ts';
import { DATABASES } from '../../tests/integration/server/support/databases.ts';
import { TestManager } from '../../tests/integration/server/support/devices.ts';
import { startHarness } from '../../tests/integration/server/support/harness.ts';
import { median, report, timeMedian } from '../crypto/report.ts';

// The runner bundles this file elsewhere and runs it from the repository root.
const root = process.cwd();
const RUNS = 21;

function build(): string {
  const main = join(root, 'dist/cli/main.js');
  // tsc still emits when another area has a type error; only a missing output is fatal here.
  spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.node-build.json'],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  if (!existsSync(main)) throw new Error('npm run build:node produced no dist/cli/main.js');
  return main;
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
    child.stdin.end(input);
  });
}

/**
 * Median wall time of each command, the commands interleaved run by run so that a change in the
 * machine's load (these machines are shared) weighs on all of them alike.
 */
async function times(commands: string[][], env: Record<string, string>): Promise<number[]> {
  const samples: number[][] = commands.map(() => []);
  for (const args of commands) await run(args, env);
  for (let i = 0; i < RUNS; i += 1) {
    for (const [index, args] of commands.entries()) {
      const result = await run(args, env);
      if (result.code !== 0) throw new Error(`${args.join(' ')} exited with ${result.code}`);
      samples[index]?.push(result.ms);
    }
  }
  return samples.map(median);
}

/**
 * The same CLI as one tree-shaken bundle (lazy commands still split off), for comparison: most
 * of the installed form's start-up is Node 20 loading ~170 ES modules, 94 of them zod's.
 */
async function bundled(): Promise<string> {
  const outDir = join(root, 'node_modules/.cache/coffer-bench/cli-bundle');
  await bundle({
    configFile: false,
    root,
    logLevel: 'warn',
    ssr: { noExternal: true },
    build: {
      ssr: join(root, 'cli/main.ts'),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'coffer.mjs' } },
    },
  });
  return join(outDir, 'coffer.mjs');
}

const main = build();
const single = await bundled();
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

  const [bare = 0, version = 0, get = 0, getBundled = 0] = await times(
    [
      ['-e', ''],
      [main, '--version'],
      [main, 'get', first, '--field', 'password'],
      [single, 'get', first, '--field', 'password'],
    ],
    env,
  );
  report('cli.start.node-bare', bare, 'ms');
  report('cli.start.coffer-version', version, 'ms', bare);
  report('cli.get.by-id', get, 'ms', bare);
  report('cli.get.by-id.bundled', getBundled, 'ms', bare);

  const { config } = await loadClientConfig({ env, client: { cache: false } });
  const client = createClient(config);
  const listed = await client.list();
  if (listed.length !== 1000) throw new Error(`expected 1000 records, got ${listed.length}`);
  report('sdk.fetch-decrypt.1000', await timeMedian(5, () => client.list()), 'ms');
} finally {
  await h.close();
}
