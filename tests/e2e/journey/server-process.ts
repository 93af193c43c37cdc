import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '../fixtures.ts';

const root = resolve(import.meta.dirname, '../../..');
const SERVER_MAIN = resolve(root, 'dist/server/main.js');
const NPM_START = resolve(root, 'scripts/start.mjs');

/**
 * The built server as an operator runs it (`node dist/server/main.js`, configured by env), or
 * the whole embedded default as a newcomer starts it (`npm start`, i.e. `scripts/start.mjs`).
 */
export interface ServerProcess {
  readonly url: string;
  /** The development provider's demo user, as the server printed it at start. */
  readonly email: string;
  readonly idpPassword: string;
  /** Everything the process wrote to stdout and stderr. */
  readonly logFile: string;
  /** Everything printed so far. */
  output(): string;
  /**
   * Stops it as its user would — SIGTERM for the server, Ctrl+C (SIGINT) for `npm start` — and
   * resolves with the exit code once the process has exited; safe to call twice.
   */
  stop(): Promise<number | null>;
}

export type ServerProcessOptions =
  | {
      /** A SQLite path or a postgres:// URL (COFFER_DATABASE_URL). */
      readonly database: string;
      readonly logFile: string;
    }
  | {
      /** `npm start` with its local data folder (COFFER_DATA_DIR). */
      readonly npmStartDataDir: string;
      readonly logFile: string;
      /**
       * The server's and the provider's ports; a restart keeps them, as `npm start`'s fixed
       * defaults do, because the provider's address is its issuer and so part of the account.
       */
      readonly ports: { readonly server: number; readonly provider: number };
    };

const STARTUP_MS = 30_000;
// `npm start` builds first when a source is newer than the build.
const NPM_START_STARTUP_MS = 180_000;
const SHUTDOWN_MS = 10_000;

function field(output: string, label: string): string | undefined {
  return new RegExp(`^\\s*${label}:\\s*(\\S+)\\s*$`, 'm').exec(output)?.[1];
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/**
 * Starts the server with the development identity provider, both on free loopback ports (the
 * server's port is fixed up front because the provider registers its origin as redirect URI),
 * at the `info` level a production server logs at, with its output copied to `logFile`.
 * Resolves once the server has printed its address and the demo user's credentials.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const npmStart = 'npmStartDataDir' in options;
  const port = npmStart ? options.ports.server : await freePort();
  const providerPort = npmStart ? options.ports.provider : await freePort();
  const child = spawn(process.execPath, [npmStart ? NPM_START : SERVER_MAIN], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      COFFER_LISTEN: `127.0.0.1:${port}`,
      COFFER_DEV_IDP: String(providerPort),
      COFFER_LOG_LEVEL: 'info',
      ...(npmStart
        ? { COFFER_DATA_DIR: options.npmStartDataDir }
        : { COFFER_DATABASE_URL: options.database }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(options.logFile);
  const logClosed = new Promise<void>((done) => log.once('close', () => done()));
  let output = '';
  const outputs = [child.stdout, child.stderr].map(
    (stream) =>
      new Promise<void>((done) => {
        stream.on('data', (chunk: Buffer) => {
          log.write(chunk);
          output += chunk.toString('utf8');
        });
        stream.once('end', () => done());
      }),
  );
  void Promise.all(outputs).then(() => log.end());

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(npmStart ? 'SIGINT' : 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_MS);
      await exited(child);
      clearTimeout(timer);
    }
    await logClosed;
    return child.exitCode;
  };

  try {
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(
        () => fail(new Error('the server did not start in time')),
        npmStart ? NPM_START_STARTUP_MS : STARTUP_MS,
      );
      const check = () => {
        if (field(output, 'Password') === undefined) return;
        clearTimeout(timer);
        ready();
      };
      child.stdout.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`the server exited at start (${code ?? signal}): ${output.slice(-2000)}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const url = /Coffer server listening on (\S+)/.exec(output)?.[1];
  const email = field(output, 'Demo user');
  const idpPassword = field(output, 'Password');
  if (url !== `http://127.0.0.1:${port}` || !email || !idpPassword) {
    await stop();
    throw new Error(`unexpected start-up output: ${output.slice(0, 2000)}`);
  }
  return { url, email, idpPassword, logFile: options.logFile, output: () => output, stop };
}
