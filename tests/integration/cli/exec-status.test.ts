import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/exit-codes.ts';
import { MASK_TEXT } from '../../../cli/masker.ts';
import { buildCli, runCli, tempHome } from './support/cli.ts';
import { buildWorld, mintToken, type World } from './support/world.ts';

let bin: string;
let world: World;
let env: Record<string, string>;

beforeAll(async () => {
  [bin, world] = await Promise.all([buildCli(), buildWorld()]);
  env = tempHome();
  const init = await runCli(bin, ['init', '--profile', 'ci'], {
    env,
    input: await mintToken(world),
  });
  expect(init.code).toBe(0);
  env.COFFER_PROFILE = 'ci';
}, 120_000);

afterAll(async () => {
  await world?.h.close();
});

const node = (script: string) => ['exec', '--', process.execPath, '-e', script];

describe('coffer exec', () => {
  it('masks resolved values in the child output, even split across writes', async () => {
    const script =
      'const p = process.env.DB_PASSWORD; process.stdout.write("a " + p.slice(0, 5));' +
      'setTimeout(() => { process.stdout.write(p.slice(5) + " b\\n"); console.error(p); }, 50);';
    const result = await runCli(bin, ['exec', '--mask', '--', process.execPath, '-e', script], {
      env: { ...env, DB_PASSWORD: `coffer://${world.ids.postgres}/field/password` },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`a ${MASK_TEXT} b\n`);
    expect(result.stderr).toBe(`${MASK_TEXT}\n`);
  });

  it('ends the way the child ended: by its signal', async () => {
    const result = await runCli(bin, node('process.kill(process.pid, "SIGTERM")'), { env });
    expect(result.signal).toBe('SIGTERM');
  });

  it('forwards a signal it receives to the child', async () => {
    const script =
      'process.on("SIGTERM", () => { process.stdout.write("got it"); process.exit(3); });' +
      'process.stdout.write("ready\\n"); setInterval(() => {}, 1000);';
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, ...node(script)], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out === 'ready\n') child.kill('SIGTERM');
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(out).toBe('ready\ngot it');
    expect(code).toBe(3);
  });

  it(
    'never starts the child when a reference ' + 'fails, and hides the credential from it',
    async () => {
      const missing = await runCli(bin, node('process.stdout.write("ran")'), {
        env: { ...env, TOKEN: `coffer://${world.ids.postgres}/field/nope` },
      });
      expect(missing.code).toBe(EXIT.notFound);
      expect(missing.stdout).toBe('');
      expect(missing.stderr).toMatch(/while resolving TOKEN/);
      const leak = await runCli(
        bin,
        node('process.stdout.write(String(process.env.COFFER_CONFIG))'),
        {
          env: { ...env, COFFER_CONFIG: 'not-a-real-config' },
        },
      );
      expect(leak.stdout).toBe('undefined');
      const absent = await runCli(bin, ['exec', '--', 'coffer-no-such-command'], { env });
      expect(absent.code).toBe(127);
    },
  );
});

describe('coffer status, totp and profiles', () => {
  it('shows server, application, device, expiry and cache age', async () => {
    await runCli(bin, ['list'], { env });
    const status = await runCli(bin, ['status', '--json'], { env });
    expect(status.code).toBe(0);
    const body = JSON.parse(status.stdout);
    expect(body.appName).toBe('GitHub Actions');
    expect(body.server).toBe(world.h.server.url);
    expect(body.accessExpiry).toBeNull();
    expect(typeof body.cacheAgeSeconds).toBe('number');
    const text = await runCli(bin, ['status'], { env });
    expect(text.stdout).toMatch(/application\s+GitHub Actions/);
    expect(text.stdout).toMatch(/IP rule\s+first use \(bound to 127\.0\.0\.1\)/);
    // Folder names are ciphertext on the server: shown from the decrypted cache, not as ids.
    expect(text.stdout).toMatch(/^grants\s+.*"Production" \(read-only\)/m);
    expect(text.stdout).toMatch(/^grants\s+.*"Staging" \(editable\)/m);
    expect(text.stdout).not.toContain(world.production.id);
    expect(body.grants).toContainEqual(
      expect.objectContaining({ folderId: world.production.id, folderName: 'Production' }),
    );
  });

  it('shows grants by id before the device knows the folder names', async () => {
    const home = tempHome();
    expect((await runCli(bin, ['init'], { env: home, input: await mintToken(world) })).code).toBe(
      0,
    );
    const text = await runCli(bin, ['status'], { env: home });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`folder ${world.production.id} (read-only)`);
  });

  it('prints the current one-time code', async () => {
    const result = await runCli(bin, ['totp', 'Production/Bank 2FA', '--json'], { env });
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.code).toMatch(/^\d{6}$/);
    expect(body.secondsLeft).toBeGreaterThan(0);
    const none = await runCli(bin, ['totp', world.ids.postgres], { env });
    expect(none.code).toBe(EXIT.notFound);
  });

  it('lists, switches and removes profiles', async () => {
    const home = tempHome();
    for (const name of ['one', 'two']) {
      const init = await runCli(bin, ['init', '--profile', name], {
        env: home,
        input: await mintToken(world),
      });
      expect(init.code).toBe(0);
    }
    // The first profile became the current one (there was no "default"); a second does not.
    const named = await runCli(bin, ['list', '--profile', 'nowhere'], { env: home });
    expect(named.code).toBe(EXIT.notFound);
    expect((await runCli(bin, ['profile', 'use', 'two'], { env: home })).code).toBe(0);
    const listed = JSON.parse(
      (await runCli(bin, ['profile', 'list', '--json'], { env: home })).stdout,
    );
    expect(listed.map((p: { name: string; current: boolean }) => [p.name, p.current])).toEqual([
      ['one', false],
      ['two', true],
    ]);
    expect((await runCli(bin, ['list'], { env: home })).code).toBe(0);
    expect((await runCli(bin, ['profile', 'remove', 'two'], { env: home })).code).toBe(0);
    expect(existsSync(join(home.XDG_CONFIG_HOME, 'coffer', 'profiles', 'two.json'))).toBe(false);
    expect((await runCli(bin, ['profile', 'remove', 'two'], { env: home })).code).toBe(
      EXIT.notFound,
    );
  });

  it('answers unknown commands and options with the usage exit code', async () => {
    expect((await runCli(bin, ['fetch'], { env })).code).toBe(EXIT.usage);
    const typo = await runCli(bin, ['get', world.ids.login, '--unmaks'], { env });
    expect(typo.code).toBe(EXIT.usage);
    expect(typo.stderr).toMatch(/Unknown option "--unmaks"/);
  });
});
