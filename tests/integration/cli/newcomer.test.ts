import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/exit-codes.ts';
import { buildCli, runCli, tempHome } from './support/cli.ts';
import { buildWorld, freshApp, mintFor, mintToken, type World } from './support/world.ts';

/** Issue #5's rough edges, as a newcomer meets them: the real CLI in child processes. */

let bin: string;
let world: World;

beforeAll(async () => {
  [bin, world] = await Promise.all([buildCli(), buildWorld()]);
}, 120_000);

afterAll(async () => {
  await world?.h.close();
});

interface ProfileRow {
  name: string;
  current: boolean;
  state: string;
}

async function profiles(env: Record<string, string>): Promise<ProfileRow[]> {
  const listed = await runCli(bin, ['profile', 'list', '--json'], { env });
  expect(listed.code).toBe(0);
  return (JSON.parse(listed.stdout) as ProfileRow[]).map(({ name, current, state }) => ({
    name,
    current,
    state,
  }));
}

describe('help and option order', () => {
  it("prints a command's usage for --help and -h and exits 0, without a profile", async () => {
    const env = tempHome();
    for (const argv of [
      ['get', '--help'],
      ['exec', '-h'],
      ['profile', '--help'],
    ]) {
      const result = await runCli(bin, argv, { env });
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: coffer ${argv[0]}`));
      expect(result.stderr).toBe('');
    }
    const get = await runCli(bin, ['get', '--help'], { env });
    expect(get.stdout).toMatch(/print SECRET VALUES/);
  });

  it('takes global options before the command as well as after it', async () => {
    const env = tempHome();
    const init = await runCli(bin, ['--profile', 'ci', 'init'], {
      env,
      input: await mintToken(world),
    });
    expect(init.code).toBe(0);
    const args = [world.ids.postgres, '--field', 'username'];
    const before = await runCli(bin, ['--no-cache', '--profile', 'ci', 'get', ...args], { env });
    expect(before.code).toBe(0);
    expect(before.stdout).toBe('alice\n');
    const after = await runCli(bin, ['get', ...args, '--no-cache', '--profile=ci'], { env });
    expect(after.stdout).toBe('alice\n');
  });
});

describe('init says which profile commands use', () => {
  it('makes a first profile current and says how to select a second one', async () => {
    const env = tempHome();
    const first = await runCli(bin, ['init', '--profile', 'ci'], {
      env,
      input: await mintToken(world),
    });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/It is the current profile \(profile "default" does not exist\)/);
    // No --profile needed any more.
    expect((await runCli(bin, ['list'], { env })).code).toBe(0);
    const second = await runCli(bin, ['init', '--profile', 'staging', '--json'], {
      env,
      input: await mintToken(world),
    });
    expect(JSON.parse(second.stdout)).toMatchObject({ profile: 'staging', current: false });
    const third = await runCli(bin, ['init', '--profile', 'other'], {
      env,
      input: await mintToken(world),
    });
    expect(third.stdout).toMatch(/The current profile is still "ci"/);
    expect(third.stdout).toMatch(/--profile other or COFFER_PROFILE=other/);
    expect(third.stdout).toMatch(/coffer profile use other/);
    expect(await profiles(env)).toEqual([
      { name: 'ci', current: true, state: 'active' },
      { name: 'other', current: false, state: 'active' },
      { name: 'staging', current: false, state: 'active' },
    ]);
  });
});

describe('a damaged current-profile file', () => {
  it('is named by the commands, and init replaces it once the token is spent', async () => {
    const env = tempHome();
    const current = join(env.XDG_CONFIG_HOME, 'coffer', 'current');
    mkdirSync(join(env.XDG_CONFIG_HOME, 'coffer'), { recursive: true, mode: 0o700 });
    writeFileSync(current, 'ci profile\n');
    const list = await runCli(bin, ['list'], { env });
    expect(list.code).toBe(EXIT.usage);
    expect(list.stderr).toContain(`${current} should hold the name of the current profile`);
    const init = await runCli(bin, ['init', '--profile', 'ci'], {
      env,
      input: await mintToken(world),
    });
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/It is the current profile/);
    expect(readFileSync(current, 'utf8')).toBe('ci\n');
    expect((await runCli(bin, ['list'], { env })).code).toBe(0);
  });
});

describe('a revoked device', () => {
  it(
    'says what to do, is listed as revoked, ' + 'and a new profile replaces it as current',
    async () => {
      const env = tempHome();
      const app = await freshApp(world, 'Newcomer revoked app');
      const { token, deviceId } = await mintFor(world, app);
      expect((await runCli(bin, ['init', '--profile', 'ci'], { env, input: token })).code).toBe(0);
      const revoke = await world.manager.api('POST', `/api/v1/devices/${deviceId}/revoke`);
      expect(revoke.status).toBe(200);

      const refused = await runCli(bin, ['list'], { env });
      expect(refused.code).toBe(EXIT.revoked);
      expect(refused.stderr).toMatch(/revoked/);
      expect(refused.stderr).toMatch(/ask a manager for a new device token/);
      expect(refused.stderr).toMatch(/coffer init --profile NAME/);

      const path = join(env.XDG_CONFIG_HOME, 'coffer', 'profiles', 'ci.json');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(await profiles(env)).toEqual([{ name: 'ci', current: true, state: 'revoked' }]);
      const table = await runCli(bin, ['profile', 'list'], { env });
      expect(table.stdout).toMatch(/^\s*\*\s+ci\s+revoked\s/m);
      expect(table.stdout).toMatch(/cannot be used again/);

      const again = await runCli(bin, ['init', '--profile', 'ci'], {
        env,
        input: await mintToken(world),
      });
      expect(again.code).toBe(EXIT.conflict);
      expect(again.stderr).toMatch(/already set up for a revoked device/);

      const renewed = await runCli(bin, ['init', '--profile', 'ci2'], {
        env,
        input: await mintToken(world),
      });
      expect(renewed.code).toBe(0);
      expect(renewed.stdout).toMatch(/current profile \(profile "ci" holds a revoked device\)/);
      expect((await runCli(bin, ['list'], { env })).code).toBe(0);
      expect(await profiles(env)).toEqual([
        { name: 'ci', current: false, state: 'revoked' },
        { name: 'ci2', current: true, state: 'active' },
      ]);
    },
  );
});
