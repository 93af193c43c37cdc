import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/exit-codes.ts';
import { DeviceCache } from '../../../cli/sdk/cache.ts';
import { createClient, loadClientConfig } from '../../../cli/sdk/index.ts';
import { untrustedCertificate } from '../../unit/cli/support/tls.ts';
import { buildCli, runCli, tempHome } from './support/cli.ts';
import { buildWorld, mintToken, type World } from './support/world.ts';

let bin: string;
let world: World;
const servers: Server[] = [];

beforeAll(async () => {
  [bin, world] = await Promise.all([buildCli(), buildWorld()]);
}, 120_000);

afterAll(async () => {
  for (const server of servers) server.close();
  await world?.h.close();
});

async function enrolled() {
  const env = tempHome();
  const init = await runCli(bin, ['init'], { env, input: await mintToken(world) });
  expect(init.code).toBe(0);
  return env;
}

/** An address where nothing listens: the server "stopped". */
async function closedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** H7: a proxy or portal in front of the server answering `status` with `body`. */
async function faultOrigin(status: number, type: string, body: string): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function cachePath(env: { XDG_CONFIG_HOME: string }): string {
  const dir = join(env.XDG_CONFIG_HOME, 'coffer', 'cache');
  const [file] = readdirSync(dir);
  if (file === undefined) throw new Error('no cache file');
  return join(dir, file);
}

/**
 * Seals the device's cache again as if it had been saved `seconds` earlier: the timestamp is
 * bound into the sealed blob, so only the device's own cache code can move it. Waiting for the
 * clock instead made these tests slow and timing-dependent.
 */
async function backdateCache(env: Record<string, string>, seconds: number): Promise<number> {
  const { config } = await loadClientConfig({ env });
  if (config.cacheDir === undefined) throw new Error('no cache folder');
  const cache = new DeviceCache(config.cacheDir, config.profile);
  const state = await cache.load(Math.floor(Date.now() / 1000));
  if (state === undefined) throw new Error('no cache to backdate');
  const savedAt = state.savedAt - seconds;
  await cache.save({ snapshot: state.snapshot, revisions: state.revisions }, savedAt);
  return savedAt;
}

const getPassword = (env: Record<string, string>, extra: string[] = []) =>
  runCli(bin, ['get', world.ids.postgres, '--field', 'password', ...extra], { env });

describe('the offline cache (RL-03, LS-03)', () => {
  it('answers from the cache with a warning when the server is unreachable', async () => {
    const env = await enrolled();
    expect((await getPassword(env)).stdout).toBe(`${world.password}\n`);
    const offline = await getPassword({ ...env, COFFER_SERVER: await closedOrigin() });
    expect(offline.code).toBe(0);
    expect(offline.stdout).toBe(`${world.password}\n`);
    expect(offline.stderr).toMatch(/warning: .*connection was refused.*offline cache from/);
    expect(offline.stderr).not.toContain(world.password);
  });

  it('uses the cache behind a 502 but never after an HTML page or a 4xx', async () => {
    const env = await enrolled();
    await getPassword(env);
    const gateway = await getPassword({
      ...env,
      COFFER_SERVER: await faultOrigin(502, 'text/html', '<h1>Bad gateway</h1>'),
    });
    expect(gateway.code).toBe(0);
    expect(gateway.stderr).toMatch(/offline cache/);
    const portal = await getPassword({
      ...env,
      COFFER_SERVER: await faultOrigin(200, 'text/html', '<html>Sign in to the Wi-Fi</html>'),
    });
    expect(portal.code).toBe(EXIT.badServer);
    expect(portal.stdout).toBe('');
    const notFound = await getPassword({
      ...env,
      COFFER_SERVER: await faultOrigin(404, 'text/plain', 'no such route'),
    });
    expect(notFound.code).toBe(EXIT.badServer);
    expect(notFound.stdout).toBe('');
  });

  it('uses the cache when the name does not resolve, never after a TLS failure', async () => {
    const env = await enrolled();
    await getPassword(env);
    const dns = await getPassword({ ...env, COFFER_SERVER: 'https://coffer.invalid' });
    expect(dns.code).toBe(0);
    expect(dns.stderr).toMatch(/does not resolve.*offline cache/);
    const tls = createTlsServer(untrustedCertificate(), (_req, res) => res.end('{}'));
    servers.push(tls);
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const port = (tls.address() as AddressInfo).port;
    const refused = await getPassword({ ...env, COFFER_SERVER: `https://127.0.0.1:${port}` });
    expect(refused.code).toBe(EXIT.badServer);
    expect(refused.stderr).toMatch(/TLS connection/);
    expect(refused.stdout).toBe('');
  });

  it('fails without a cache, with --no-cache, and past the maximum age', async () => {
    const env = await enrolled();
    const down = { ...env, COFFER_SERVER: await closedOrigin() };
    const none = await getPassword(down);
    expect(none.code).toBe(EXIT.network);
    expect(none.stderr).toMatch(/no offline cache/);
    await getPassword(env);
    expect((await getPassword(down, ['--no-cache'])).code).toBe(EXIT.network);
    expect((await getPassword(down, ['--cache-max-age', '60s'])).code).toBe(0);
    await backdateCache(env, 61);
    const old = await getPassword(down, ['--cache-max-age', '60s']);
    expect(old.code).toBe(EXIT.cache);
    expect(old.stderr).toMatch(/older than its maximum age/);
    expect(old.stdout).toBe('');
  });

  it('refuses a tampered cache or one copied from another device', async () => {
    const env = await enrolled();
    await getPassword(env);
    const down = { ...env, COFFER_SERVER: await closedOrigin() };
    const path = cachePath(env);
    const original = readFileSync(path);
    const flipped = Buffer.from(original);
    flipped[flipped.length - 20] = (flipped[flipped.length - 20] ?? 0) ^ 1;
    writeFileSync(path, flipped);
    const tampered = await getPassword(down);
    expect(tampered.code).toBe(EXIT.cache);
    expect(tampered.stderr).toMatch(/integrity/);
    // A later timestamp in the clear header does not make an old cache young.
    const redated = Buffer.from(original);
    redated.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000)) + 60n, 5);
    writeFileSync(path, redated);
    expect((await getPassword(down)).code).toBe(EXIT.cache);

    // Another device of the same application: its cache key and binding differ.
    writeFileSync(path, original);
    const other = await enrolled();
    await getPassword(other);
    copyFileSync(path, cachePath(other));
    const copied = await getPassword({ ...other, COFFER_SERVER: down.COFFER_SERVER });
    expect(copied.code).toBe(EXIT.cache);
    expect(copied.stdout).toBe('');
  });

  it(
    'renews an unchanged cache, rewrites a ' + 'changed one, and keeps what it was not asked',
    async () => {
      const env = await enrolled();
      const down = { ...env, COFFER_SERVER: await closedOrigin() };
      const savedAt = () => readFileSync(cachePath(env)).readBigUInt64BE(5);
      expect((await runCli(bin, ['list'], { env })).code).toBe(0);
      const listed = await backdateCache(env, 60);
      expect(savedAt()).toBe(BigInt(listed));
      // Nothing changed: the cache is only sealed again under the new time.
      expect((await getPassword(env)).code).toBe(0);
      expect(savedAt()).toBeGreaterThan(BigInt(listed));
      const value = `sk-${Math.random().toString(36).slice(2)}`;
      const set = await runCli(bin, ['set', world.ids.staging, 'secret=-'], { env, input: value });
      expect(set.code).toBe(0);
      const fresh = ['get', world.ids.staging, '--field', 'secret'];
      expect((await runCli(bin, fresh, { env })).stdout).toBe(`${value}\n`);
      // Offline, the whole cache goes through its full schema: the changed record and the ones
      // only `list` asked for are all there.
      const offline = await runCli(bin, fresh, { env: down });
      expect(offline.stdout).toBe(`${value}\n`);
      const listedOffline = await runCli(bin, ['list'], { env: down });
      expect(listedOffline.code).toBe(0);
      expect(listedOffline.stdout).toContain('Bank 2FA');
      expect(listedOffline.stdout).toContain('Postgres main');
    },
  );

  it('shows what the device knows locally when the server is stopped, and exits 12', async () => {
    const env = await enrolled();
    expect((await runCli(bin, ['list'], { env })).code).toBe(0);
    const down = { ...env, COFFER_SERVER: await closedOrigin() };
    const text = await runCli(bin, ['status'], { env: down });
    expect(text.code).toBe(EXIT.network);
    expect(text.stderr).toMatch(/error: Cannot reach the Coffer server .*connection was refused/);
    expect(text.stdout).toMatch(/^server\s+http:\/\/127\.0\.0\.1:\d+ \(cannot be reached/m);
    expect(text.stdout).toMatch(/^application\s+GitHub Actions/m);
    expect(text.stdout).toMatch(
      /^IP rule\s+first use \(bound to 127\.0\.0\.1\) \(as of redemption/m,
    );
    expect(text.stdout).toMatch(/^grants\s+.*"Production" \(read-only\).* \(as of \d+ s ago\)$/m);
    expect(text.stdout).toMatch(/^grants\s+.*"Staging" \(editable\)/m);
    expect(text.stdout).toMatch(
      /^offline cache\s+\d+ s old, within its maximum age of 7 days 0 h/m,
    );
    const json = await runCli(bin, ['status', '--json', '--cache-max-age', '1h'], { env: down });
    expect(json.code).toBe(EXIT.network);
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({
      reachable: false,
      appName: 'GitHub Actions',
      ipRule: { type: 'first-use' },
      boundAddress: '127.0.0.1',
      cacheMaxAgeSeconds: 3600,
      cacheUsable: true,
    });
    expect(body.grants).toContainEqual({
      folderId: world.production.id,
      mode: 'read-only',
      folderName: 'Production',
    });
    expect(typeof body.cacheAgeSeconds).toBe('number');
    const online = JSON.parse((await runCli(bin, ['status', '--json'], { env })).stdout);
    expect(online).toMatchObject({ reachable: true, cacheUsable: true });
  });

  it('says offline when the cache is past its maximum age, or there is none', async () => {
    const env = await enrolled();
    const down = { ...env, COFFER_SERVER: await closedOrigin() };
    const none = await runCli(bin, ['status'], { env: down });
    expect(none.code).toBe(EXIT.network);
    expect(none.stdout).toMatch(/^grants\s+unknown \(no offline cache\)/m);
    expect(none.stdout).toMatch(/^offline cache\s+none$/m);
    expect((await runCli(bin, ['list'], { env })).code).toBe(0);
    // Eight days later, by the SDK's clock: the same status the CLI prints, without waiting.
    const later = () => Date.now() + 8 * 86_400_000;
    const { config } = await loadClientConfig({ env: down, client: { now: later } });
    const local = await createClient(config).localStatus();
    expect(local.cacheAgeSeconds).toBeGreaterThan(7 * 86_400);
    expect(local.cacheUsable).toBe(false);
    expect(local.cachedGrants).toContainEqual({ folderId: world.staging.id, mode: 'editable' });
    const noCache = await runCli(bin, ['status', '--no-cache'], { env: down });
    expect(noCache.stdout).toMatch(/^offline cache\s+\d+ s old; not used \(--no-cache\)/m);
  });

  it('names a folder standing where the cache file should be, online and offline', async () => {
    const env = await enrolled();
    const listed = await runCli(bin, ['profile', 'list', '--json'], { env });
    const [{ deviceId }] = JSON.parse(listed.stdout) as [{ deviceId: string }];
    const path = join(env.XDG_CONFIG_HOME, 'coffer', 'cache', `${deviceId}.cache`);
    mkdirSync(path, { recursive: true });
    const down = { ...env, COFFER_SERVER: await closedOrigin() };
    for (const run of [env, down]) {
      const result = await getPassword(run);
      expect(result.code).toBe(EXIT.cache);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`The offline cache ${path} is a folder, not a file`);
      expect(result.stderr).not.toMatch(/Unexpected/);
    }
    expect(statSync(path).isDirectory()).toBe(true);
  });

  it('keeps no plaintext in the cache and keeps it owner-only', async () => {
    const env = await enrolled();
    expect((await runCli(bin, ['list'], { env })).code).toBe(0);
    const path = cachePath(env);
    const bytes = readFileSync(path);
    for (const plain of [
      world.password,
      'Postgres main',
      'Production',
      'db.example.com',
      'alice',
    ]) {
      expect(bytes.includes(Buffer.from(plain))).toBe(false);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
  });
});
