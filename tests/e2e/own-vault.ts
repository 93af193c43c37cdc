import type { Browser, BrowserContext, Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/start.ts';
import { expect, freePort, recordBrowserLogs } from './fixtures.ts';

/**
 * A server of a spec's own (SQLite in a temporary folder, the development provider on another
 * loopback port) and a signed-in, enrolled page on it. The provider has one demo user who
 * enrols once, so specs that need a fresh vault cannot share the global server.
 */
export interface OwnVault {
  readonly server: RunningServer;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly logs: string[];
  /** The provider's demo account, to sign the same person in from a second context. */
  readonly account: { readonly email: string; readonly idpPassword: string };
  close(): Promise<void>;
}

/**
 * Types text through the DevTools input domain rather than `fill`, so no copy of it passes
 * through a script in the page's heap (the memory spec scans that heap for what was typed).
 */
export async function typeInto(page: Page, label: string | RegExp, text: string): Promise<void> {
  await page.getByLabel(label).click();
  await page.keyboard.insertText(text);
}

export async function openOwnVault(
  browser: Browser,
  name: string,
  masterPassword: string,
): Promise<OwnVault> {
  const dir = mkdtempSync(join(tmpdir(), `coffer-e2e-${name}-`));
  const demoEmail = 'alice@example.com';
  const idpPassword = `demo-${randomBytes(9).toString('base64url')}`;
  const server = await startServer({
    listen: { host: '127.0.0.1', port: await freePort() },
    database: join(dir, 'coffer.sqlite'),
    logLevel: 'warn',
    devIdentityProvider: {
      enabled: true,
      port: await freePort(),
      demoEmail,
      demoPassword: idpPassword,
    },
  });
  const context = await browser.newContext({ baseURL: server.url });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  const logs = recordBrowserLogs(page);

  await signInAndCreateVault(
    page,
    { url: server.url, email: demoEmail, idpPassword },
    masterPassword,
  );

  return {
    server,
    context,
    page,
    logs,
    account: { email: demoEmail, idpPassword },
    async close() {
      await context.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in through the development provider's own login page, on its own origin, and creates
 * the vault with `masterPassword`; ends on the empty vault screen.
 */
export async function signInAndCreateVault(
  page: Page,
  server: { readonly url: string; readonly email: string; readonly idpPassword: string },
  masterPassword: string,
): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Sign in with the development provider' }).click();
  await page.waitForURL((url) => url.origin !== server.url);
  await page.getByLabel('E-mail').fill(server.email);
  await page.getByLabel('Password').fill(server.idpPassword);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Create your master password' })).toBeVisible();
  await typeInto(page, /^Master password/, masterPassword);
  await typeInto(page, 'Confirm master password', masterPassword);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('navigation', { name: 'Folders' })).toBeVisible();
}

export async function createFolder(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New folder' }).click();
  const dialog = page.getByRole('dialog', { name: 'New folder' });
  await dialog.getByLabel('Folder name').click();
  await page.keyboard.insertText(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: `Folder ${name}`, exact: true }).click();
}

export interface LoginFields {
  readonly title: string;
  readonly username: string;
  readonly password: string;
}

export async function createLogin(page: Page, login: LoginFields): Promise<void> {
  await page.getByRole('button', { name: 'New record' }).click();
  const editor = page.getByRole('form', { name: 'New login' });
  await expect(editor).toBeVisible();
  await editor.getByLabel('Title').click();
  await page.keyboard.insertText(login.title);
  await editor.getByLabel('Username').click();
  await page.keyboard.insertText(login.username);
  await editor.getByLabel('Password', { exact: true }).click();
  await page.keyboard.insertText(login.password);
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('article', { name: `Login: ${login.title}` })).toBeVisible();
}
