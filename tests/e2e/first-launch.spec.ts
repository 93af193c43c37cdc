import type { BrowserContext, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/start.ts';
import {
  attachOnFailure,
  expect,
  freePort,
  keepScreenshot,
  recordBrowserLogs,
  test,
} from './fixtures.ts';

/**
 * Issue #4, a newcomer's first minutes in the web vault: the first screen offers the server the
 * page came from, another server is explained rather than failing on the page's policy, and two
 * providers on loopback get two different sign-in buttons. The server has a second, local
 * provider beside the built-in development one; nobody signs in through it, so it need not run.
 */
test.describe.serial('the web vault on first launch', () => {
  let dir: string;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let logs: string[];
  let localIssuer: string;

  test.beforeAll(async ({ browser }) => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-e2e-first-launch-'));
    localIssuer = `http://127.0.0.1:${await freePort()}`;
    server = await startServer({
      listen: { host: '127.0.0.1', port: await freePort() },
      database: join(dir, 'coffer.sqlite'),
      logLevel: 'warn',
      devIdentityProvider: { enabled: true, port: await freePort() },
      identityProviders: [
        { issuer: localIssuer, clientIds: ['vault-local'], allowedEmailDomains: ['example.com'] },
      ],
    });
    context = await browser.newContext({ baseURL: server.url });
    page = await context.newPage();
    logs = recordBrowserLogs(page);
  });

  attachOnFailure(() => (page === undefined ? undefined : { page, logs }));

  test.afterAll(async () => {
    await context?.close();
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('offers the server the page came from, filled in', async () => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Connect to your vault server' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Server address' })).toHaveValue(server.url);
    await keepScreenshot(page, 'first-launch-01-server');
  });

  test('takes a server only as an origin', async () => {
    const address = page.getByRole('textbox', { name: 'Server address' });
    await address.fill('ftp://files.example.com/vault');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByText('Enter the server address as https://host[:port]')).toBeVisible();
  });

  test('explains how to use another server instead of failing to reach it', async () => {
    const other = `http://127.0.0.1:${await freePort()}`;
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).origin));
    const address = page.getByRole('textbox', { name: 'Server address' });
    await address.fill(other);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(
      page.getByText(`This web vault works only with the server it was opened from, ${server.url}`),
    ).toBeVisible();
    await expect(page.getByRole('link', { name: 'open that address' })).toHaveAttribute(
      'href',
      other,
    );
    await expect(page.getByText('could not be reached')).toHaveCount(0);
    expect(requested).not.toContain(other);

    await address.fill(server.url);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('labels two local providers apart, and offers no other server', async () => {
    await expect(
      page.getByRole('button', { name: 'Sign in with the development provider' }),
    ).toBeVisible();
    const local = new URL(localIssuer).host;
    await expect(page.getByRole('button', { name: `Sign in with ${local}` })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Use a different server' })).toHaveCount(0);
    await expect(
      page.getByText('This web vault works only with the server it was opened'),
    ).toBeVisible();
    await keepScreenshot(page, 'first-launch-02-sign-in');
  });
});
