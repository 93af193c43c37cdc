import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/exit-codes.ts';
import { buildCli, runCli, tempHome } from './support/cli.ts';
import { buildWorld, mintToken, type World } from './support/world.ts';

let bin: string;
let world: World;
let cacheDir: string;

beforeAll(async () => {
  [bin, world] = await Promise.all([buildCli(), buildWorld()]);
  cacheDir = join(dirname(bin), 'chunks', '.code-cache');
}, 120_000);

afterAll(async () => {
  await world?.h.close();
});

async function enrolled() {
  const env = tempHome();
  const init = await runCli(bin, ['init'], { env, input: await mintToken(world) });
  expect(init.code).toBe(0);
  return env;
}

const cachesOf = (command: string) =>
  readdirSync(cacheDir).filter((name) => name.includes(`.cjs.${command}.`));

const getPassword = (env: Record<string, string>) =>
  runCli(bin, ['get', world.ids.postgres, '--field', 'password'], { env });

describe('the V8 code caches beside the installed CLI (cli/bin.ts)', () => {
  it('are made by a successful run, per command, and hold no data from it', async () => {
    const env = await enrolled();
    rmSync(cacheDir, { recursive: true, force: true });
    const wrong = await runCli(bin, ['get', 'no/such/record'], { env });
    expect(wrong.code).toBe(EXIT.notFound);
    expect(readdirSync(dirname(cacheDir))).not.toContain('.code-cache');
    // Help compiles other functions than a real get; its cache would stand for get's for good.
    expect((await runCli(bin, ['get', '--help'], { env })).code).toBe(0);
    expect(readdirSync(dirname(cacheDir))).not.toContain('.code-cache');

    expect((await getPassword(env)).stdout).toBe(`${world.password}\n`);
    expect(cachesOf('get').length).toBeGreaterThanOrEqual(3);
    expect(cachesOf('list')).toEqual([]);
    for (const name of readdirSync(cacheDir)) {
      const bytes = readFileSync(join(cacheDir, name));
      for (const secret of [world.password, 'Postgres main', 'db.example.com', env.HOME]) {
        expect(bytes.includes(Buffer.from(secret))).toBe(false);
      }
    }
    // The next run starts from them, with the same answer; global options before the command
    // do not hide which command it is.
    expect((await getPassword(env)).stdout).toBe(`${world.password}\n`);
    const before = cachesOf('get').length;
    const args = ['--profile', 'default', '--no-cache', 'list'];
    expect((await runCli(bin, args, { env })).code).toBe(0);
    expect(cachesOf('list').length).toBeGreaterThanOrEqual(1);
    expect(cachesOf('get').length).toBe(before);
  });

  it('are not used when damaged (V8 would abort), and are made again', async () => {
    const env = await enrolled();
    await getPassword(env);
    const [name] = cachesOf('get');
    if (name === undefined) throw new Error('no code cache');
    const path = join(cacheDir, name);
    const damaged = readFileSync(path);
    damaged.fill(0x5a, 64, 256);
    writeFileSync(path, damaged);
    const run = await getPassword(env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${world.password}\n`);
    expect(readFileSync(path).equals(damaged)).toBe(false);
  });

  it('are not needed where they cannot be written', async () => {
    const env = await enrolled();
    rmSync(cacheDir, { recursive: true, force: true });
    // In the way of the folder, as a read-only installation would be (the tests may run as
    // root, which writes through mode bits).
    writeFileSync(cacheDir, 'not a folder');
    try {
      const run = await getPassword(env);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(readFileSync(cacheDir, 'utf8')).toBe('not a folder');
    } finally {
      rmSync(cacheDir, { force: true });
    }
  });
});
