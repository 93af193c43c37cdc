import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/exit-codes.ts';
import { buildCli, runCli, tempHome } from './support/cli.ts';
import { buildWorld, mintToken, type World } from './support/world.ts';

let bin: string;
let world: World;

beforeAll(async () => {
  [bin, world] = await Promise.all([buildCli(), buildWorld()]);
}, 120_000);

afterAll(async () => {
  await world?.h.close();
});

/** A device enrolled into a fresh home; answers the environment to run it with. */
async function enrolled(extra: Record<string, string> = {}) {
  const env = { ...tempHome(), ...extra };
  const token = await mintToken(world);
  const init = await runCli(bin, ['init'], { env, input: `${token}\n` });
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  return env;
}

describe('coffer against a real server: init → list → get → exec → inject', () => {
  it('redeems a token from stdin into an owner-only profile', async () => {
    const env = tempHome();
    const token = await mintToken(world);
    const init = await runCli(bin, ['init', '--profile', 'ci'], { env, input: token });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('GitHub Actions');
    expect(init.stdout).not.toContain(token);
    const dir = join(env.XDG_CONFIG_HOME, 'coffer');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'profiles')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'profiles', 'ci.json')).mode & 0o777).toBe(0o600);
    const profile = JSON.parse(readFileSync(join(dir, 'profiles', 'ci.json'), 'utf8'));
    expect(profile.state).toBe('active');

    const again = await runCli(bin, ['init', '--profile', 'other'], { env, input: token });
    expect(again.code).toBe(EXIT.redemptionFailed);
    expect(again.stderr).not.toContain(token);
  });

  it('lists granted records with their folder paths, and filters by folder', async () => {
    const env = await enrolled();
    const list = await runCli(bin, ['list', '--json'], { env });
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as { id: string; title: string; folder: string }[];
    expect(rows.map((row) => row.id).sort()).toEqual(Object.values(world.ids).sort());
    expect(rows.find((row) => row.id === world.ids.postgres)?.folder).toBe('Production/db');
    const filtered = await runCli(bin, ['list', '--folder', 'Production/db', '--json'], { env });
    expect(JSON.parse(filtered.stdout).map((row: { id: string }) => row.id)).toEqual([
      world.ids.postgres,
    ]);
    const table = await runCli(bin, ['list'], { env });
    expect(table.stdout).toContain('Postgres main');
    expect(table.stdout).not.toContain(world.password);
  });

  it('gets a record masked, by field, by reference and by path', async () => {
    const env = await enrolled();
    const masked = await runCli(bin, ['get', world.ids.postgres], { env });
    expect(masked.code).toBe(0);
    expect(masked.stdout).toContain('db.example.com');
    expect(masked.stdout).not.toContain(world.password);
    expect(masked.stdout).not.toContain('tok-123456');
    const unmasked = await runCli(bin, ['get', world.ids.postgres, '--unmask'], { env });
    expect(unmasked.stdout).toContain(world.password);
    const field = await runCli(bin, ['get', world.ids.postgres, '--field', 'password'], { env });
    expect(field.stdout).toBe(`${world.password}\n`);
    const byPath = await runCli(
      bin,
      ['get', 'Production/db/Postgres main', '--field', 'password'],
      {
        env,
      },
    );
    expect(byPath.stdout).toBe(`${world.password}\n`);
    const reference = await runCli(
      bin,
      ['get', 'coffer://Production/db/Postgres%20main/custom/api%20token'],
      { env },
    );
    expect(reference.stdout).toBe('tok-123456\n');
    const json = await runCli(bin, ['get', world.ids.login, '--json'], { env });
    expect(JSON.parse(json.stdout).record.urls).toEqual([
      'https://mail.example.com',
      'https://webmail.example.com',
    ]);
  });

  it('runs a command with references replaced and passes its exit code through', async () => {
    const env = await enrolled({
      DB_PASSWORD: `coffer://${world.ids.postgres}/field/password`,
      PLAIN: 'unchanged',
    });
    const result = await runCli(
      bin,
      [
        'exec',
        '--',
        process.execPath,
        '-e',
        'process.stdout.write(process.env.DB_PASSWORD + "|" + process.env.PLAIN); process.exit(7)',
      ],
      { env },
    );
    expect(result.stdout).toBe(`${world.password}|unchanged`);
    expect(result.code).toBe(7);
  });

  it('renders a template into an owner-only file', async () => {
    const env = await enrolled();
    const dir = mkdtempSync(join(tmpdir(), 'coffer-inject-'));
    const template = join(dir, 'app.env.tpl');
    const output = join(dir, 'app.env');
    writeFileSync(
      template,
      'DB_URL={{ coffer://Production/db/Postgres%20main/field/connectionString }}\n' +
        'MAIL={{coffer://Production/Mail/field/urls[1]}}\n',
    );
    const result = await runCli(bin, ['inject', '-i', template, '-o', output], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(
      `DB_URL=postgresql://alice:${world.password}@db.example.com:5432/orders?sslmode=verify-full\n` +
        'MAIL=https://webmail.example.com\n',
    );
    expect(statSync(output).mode & 0o777).toBe(0o600);
  });
});
