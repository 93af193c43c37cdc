import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/**
 * The real `coffer` CLI in a child process, with nothing of the caller's environment but PATH
 * and what the test passes: the CLI integration tests and the Playwright journey share it.
 */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  /** stdin: text is sent as UTF-8, bytes as they are (to send what is not UTF-8). */
  input?: string | Uint8Array;
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
