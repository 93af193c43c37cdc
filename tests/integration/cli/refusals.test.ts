import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/exit-codes.ts';
import { buildCli, runCli, tempHome } from './support/cli.ts';
import { buildWorld, freshApp, mintFor, mintToken, type World } from './support/world.ts';

let bin: string;
let world: World;

beforeAll(async () => {
  [bin, world] = await Promise.all([buildCli(), buildWorld()]);
}, 120_000);

afterAll(async () => {
  await world?.h.close();
});

function cacheFiles(env: { XDG_CONFIG_HOME: string }): string[] {
  const dir = join(env.XDG_CONFIG_HOME, 'coffer', 'cache');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.cache')) : [];
}

describe('coffer init refusals', () => {
  it('catches a mistyped token before it is spent', async () => {
    const env = tempHome();
    const token = await mintToken(world);
    const at = 'coffer_dt_'.length + 5;
    const typo = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    const bad = await runCli(bin, ['init'], { env, input: typo });
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/mistyped/);
    expect(existsSync(join(env.XDG_CONFIG_HOME, 'coffer', 'profiles', 'default.json'))).toBe(false);
    const good = await runCli(bin, ['init'], { env, input: token });
    expect(good.code).toBe(0);
  });

  it('refuses a bad profile name before reading the token', async () => {
    const result = await runCli(bin, ['init', '--profile', '../x'], { env: tempHome(), input: '' });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/profile name/);
  });

  it('refuses to overwrite a profile that holds another device', async () => {
    const env = tempHome();
    expect((await runCli(bin, ['init'], { env, input: await mintToken(world) })).code).toBe(0);
    const second = await runCli(bin, ['init'], { env, input: await mintToken(world) });
    expect(second.code).toBe(EXIT.conflict);
    expect(second.stderr).toMatch(/already set up/);
  });

  it('warns when the token is an argument, and prints a CI configuration on request', async () => {
    const env = tempHome();
    const token = await mintToken(world);
    const printed = await runCli(bin, ['init', '--print-config', token], { env });
    expect(printed.code).toBe(0);
    expect(printed.stderr).toMatch(/shell history/);
    expect(printed.stderr).toMatch(/credential/);
    expect(existsSync(join(env.XDG_CONFIG_HOME, 'coffer', 'profiles', 'default.json'))).toBe(false);
    const fresh = { ...tempHome(), COFFER_CONFIG: printed.stdout.trim() };
    const get = await runCli(bin, ['get', world.ids.postgres, '--field', 'username'], {
      env: fresh,
    });
    expect(get.stdout).toBe('alice\n');
  });
});

describe('access refusals name their reason with distinct exit codes (DT-07)', () => {
  it('refuses a first-use-locked device calling from 127.0.0.2', async () => {
    const env = tempHome();
    expect((await runCli(bin, ['init'], { env, input: await mintToken(world) })).code).toBe(0);
    const other = await runCli(bin, ['list', '--local-address', '127.0.0.2'], { env });
    expect(other.code).toBe(EXIT.ipNotAllowed);
    expect(other.stderr).toMatch(/from an address its IP rule allows/);
    // Nothing in the product changes a device's IP rule: a new token is the way.
    expect(other.stderr).toMatch(/issue a new device token whose IP rule allows this address/);
    expect(other.stderr).not.toMatch(/change the rule/);
    expect((await runCli(bin, ['list'], { env })).code).toBe(0);
  });

  it('honours a CIDR rule', async () => {
    const env = tempHome();
    const token = await mintToken(world, { ipRule: { type: 'cidr', allow: ['127.0.0.2/32'] } });
    const init = await runCli(bin, ['init', '--local-address', '127.0.0.2'], { env, input: token });
    expect(init.code).toBe(0);
    expect((await runCli(bin, ['list', '--local-address', '127.0.0.2'], { env })).code).toBe(0);
    expect((await runCli(bin, ['list'], { env })).code).toBe(EXIT.ipNotAllowed);
  });

  it('reports a revoked device and wipes its offline cache', async () => {
    const env = tempHome();
    const app = await freshApp(world, 'Revoked app');
    const { token, deviceId } = await mintFor(world, app);
    expect((await runCli(bin, ['init'], { env, input: token })).code).toBe(0);
    expect((await runCli(bin, ['list'], { env })).code).toBe(0);
    expect(cacheFiles(env)).toHaveLength(1);
    const revoke = await world.manager.api('POST', `/api/v1/devices/${deviceId}/revoke`);
    expect(revoke.status).toBe(200);
    const after = await runCli(bin, ['list'], { env });
    expect(after.code).toBe(EXIT.revoked);
    expect(after.stderr).toMatch(/ask a manager for a new device token/);
    expect(cacheFiles(env)).toHaveLength(0);
  });

  it('refuses a device known revoked before reading a cache copied back', async () => {
    const env = tempHome();
    const app = await freshApp(world, 'Revoked offline app');
    const { token, deviceId } = await mintFor(world, app);
    expect((await runCli(bin, ['init'], { env, input: token })).code).toBe(0);
    const getPassword = (run: Record<string, string>) =>
      runCli(bin, ['get', world.ids.postgres, '--field', 'password'], { env: run });
    expect((await getPassword(env)).stdout).toBe(`${world.password}\n`);
    const [file] = cacheFiles(env);
    const path = join(env.XDG_CONFIG_HOME, 'coffer', 'cache', file as string);
    const saved = readFileSync(path);
    const revoke = await world.manager.api('POST', `/api/v1/devices/${deviceId}/revoke`);
    expect(revoke.status).toBe(200);
    const online = await getPassword(env);
    expect(online.code).toBe(EXIT.revoked);
    expect(cacheFiles(env)).toHaveLength(0);

    writeFileSync(path, saved, { mode: 0o600 });
    const offline = await getPassword({ ...env, COFFER_SERVER: 'http://127.0.0.1:1' });
    expect(offline.code).toBe(EXIT.revoked);
    expect(offline.stdout).toBe('');
    expect(offline.stderr).toBe(online.stderr);
    expect(offline.stderr).toMatch(/This device has been revoked/);
    // Refused before the cache was read, and the copy is gone again.
    expect(cacheFiles(env)).toHaveLength(0);
    writeFileSync(path, saved, { mode: 0o600 });
    const status = await runCli(bin, ['status'], {
      env: { ...env, COFFER_SERVER: 'http://127.0.0.1:1' },
    });
    expect(status.code).toBe(EXIT.revoked);
    expect(status.stdout).toBe('');
  });

  it(
    'erases the keys of a revoked profile: an ' + 'edited profile cannot open a copied-back cache',
    async () => {
      const env = tempHome();
      const app = await freshApp(world, 'Revoked erased app');
      const { token, deviceId } = await mintFor(world, app);
      expect((await runCli(bin, ['init'], { env, input: token })).code).toBe(0);
      const getPassword = (run: Record<string, string>) =>
        runCli(bin, ['get', world.ids.postgres, '--field', 'password'], { env: run });
      expect((await getPassword(env)).stdout).toBe(`${world.password}\n`);
      const profilePath = join(env.XDG_CONFIG_HOME, 'coffer', 'profiles', 'default.json');
      const before = JSON.parse(readFileSync(profilePath, 'utf8')) as {
        profile: Record<string, string | Record<string, string>>;
      };
      const secrets = [
        before.profile.appKey,
        (before.profile.signing as Record<string, string>).privateKey,
        (before.profile.encryption as Record<string, string>).privateKey,
      ] as string[];
      const cachePath = join(env.XDG_CONFIG_HOME, 'coffer', 'cache', `${deviceId}.cache`);
      const saved = readFileSync(cachePath);
      expect((await world.manager.api('POST', `/api/v1/devices/${deviceId}/revoke`)).status).toBe(
        200,
      );
      expect((await getPassword(env)).code).toBe(EXIT.revoked);

      // Only the tombstone is left: which device, where, when; not one byte of a key.
      const text = readFileSync(profilePath, 'utf8');
      for (const secret of secrets) expect(text).not.toContain(secret);
      const tombstone = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(tombstone).sort()).toEqual(
        ['appName', 'deviceId', 'format', 'origin', 'revokedAt', 'state', 'version'].sort(),
      );
      expect(tombstone).toMatchObject({
        state: 'revoked',
        deviceId,
        origin: before.profile.origin,
      });
      expect(statSync(profilePath).mode & 0o777).toBe(0o600);

      // The cache copied back and the revoked mark edited away: nothing can open the cache.
      writeFileSync(cachePath, saved, { mode: 0o600 });
      const edited: Record<string, unknown> = { ...tombstone, state: 'active' };
      delete edited.revokedAt;
      writeFileSync(profilePath, JSON.stringify(edited), { mode: 0o600 });
      const offline = await getPassword({ ...env, COFFER_SERVER: 'http://127.0.0.1:1' });
      expect(offline.code).not.toBe(0);
      expect(offline.stdout).toBe('');
      expect(offline.stderr).not.toContain(world.password);
      expect(offline.stderr).toMatch(/what is left of a revoked device: its keys were erased/);
    },
  );

  it('refuses a revoked COFFER_CONFIG device, recorded beside its cache, offline too', async () => {
    const home = tempHome();
    const app = await freshApp(world, 'Revoked CI app');
    const { token, deviceId } = await mintFor(world, app);
    const printed = await runCli(bin, ['init', '--print-config'], { env: home, input: token });
    expect(printed.code).toBe(0);
    const env = { ...home, COFFER_CONFIG: printed.stdout.trim() };
    const getPassword = (run: Record<string, string>) =>
      runCli(bin, ['get', world.ids.postgres, '--field', 'password'], { env: run });
    expect((await getPassword(env)).stdout).toBe(`${world.password}\n`);
    const cacheDir = join(env.XDG_CONFIG_HOME, 'coffer', 'cache');
    const saved = readFileSync(join(cacheDir, `${deviceId}.cache`));
    expect((await world.manager.api('POST', `/api/v1/devices/${deviceId}/revoke`)).status).toBe(
      200,
    );
    expect((await getPassword(env)).code).toBe(EXIT.revoked);
    expect(cacheFiles(env)).toHaveLength(0);
    const mark = join(cacheDir, `${deviceId}.revoked`);
    expect(JSON.parse(readFileSync(mark, 'utf8'))).toMatchObject({ state: 'revoked', deviceId });

    writeFileSync(join(cacheDir, `${deviceId}.cache`), saved, { mode: 0o600 });
    const offline = await getPassword({ ...env, COFFER_SERVER: 'http://127.0.0.1:1' });
    expect(offline.code).toBe(EXIT.revoked);
    expect(offline.stdout).toBe('');
    expect(offline.stderr).toMatch(/This device has been revoked/);
    expect(cacheFiles(env)).toHaveLength(0);
  });

  it('reports expired access', async () => {
    const env = tempHome();
    const now = Math.floor(Date.now() / 1000);
    const token = await mintToken(world, { accessExpiry: now + 3 });
    expect((await runCli(bin, ['init'], { env, input: token })).code).toBe(0);
    world.h.clock.offsetMs = 10_000;
    try {
      const result = await runCli(bin, ['list'], { env });
      expect(result.code).toBe(EXIT.expired);
      expect(result.stderr).toMatch(/ask a manager for a new device token .* "coffer init/);
    } finally {
      world.h.clock.offsetMs = 0;
    }
  });

  it('reports a disabled application', async () => {
    const env = tempHome();
    const app = await freshApp(world, 'Disabled app');
    const { token } = await mintFor(world, app);
    expect((await runCli(bin, ['init'], { env, input: token })).code).toBe(0);
    await world.manager.api('PUT', `/api/v1/apps/${app.id}`, { disabled: true });
    const result = await runCli(bin, ['get', world.ids.login], { env });
    expect(result.code).toBe(EXIT.applicationDisabled);
    expect(result.stderr).toMatch(/ask a manager to re-enable the application/);
  });

  it('reports a stale clock as an authentication failure, not a network one', async () => {
    const env = tempHome();
    expect((await runCli(bin, ['init'], { env, input: await mintToken(world) })).code).toBe(0);
    world.h.clock.offsetMs = 10 * 60_000;
    try {
      const result = await runCli(bin, ['list'], { env });
      expect(result.code).toBe(EXIT.unauthenticated);
    } finally {
      world.h.clock.offsetMs = 0;
    }
  });

  it('refuses set under a read-only grant', async () => {
    const env = tempHome();
    expect((await runCli(bin, ['init'], { env, input: await mintToken(world) })).code).toBe(0);
    const result = await runCli(bin, ['set', world.ids.login, 'password=-'], {
      env,
      input: 'new-secret',
    });
    expect(result.code).toBe(EXIT.readOnly);
    expect(result.stderr).not.toContain('new-secret');
  });
});

describe('references', () => {
  it('resolve escapes, folder paths, indexes and report missing or ambiguous ones', async () => {
    const env = tempHome();
    expect((await runCli(bin, ['init'], { env, input: await mintToken(world) })).code).toBe(0);
    const get = (ref: string) => runCli(bin, ['get', ref], { env });
    expect((await get('coffer://Production/a%2Fb%20c/notes')).stdout).toBe('slash note\n');
    expect((await get(`coffer://${world.ids.login}/field/urls[0]`)).stdout).toBe(
      'https://mail.example.com\n',
    );
    const pastEnd = await get(`coffer://${world.ids.login}/field/urls[5]`);
    expect(pastEnd.code).toBe(EXIT.notFound);
    const missing = await get('coffer://Production/db/Postgres%20main/field/pin');
    expect(missing.code).toBe(EXIT.notFound);
    expect(missing.stderr).toMatch(/no field "pin"; its fields are/);
    expect(missing.stderr).not.toContain(world.password);
    const noFolder = await get('coffer://Nowhere/Postgres%20main/field/password');
    expect(noFolder.code).toBe(EXIT.notFound);
    const twin = await get('coffer://Production/Twin/notes');
    expect(twin.code).toBe(EXIT.notFound);
    expect(twin.stderr).toMatch(/2 records are called/);
    const malformed = await get('coffer://Production/Mail/field');
    expect(malformed.code).toBe(EXIT.usage);
    const code = await get(`coffer://${world.ids.otp}/field/uri[code]`);
    expect(code.stdout).toMatch(/^\d{6}\n$/);
  });
});
