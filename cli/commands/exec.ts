import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { CofferError } from '../../shared/errors.ts';
import { looksLikeReference } from '../../shared/notation/index.ts';
import { flagSet, parseArgs } from '../args.ts';
import { openClient } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { Masker } from '../masker.ts';

/** Signals a supervisor sends that the child should receive (Ctrl+C, `kill`, CI cancel). */
const FORWARDED: readonly NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
];

function pipeMasked(source: Readable | null, target: Writable, masker: Masker): Promise<void> {
  return new Promise((resolve) => {
    if (source === null) return resolve();
    source.on('data', (chunk: Buffer) => {
      const out = masker.push(chunk);
      if (out.length > 0) target.write(out);
    });
    source.on('end', () => {
      const rest = masker.end();
      if (rest.length > 0) target.write(rest);
      resolve();
    });
    source.on('error', () => resolve());
  });
}

/**
 * `coffer exec [--mask] [--] cmd args…`: every environment variable whose whole value is a
 * coffer:// reference is replaced by the value it names (one fetch for all of them), then `cmd`
 * runs with that environment — no shell, so nothing is re-parsed. Its exit code is ours; a
 * signal that ends it ends us the same way, so a supervisor sees what really happened.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: { mask: 'boolean' }, stopAtOperand: true });
  const [command, ...commandArgs] = args.rest;
  if (command === undefined) {
    throw new CofferError('cli_usage', 'coffer exec needs a command: coffer exec -- CMD [ARGS…].');
  }
  const env: Record<string, string> = {};
  const names: string[] = [];
  const references: string[] = [];
  for (const [name, value] of Object.entries(io.env)) {
    if (value === undefined) continue;
    env[name] = value;
    if (looksLikeReference(value)) {
      names.push(name);
      references.push(value);
    }
  }
  // The child gets secrets only through the references it asked for, never the credential.
  delete env.COFFER_CONFIG;
  delete env.COFFER_TOKEN;
  let values: string[] = [];
  if (references.length > 0) {
    const { client } = await openClient(args, io);
    try {
      values = (await client.resolveMany(references)).map((resolved) => resolved.value);
    } catch (error) {
      if (error instanceof CofferError && names.length > 0) {
        throw new CofferError(
          error.code,
          `${error.message} (while resolving ${names.join(', ')})`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
    names.forEach((name, i) => {
      env[name] = values[i] as string;
    });
  }
  const masker = new Masker(flagSet(args, 'mask') ? values : []);
  const masked = masker.active;
  const child = spawn(command, commandArgs, {
    env,
    stdio: masked ? ['inherit', 'pipe', 'pipe'] : 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
  };
  const handlers = FORWARDED.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  const piping = masked
    ? Promise.all([
        pipeMasked(child.stdout, process.stdout, new Masker(values)),
        pipeMasked(child.stderr, process.stderr, new Masker(values)),
      ])
    : Promise.resolve();
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal }));
    },
  ).catch((error: NodeJS.ErrnoException) => {
    const missing = error.code === 'ENOENT';
    io.error(
      missing
        ? `Command ${JSON.stringify(command)} was not found on PATH.`
        : `Command ${JSON.stringify(command)} could not start (${error.code ?? 'error'}).`,
    );
    return { code: missing ? 127 : 126, signal: null };
  });
  await piping;
  for (const [signal, handler] of handlers) process.off(signal, handler);
  if (outcome.signal !== null) {
    // Die of the same signal; if it is ignored or caught, fall back to the shell convention.
    process.kill(process.pid, outcome.signal);
    return 128 + (constants.signals[outcome.signal] ?? 0);
  }
  return outcome.code ?? EXIT.unexpected;
}
