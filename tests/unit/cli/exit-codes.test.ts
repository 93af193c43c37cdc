import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor } from '../../../cli/exit-codes.ts';
import { main } from '../../../cli/main.ts';
import { captureIo } from './support/capture-io.ts';

describe('exit codes', () => {
  it('gives every kind of outcome its own number', () => {
    const values = Object.values(EXIT);
    expect(new Set(values).size).toBe(values.length);
  });

  it('distinguishes each access refusal, and network from authentication failures (RL-03)', () => {
    const codes = [
      'device_revoked',
      'device_expired',
      'ip_not_allowed',
      'application_disabled',
      'read_only_grant',
      'redemption_failed',
      'bad_signature',
      'server_unreachable',
      'cache_expired',
      'response_invalid',
      'not_found',
      'cli_usage',
      'revision_conflict',
      'record_rollback',
      'rate_limited',
    ] as const;
    const exits = codes.map(exitCodeFor);
    expect(new Set(exits).size).toBe(codes.length);
    expect(exits).not.toContain(EXIT.unexpected);
  });

  it('are documented, each one, in the table of cli/README.md', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../cli/README.md'), 'utf8');
    const table = new Map(
      [...readme.matchAll(/^\| (\d+) +\| `([a-zA-Z]+)` +\|/gm)].map((m) => [m[2], Number(m[1])]),
    );
    expect(Object.fromEntries(table)).toEqual(EXIT);
  });

  it('answers a missing profile with "not found" and says what to run', async () => {
    const { io, lines } = captureIo({ HOME: '/nonexistent-coffer-home' });
    expect(await main(['list'], io)).toBe(EXIT.notFound);
    expect(lines.err.join('\n')).toMatch(/coffer init --profile default/);
  });

  it('answers no command and an unknown command with the usage code', async () => {
    expect(await main([], captureIo().io)).toBe(EXIT.usage);
    expect(await main(['frobnicate'], captureIo().io)).toBe(EXIT.usage);
    expect(await main(['help'], captureIo().io)).toBe(EXIT.ok);
  });
});
