import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../server/db/sqlite.ts';
import { startServer } from '../../../server/start.ts';
import { buildServer, removeServerBuild } from './support/server-process.ts';

/**
 * Issue #6: what a newcomer meets when starting the server goes wrong — a busy port, no way to
 * sign in — is one sentence naming the setting to change, and the process exits non-zero; the
 * SQLite files it creates are readable by its own user only.
 */

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'coffer-start-up-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const mode = (path: string): number => statSync(path).mode & 0o777;

/** A loopback port some other program holds. */
async function occupiedPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const holder: Server = createServer();
  await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
  const { port } = holder.address() as AddressInfo;
  return { port, release: () => new Promise((done) => holder.close(() => done())) };
}

describe('the SQLite database files', () => {
  it('are created owner-only, the WAL and shared-memory files included', async () => {
    const file = join(work, 'data', 'coffer.sqlite');
    const db = openSqlite(file);
    try {
      await db.run('CREATE TABLE t (v TEXT)');
      await db.transaction((tx) => tx.run('INSERT INTO t VALUES (?)', ['x']));
      expect(mode(join(work, 'data'))).toBe(0o700);
      expect(mode(file)).toBe(0o600);
      expect(mode(`${file}-wal`)).toBe(0o600);
      expect(mode(`${file}-shm`)).toBe(0o600);
    } finally {
      await db.close();
    }
  });

  it('tightens a database file an earlier version left readable by others', async () => {
    const file = join(work, 'coffer.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const db = openSqlite(file);
    await db.run('CREATE TABLE t (v TEXT)');
    await db.close();
    expect(mode(file)).toBe(0o600);
  });
});

describe('a busy port', () => {
  const base = () => ({
    database: join(work, 'coffer.sqlite'),
    logLevel: 'silent' as const,
    identityProviders: [],
  });

  it("names COFFER_LISTEN when the server's own port is taken", async () => {
    const taken = await occupiedPort();
    try {
      await expect(
        startServer({ ...base(), listen: { host: '127.0.0.1', port: taken.port } }),
      ).rejects.toThrow(
        `port ${taken.port} for the Coffer server is in use (127.0.0.1:${taken.port}); ` +
          'set COFFER_LISTEN=127.0.0.1:<port> to use another port',
      );
    } finally {
      await taken.release();
    }
  });

  it("names COFFER_DEV_IDP when the development provider's port is taken", async () => {
    const taken = await occupiedPort();
    try {
      await expect(
        startServer({
          ...base(),
          listen: { host: '127.0.0.1', port: 0 },
          devIdentityProvider: { enabled: true, port: taken.port },
        }),
      ).rejects.toThrow(
        `port ${taken.port} for the development identity provider is in use ` +
          `(127.0.0.1:${taken.port}); ` +
          'set COFFER_DEV_IDP=<port> to use another port',
      );
    } finally {
      await taken.release();
    }
  });
});

describe('node dist/server/main.js', () => {
  let bundle: string;
  beforeAll(async () => {
    bundle = await buildServer();
  }, 120_000);
  afterAll(() => removeServerBuild(bundle));

  /** Runs the server process to its exit; it must not get as far as listening. */
  function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, [bundle], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // A server that got as far as listening has already failed the test: end it at once.
      if (output.includes('listening on')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    return new Promise((done) => child.once('close', (code) => done({ code, output })));
  }

  it('refuses to start when nobody could sign in, naming both settings', async () => {
    const result = await run({
      COFFER_LISTEN: '127.0.0.1:0',
      COFFER_DATABASE_URL: join(work, 'coffer.sqlite'),
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('Coffer server failed to start: config_invalid:');
    expect(result.output).toContain('nobody could sign in');
    expect(result.output).toContain('COFFER_IDENTITY_PROVIDERS');
    expect(result.output).toContain('COFFER_DEV_IDP=true');
    expect(result.output).not.toContain('listening on');
  }, 60_000);

  it.each(['0.0.0.0/0', '::/0', '10.0.0.0/33'])(
    'refuses COFFER_TRUSTED_PROXIES=%s with config_invalid naming the setting',
    async (value) => {
      const result = await run({
        COFFER_LISTEN: '127.0.0.1:0',
        COFFER_DATABASE_URL: join(work, 'coffer.sqlite'),
        COFFER_DEV_IDP: 'true',
        COFFER_TRUSTED_PROXIES: value,
      });
      expect(result.code).toBe(1);
      expect(result.output).toContain(
        'Coffer server failed to start: config_invalid: Invalid configuration: ' +
          'trustedProxies[0] (from COFFER_TRUSTED_PROXIES): ',
      );
      expect(result.output).not.toContain('TypeError');
    },
    60_000,
  );

  it('exits non-zero with the setting to change when a port is taken', async () => {
    const taken = await occupiedPort();
    try {
      const result = await run({
        COFFER_LISTEN: '127.0.0.1:0',
        COFFER_DATABASE_URL: join(work, 'coffer.sqlite'),
        COFFER_DEV_IDP: String(taken.port),
        COFFER_LOG_LEVEL: 'silent',
      });
      expect(result.code).toBe(1);
      expect(result.output).toContain(
        `Coffer server failed to start: config_invalid: port ${taken.port} for the ` +
          'development identity provider is in use',
      );
      expect(result.output).toContain('set COFFER_DEV_IDP=<port>');
    } finally {
      await taken.release();
    }
  }, 60_000);
});
