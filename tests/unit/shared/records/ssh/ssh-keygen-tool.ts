import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * OpenSSL's command line is usually present but, unlike ssh-keygen, not installed by .ci/run;
 * suites that need it skip themselves (with this reason in their name) where it is missing.
 */
export const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/**
 * Test helper around the real OpenSSH and OpenSSL tools: an independent implementation to check
 * Coffer's output against and to produce keys of every format at test time. Arguments go
 * straight to execFile (no shell), files live in a private temporary directory.
 */
export class KeyTool {
  readonly dir = mkdtempSync(join(tmpdir(), 'coffer-ssh-'));
  private counter = 0;

  path(name: string): string {
    return join(this.dir, name);
  }

  /** A fresh file name in the temp dir. */
  fresh(stem: string): string {
    this.counter += 1;
    return this.path(`${stem}-${this.counter}`);
  }

  /** Writes a private key file with mode 0600, which ssh-keygen insists on. */
  writePrivate(text: string, stem = 'key'): string {
    const file = this.fresh(stem);
    writeFileSync(file, text, { mode: 0o600 });
    chmodSync(file, 0o600);
    return file;
  }

  read(file: string): string {
    return readFileSync(file, 'utf8');
  }

  sshKeygen(...args: string[]): string {
    return execFileSync('ssh-keygen', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  openssl(...args: string[]): string {
    return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** `ssh-keygen -l`: bits, fingerprint and comment of a key or certificate file. */
  fingerprint(file: string): { bits: number; fingerprint: string; comment: string } {
    const out = this.sshKeygen('-l', '-E', 'sha256', '-f', file).trim();
    const match = /^(\d+) (SHA256:\S+) (.*) \(([A-Z0-9-]+)\)$/.exec(out);
    if (match === null) throw new Error(`unexpected ssh-keygen -l output: ${out}`);
    return { bits: Number(match[1]), fingerprint: match[2] ?? '', comment: match[3] ?? '' };
  }

  /** ssh-keygen generates a key; returns the private key path (public key at path.pub). */
  generate(args: string[], passphrase = ''): string {
    const file = this.fresh('gen');
    this.sshKeygen('-q', ...args, '-N', passphrase, '-f', file);
    return file;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
