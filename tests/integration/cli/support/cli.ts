import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleCli } from '../../../../scripts/cli-bundle.mjs';

const root = resolve(import.meta.dirname, '../../../..');

/**
 * Bundles cli/main.ts exactly as the installed `coffer` is built (scripts/cli-bundle.mjs), so each
 * test runs the real CLI in a child process. The bundle lives under node_modules/.cache, where
 * lint and git never look.
 */
export async function buildCli(): Promise<string> {
  const base = join(root, 'node_modules', '.cache', 'coffer-cli-test');
  mkdirSync(base, { recursive: true });
  return bundleCli(mkdtempSync(join(base, 'build-')));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
}

/** A fresh HOME and XDG_CONFIG_HOME, so every test has its own profiles and cache. */
export function tempHome(): { HOME: string; XDG_CONFIG_HOME: string } {
  const home = mkdtempSync(join(tmpdir(), 'coffer-cli-home-'));
  return { HOME: home, XDG_CONFIG_HOME: join(home, 'config') };
}

export function runCli(bin: string, args: readonly string[], options: CliOptions = {}) {
  return new Promise<CliResult>((resolveRun, reject) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value !== undefined) env[name] = value;
    }
    const child = spawn(process.execPath, [bin, ...args], {
      env,
      cwd: options.cwd ?? root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
