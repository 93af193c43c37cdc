import type { Browser, BrowserContext, Page } from '@playwright/test';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, freePort, recordBrowserLogs, test } from './fixtures.ts';
import { testPassword } from './journey/secrets.ts';
import { startServerProcess, type ServerProcess } from './journey/server-process.ts';
import { createFolder, signInAndCreateVault } from './own-vault.ts';

/**
 * Issue #6 item 1: `npm start` as a newcomer runs it — the server on loopback with SQLite in a
 * local data folder and the development provider with printed credentials; where Electron cannot
 * launch, a clear message and the web build's address. Ctrl+C shuts everything down; starting
 * again keeps the data. Ports come from the environment so the test never takes 8787/8788.
 */
function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(true));
  });
}

test.describe.serial('npm start', () => {
  const masterPassword = testPassword('npm-start-master');
  let work: string;
  let ports: { server: number; provider: number };
  let started: ServerProcess;
  let context: BrowserContext;
  let page: Page;

  test.beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'coffer-npm-start-'));
    ports = { server: await freePort(), provider: await freePort() };
  });

  test.afterAll(async () => {
    await context?.close();
    await started?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  async function start(browser: Browser, run: number) {
    started = await startServerProcess({
      npmStartDataDir: join(work, 'data'),
      logFile: join(work, `npm-start-${run}.log`),
      ports,
    });
    context = await browser.newContext({ baseURL: started.url });
    page = await context.newPage();
    recordBrowserLogs(page);
  }

  test('starts the server and the provider, and points at the web build', async ({ browser }) => {
    // npm start rebuilds first when a source is newer than the build (not so under npm test).
    test.setTimeout(240_000);
    await start(browser, 1);
    const output = started.output();
    expect(output).toContain('DEVELOPMENT');
    expect(output).toContain(`Open the web build instead: ${started.url}/`);
    expect(started.email).toBe('alice@example.com');
    const index = await fetch(`${started.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<div id="root">');
  });

  test('signs in with the printed credentials and keeps a vault', async () => {
    await signInAndCreateVault(page, started, masterPassword);
    await createFolder(page, 'Production');
  });

  test('Ctrl+C stops the server and the provider cleanly', async () => {
    await context.close();
    const { url } = started;
    expect(await started.stop()).toBe(0);
    expect(started.output()).not.toContain('the server stopped');
    expect(await refusesConnections(url)).toBe(true);
    const data = join(work, 'data');
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'coffer.sqlite')).size).toBeGreaterThan(0);
  });

  test('a second start keeps the data: the vault unlocks with its folder', async ({ browser }) => {
    await start(browser, 2);
    await page.goto('/');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Sign in with the development provider' }).click();
    await page.getByLabel('E-mail').fill(started.email);
    await page.getByLabel('Password').fill(started.idpPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Unlock your vault' })).toBeVisible();
    await page.getByLabel('Master password').fill(masterPassword);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(
      page.getByRole('button', { name: 'Folder Production', exact: true }),
    ).toBeVisible();
  });
});
