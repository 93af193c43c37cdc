import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'vite';
import type { ConfigInput } from '../../../../server/config/schema.ts';

const root = resolve(import.meta.dirname, '../../../..');
const cache = join(root, 'node_modules', '.cache', 'coffer-server-test');

/**
 * Bundles server/main.ts from the sources under test (dist/ may be stale), so a test can run the
 * real server as separate processes. Packages stay external and resolve from the repository's
 * node_modules, which lies above the bundle's folder; node_modules/.cache is out of reach of lint
 * and git.
 */
export async function buildServer(): Promise<string> {
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(join(cache, 'build-'));
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: join(root, 'server/main.ts'),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'main.mjs' } },
    },
  });
  return join(outDir, 'main.mjs');
}

/** Removes a bundle of `buildServer` and the configurations written beside it. */
export function removeServerBuild(bundle: string): void {
  rmSync(dirname(bundle), { recursive: true, force: true });
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** SIGTERM, then waits for the exit (the server closes its database first). */
  stop(): Promise<void>;
}

/**
 * Starts one server process on `config` (read from a COFFER_SERVER_CONFIG file, the way an
 * operator would configure a replica) and answers once it prints the address it listens on.
 */
export function startServerProcess(bundle: string, config: ConfigInput): Promise<ServerProcess> {
  const file = join(dirname(bundle), `config-${randomBytes(6).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', COFFER_SERVER_CONFIG: file },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolveStart, reject) => {
    let out = '';
    let err = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolveStart({ url: match[1], pid: child.pid ?? 0, stop });
    });
    child.once('exit', (code) => reject(new Error(`server process exited (${code}): ${err}`)));
    child.once('error', reject);
  });

  function stop(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  }
}
