import type { Locator, Page } from '@playwright/test';
import { expect, newRecordHeading } from '../fixtures.ts';
import { confirmWithMasterPassword } from '../reauth-steps.ts';

/**
 * The journey's steps in the web vault, each driven by roles and labels and ending on what the
 * page shows once the step is done.
 */
async function newRecord(page: Page, typeLabel: string): Promise<Locator> {
  await page.getByRole('button', { name: 'New record' }).click();
  await page.getByRole('combobox', { name: 'Record type' }).click();
  await page.getByRole('option', { name: typeLabel, exact: true }).click();
  const editor = page.getByRole('form', { name: newRecordHeading(typeLabel) });
  await expect(editor).toBeVisible();
  return editor;
}

async function save(page: Page, editor: Locator, article: string): Promise<Locator> {
  await editor.getByRole('button', { name: 'Save' }).click();
  const view = page.getByRole('article', { name: article });
  await expect(view).toBeVisible();
  return view;
}

export interface DatabaseFields {
  readonly title: string;
  readonly host: string;
  readonly database: string;
  readonly username: string;
  readonly password: string;
}

export async function createDatabaseRecord(page: Page, fields: DatabaseFields): Promise<void> {
  const editor = await newRecord(page, 'Database credentials');
  await expect(editor.getByRole('combobox', { name: 'Engine' })).toHaveValue('PostgreSQL');
  await editor.getByLabel('Title').fill(fields.title);
  await editor.getByLabel('Host').fill(fields.host);
  await editor.getByLabel('Port').fill('5432');
  await editor.getByLabel('Database', { exact: true }).fill(fields.database);
  await editor.getByLabel('Username').fill(fields.username);
  await editor.getByLabel('Password', { exact: true }).fill(fields.password);
  const view = await save(page, editor, `Database credentials: ${fields.title}`);
  await expect(view.getByText(fields.host)).toBeVisible();
  await expect(view.getByText(fields.password)).toHaveCount(0);
}

/** Generates an Ed25519 key in the app; answers the private key the editor received. */
export async function generateSshKey(
  page: Page,
  fields: { readonly title: string; readonly username: string; readonly host: string },
): Promise<string> {
  const editor = await newRecord(page, 'SSH key');
  await editor.getByLabel('Title').fill(fields.title);
  await editor.getByLabel('Username').fill(fields.username);
  await editor.getByLabel('Host').fill(fields.host);
  const tools = editor.getByRole('region', { name: 'SSH key tools' });
  await expect(tools.getByRole('radio', { name: 'Ed25519' })).toBeChecked();
  await tools.getByRole('button', { name: 'Generate key' }).click();
  await expect(tools.getByRole('status')).toContainText(/key SHA256:\S+ .*is in the record/);
  const privateKey = await editor.getByLabel('Private key', { exact: true }).inputValue();
  expect(privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
  const view = await save(page, editor, `SSH key: ${fields.title}`);
  await expect(view.getByText(/SHA256:/).first()).toBeVisible();
  return privateKey;
}

/** Imports a PEM file (certificate and key) through the panel's file input. */
export async function importCertificate(
  page: Page,
  file: string,
  commonName: string,
): Promise<void> {
  const editor = await newRecord(page, 'Certificate');
  const panel = editor.getByRole('region', { name: 'Certificate import' });
  const chooser = page.waitForEvent('filechooser');
  await panel.getByRole('button', { name: 'Import file (PEM, DER, PKCS#12)…' }).click();
  await (await chooser).setFiles(file);
  await expect(panel.getByRole('status')).toContainText(
    '1 certificate and the matching private key imported.',
  );
  // The title comes from the certificate's common name.
  await expect(editor.getByLabel('Title')).toHaveValue(commonName);
  const view = await save(page, editor, `Certificate: ${commonName}`);
  await expect(view.getByText(`CN=${commonName}`).first()).toBeVisible();
}

export async function createOneTimeCode(page: Page, title: string, uri: string): Promise<void> {
  const editor = await newRecord(page, 'One-time code');
  await editor.getByLabel('Title').fill(title);
  await editor.getByLabel('Key URI or secret').fill(uri);
  await expect(editor.getByRole('status')).toContainText('Time-based, 6 digits every 30 s');
  const view = await save(page, editor, `One-time code: ${title}`);
  await expect(view.getByText(/^\d{3}\s?\d{3}$/)).toBeVisible();
}

/** Edits the record's password and checks the view reveals the new one. */
export async function changeDatabasePassword(
  page: Page,
  title: string,
  password: string,
): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Vault' }).click();
  await page
    .getByRole('listbox', { name: 'Records' })
    .getByRole('option', { name: new RegExp(title) })
    .click();
  const article = `Database credentials: ${title}`;
  await expect(page.getByRole('article', { name: article })).toBeVisible();
  await page.getByRole('button', { name: 'Edit' }).click();
  const editor = page.getByRole('form', { name: `Edit ${title}` });
  await editor.getByLabel('Password', { exact: true }).fill(password);
  const view = await save(page, editor, article);
  await view.getByRole('button', { name: 'Reveal Password' }).click();
  await expect(view.getByText(password)).toBeVisible();
  await view.getByRole('button', { name: 'Hide Password' }).click();
  await expect(view.getByText(password)).toHaveCount(0);
}

async function openApplications(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Applications' }).click();
  await expect(nav.getByRole('button', { name: 'Applications' })).toHaveAttribute(
    'aria-current',
    'page',
  );
}

export async function createApplicationWithGrant(
  page: Page,
  name: string,
  folder: string,
): Promise<void> {
  await openApplications(page);
  await page.getByRole('button', { name: 'New application' }).click();
  const create = page.getByRole('dialog', { name: 'New application' });
  await create.getByLabel('Application name').fill(name);
  await create.getByRole('button', { name: 'Create' }).click();
  await expect(create).toBeHidden();
  const detail = page.getByRole('region', { name: `Application ${name}` });
  await detail.getByRole('combobox', { name: 'Folder to grant' }).click();
  await page.getByRole('option', { name: folder, exact: true }).click();
  // Before the grant, the only access control is the new grant's.
  await expect(detail.getByRole('radio', { name: 'Read-only' })).toBeChecked();
  await detail.getByRole('button', { name: 'Grant folder' }).click();
  const grants = detail.getByRole('table', { name: 'Granted folders' });
  await expect(grants.getByRole('cell', { name: folder, exact: true })).toBeVisible();
  await expect(grants.getByRole('radio', { name: 'Read-only' })).toBeChecked();
}

/**
 * Issues one device token with the first-use IP rule, confirming with the master password
 * (LS-05); answers the token the dialog shows.
 */
export async function issueFirstUseToken(
  page: Page,
  app: string,
  device: string,
  masterPassword: string,
): Promise<string> {
  const detail = page.getByRole('region', { name: `Application ${app}` });
  await detail.getByRole('button', { name: 'Add device' }).click();
  const dialog = page.getByRole('dialog', { name: `Add device to ${app}` });
  await dialog.getByLabel('Device name').fill(device);
  await expect(dialog.getByRole('radio', { name: 'First use' })).toBeChecked();
  await expect(
    dialog.getByText(/the address that redeems the token is the only one/),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Issue tokens' }).click();
  await confirmWithMasterPassword(page, masterPassword);
  const tokens = page.getByRole('dialog', { name: 'Device tokens' });
  await expect(tokens.getByText('These tokens will not be shown again')).toBeVisible();
  const item = tokens.getByRole('listitem', { name: `Token for ${device}` });
  const token = (await item.locator('pre, code').first().innerText()).trim();
  await tokens.getByRole('button', { name: 'Done' }).click();
  await expect(tokens).toBeHidden();
  await expect(deviceRow(page, device)).toContainText('Pending');
  return token;
}

function deviceRow(page: Page, device: string): Locator {
  return page
    .getByRole('table', { name: 'Devices' })
    .getByRole('row', { name: new RegExp(device) });
}

/** The devices table, freshly loaded: leaves the screen and comes back. */
export async function deviceRowAfterReload(page: Page, app: string, device: string) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Vault' })
    .click();
  await openApplications(page);
  const open = page.getByRole('button', { name: `Open application ${app}` });
  if ((await open.getAttribute('aria-pressed')) !== 'true') await open.click();
  return deviceRow(page, device);
}

export async function revokeDevice(page: Page, app: string, device: string): Promise<void> {
  const row = await deviceRowAfterReload(page, app, device);
  await expect(row).toContainText('Active');
  await row.getByRole('button', { name: `Revoke device ${device}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke device “${device}”?` });
  await expect(confirm).toContainText('Its next request is refused');
  await confirm.getByRole('button', { name: 'Revoke device' }).click();
  await expect(row).toContainText('Revoked');
}

export interface AuditRow {
  readonly time: string;
  readonly event: string;
  readonly outcome: string;
  readonly actor: string;
  readonly application: string;
  readonly device: string;
  readonly ip: string;
  readonly seq: number;
}

/** The audit view's rows on its first page, in the order the view lists them (newest first). */
export async function auditRows(page: Page): Promise<AuditRow[]> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Audit log' })
    .click();
  const table = page.getByRole('table', { name: 'Audit events' });
  await expect(table).toBeVisible();
  const headers = await table.getByRole('columnheader').allTextContents();
  expect(headers).toEqual([
    'Time',
    'Event',
    'Outcome',
    'Actor',
    'Application',
    'Device',
    'IP',
    '#',
  ]);
  const cells = await table
    .getByRole('row')
    .evaluateAll((trs) =>
      trs
        .slice(1)
        .map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())),
    );
  return cells.map((c) => ({
    time: c[0] ?? '',
    event: c[1] ?? '',
    outcome: c[2] ?? '',
    actor: c[3] ?? '',
    application: c[4] ?? '',
    device: c[5] ?? '',
    ip: c[6] ?? '',
    seq: Number(c[7]),
  }));
}
