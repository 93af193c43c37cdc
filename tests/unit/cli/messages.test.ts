import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withNextStep } from '../../../cli/advice.ts';
import { EXIT } from '../../../cli/exit-codes.ts';
import { main } from '../../../cli/main.ts';
import { CofferError } from '../../../shared/errors.ts';
import { captureIo } from './support/capture-io.ts';

/** Refusals a newcomer met (issue #5): each says what is wrong, where, and what can be done. */

async function run(argv: string[], env: Record<string, string> = {}) {
  const { io, lines } = captureIo({ HOME: '/nonexistent-coffer-home', ...env });
  const code = await main(argv, io);
  return { code, err: lines.err.join('\n'), out: lines.out.join('\n') };
}

describe('option values', () => {
  it('calls a negative duration an invalid value and says which forms are accepted', async () => {
    for (const argv of [
      ['get', 'Production/Mail', '--cache-max-age', '-5d'],
      ['--cache-max-age', '-5d', 'get', 'Production/Mail'],
      ['get', 'Production/Mail', '--cache-max-age=-5d'],
      ['list', '--timeout', '-1'],
    ]) {
      const { code, err } = await run(argv);
      expect(code, argv.join(' ')).toBe(EXIT.usage);
      expect(err).toMatch(/Invalid value "-\d+d?" for --(cache-max-age|timeout)/);
      expect(err).toMatch(/90s, 15m, 12h, 7d/);
      expect(err).not.toMatch(/needs a value/);
    }
  });

  it('still says an option needs a value when the next argument is another option', async () => {
    const { code, err } = await run(['list', '--cache-max-age', '--json']);
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(/--cache-max-age needs a value/);
  });
});

describe('the current-profile file', () => {
  function home(current: string | undefined) {
    const root = mkdtempSync(join(tmpdir(), 'coffer-current-'));
    mkdirSync(join(root, 'coffer'), { mode: 0o700 });
    if (current !== undefined) writeFileSync(join(root, 'coffer', 'current'), current);
    return { XDG_CONFIG_HOME: root, path: join(root, 'coffer', 'current') };
  }

  it('is named when it does not hold a profile name, without echoing what it holds', async () => {
    const { path, ...env } = home('../../etc/passwd\n');
    const { code, err } = await run(['list'], env);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain(path);
    expect(err).toMatch(/not a profile name.*coffer profile use NAME/);
    expect(err).not.toContain('passwd');
  });

  it('is named when it cannot be read', async () => {
    const { path, ...env } = home(undefined);
    mkdirSync(path);
    const { code, err } = await run(['list'], env);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain(`${path} cannot be read (EISDIR)`);
  });

  it('does not stop "profile list", which says what is wrong with it', async () => {
    const { path, ...env } = home('not a name\n');
    mkdirSync(join(env.XDG_CONFIG_HOME, 'coffer', 'profiles'), { mode: 0o700 });
    const { code, out } = await run(['profile', 'list'], env);
    expect(code).toBe(EXIT.ok);
    expect(out).toContain(path);
  });
});

describe('references', () => {
  it('list only the selectors a device can use when the selector is unknown', async () => {
    const { code, err } = await run(['get', 'coffer://Production/Mail/feild/password']);
    expect(code).toBe(EXIT.usage);
    expect(err).toMatch(/unknown selector "feild"; expected field, custom, title, type, notes/);
    expect(err).not.toMatch(/\bfile\b/);
  });
});

describe('next steps after a refusal', () => {
  const refusal = (code: 'ip_not_allowed' | 'device_expired' | 'device_revoked', text: string) =>
    withNextStep(new CofferError(code, text));

  it('send a disallowed address to a new device token, not to a rule nobody can change', () => {
    const text = refusal('ip_not_allowed', 'This device may not be used from this address');
    expect(text).toMatch(/a manager .*issue a new device token whose IP rule allows this address/);
    expect(text).toMatch(/coffer init --profile NAME/);
    expect(text).not.toMatch(/change the rule/);
  });

  it('say what an unverified signature can mean now that unknown devices answer the same', () => {
    const text = withNextStep(
      new CofferError(
        'bad_signature',
        'The request signature does not verify: this server does not know the device, or knows ' +
          'it with another key.',
      ),
    );
    expect(text).toMatch(/COFFER_SERVER/);
    expect(text).toMatch(/If the server does not know this device .*ask a manager for a new/);
  });

  it('name the way to a new token as the app shows it', () => {
    for (const code of ['ip_not_allowed', 'device_expired', 'device_revoked'] as const) {
      expect(refusal(code, 'Refused')).toContain(
        'Coffer app → Applications → the application → Add device',
      );
    }
  });
});
