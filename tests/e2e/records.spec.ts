import type { Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readClipboard, reopenWithClock, shownField } from './clocked-vault.ts';
import { attachOnFailure, expect, keepScreenshot, newRecordHeading, test } from './fixtures.ts';
import { createFolder, openOwnVault, type OwnVault } from './own-vault.ts';
import { randomBase32Secret, totpAt } from './totp-reference.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));

/** The values the fixture's .expected.txt file states, so the test and the fixture agree. */
function expected(path: string, pattern: RegExp): string {
  const found = pattern.exec(readFileSync(fixture(path), 'utf8'))?.[1];
  if (found === undefined) throw new Error(`${path} does not state ${pattern}`);
  return found;
}

/** Opens the editor for a new record of the type named `typeLabel` (as the menu spells it). */
async function newRecord(page: Page, typeLabel: string): Promise<Locator> {
  await page.getByRole('button', { name: 'New record' }).click();
  await page.getByRole('combobox', { name: 'Record type' }).click();
  await page.getByRole('option', { name: typeLabel, exact: true }).click();
  const form = page.getByRole('form', { name: newRecordHeading(typeLabel) });
  await expect(form).toBeVisible();
  return form;
}

async function save(form: Locator, article: string): Promise<Locator> {
  await form.getByRole('button', { name: 'Save' }).click();
  const view = form.page().getByRole('article', { name: article });
  await expect(view).toBeVisible();
  return view;
}

/** Reveals a masked secret and checks it; a masked value must not be in the page at all. */
async function expectSecret(view: Locator, label: string, value: string): Promise<void> {
  await expect(view.getByLabel(`${label} hidden`, { exact: true })).toBeVisible();
  await expect(view.getByText(value, { exact: true })).toHaveCount(0);
  await view.getByRole('button', { name: `Reveal ${label}` }).click();
  await expect(shownField(view, label)).toHaveText(value);
}

/**
 * Issue #4 (## Tests): one record of every type created through the editor and shown by its
 * view; an SSH key and certificates imported from the fixtures by file and by paste, with the
 * passphrase prompt; and a one-time code equal to an independent RFC 6238 computation at an
 * instant the test sets with Playwright's clock.
 */
test.describe.serial('records of every type', () => {
  const masterPassword = 'lantern quartz orbit meadow 58';
  const otpSecret = randomBase32Secret();
  let vault: OwnVault;

  test.beforeAll(async ({ browser }) => {
    vault = await openOwnVault(browser, 'records', masterPassword);
    await createFolder(vault.page, 'Infrastructure');
  });

  attachOnFailure(() => vault);

  test.afterAll(async () => {
    await vault?.close();
  });

  test('a login with a website and a one-time code', async () => {
    const { page } = vault;
    const form = await newRecord(page, 'Login');
    await form.getByRole('textbox', { name: 'Title', exact: true }).fill('Grafana');
    await form.getByRole('textbox', { name: 'Username', exact: true }).fill('alice@example.com');
    await form.getByRole('textbox', { name: 'Password', exact: true }).fill('Tr0ub4dor&3-grafana');
    await form
      .getByRole('textbox', { name: 'Website 1', exact: true })
      .fill('https://grafana.example.com');
    await form
      .getByRole('textbox', { name: 'One-time code', exact: true })
      .fill(`otpauth://totp/Example:alice@example.com?secret=${otpSecret}&issuer=Example`);
    await expect(form.getByText('Time-based, 6 digits every 30 s for Example')).toBeVisible();
    const view = await save(form, 'Login: Grafana');

    await expect(shownField(view, 'Username')).toHaveText('alice@example.com');
    await expect(shownField(view, 'Website')).toHaveText('https://grafana.example.com');
    await expectSecret(view, 'Password', 'Tr0ub4dor&3-grafana');
    await expect(view.getByLabel('One-time code', { exact: true })).toHaveText(/^\d{6}$/);
    await keepScreenshot(page, 'records-01-login');
  });

  test('database credentials with the connection string to copy', async () => {
    const { page } = vault;
    const form = await newRecord(page, 'Database credentials');
    await form.getByRole('textbox', { name: 'Title', exact: true }).fill('Orders DB');
    await form.getByRole('combobox', { name: 'Engine' }).click();
    await page.getByRole('option', { name: 'PostgreSQL', exact: true }).click();
    await form.getByRole('textbox', { name: 'Host', exact: true }).fill('db.example.com');
    await form.getByRole('textbox', { name: 'Port', exact: true }).fill('5433');
    await form.getByRole('textbox', { name: 'Database', exact: true }).fill('orders');
    await form.getByRole('textbox', { name: 'Username', exact: true }).fill('orders_app');
    await form.getByRole('textbox', { name: 'Password', exact: true }).fill('p@ss word/1');
    await expect(form.getByRole('switch', { name: 'Require TLS' })).toBeChecked();
    const view = await save(form, 'Database credentials: Orders DB');

    await expect(shownField(view, 'Engine')).toHaveText('PostgreSQL');
    await expect(shownField(view, 'Host')).toHaveText('db.example.com');
    await expect(shownField(view, 'Port')).toHaveText('5433');
    await expect(shownField(view, 'TLS')).toHaveText('Required, server verified');
    await expectSecret(
      view,
      'Connection string',
      'postgresql://orders_app:p%40ss%20word%2F1@db.example.com:5433/orders?sslmode=verify-full',
    );
    await view.getByRole('button', { name: 'Copy Connection string' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(
        'postgresql://orders_app:p%40ss%20word%2F1@db.example.com:5433/orders?sslmode=verify-full',
      );
    await keepScreenshot(page, 'records-02-database');
  });

  test('server credentials', async () => {
    const form = await newRecord(vault.page, 'Server credentials');
    await form.getByRole('textbox', { name: 'Title', exact: true }).fill('Bastion');
    await form.getByRole('combobox', { name: 'Platform' }).click();
    await vault.page.getByRole('option', { name: 'Windows', exact: true }).click();
    await form.getByRole('textbox', { name: 'Host', exact: true }).fill('bastion.example.com');
    await form.getByRole('textbox', { name: 'Port', exact: true }).fill('3389');
    await form.getByRole('textbox', { name: 'Username', exact: true }).fill('Administrator');
    await form
      .getByRole('textbox', { name: 'Password', exact: true })
      .fill('C0rrect-horse-bastion');
    const view = await save(form, 'Server credentials: Bastion');

    await expect(shownField(view, 'Platform')).toHaveText('Windows');
    await expect(shownField(view, 'Host')).toHaveText('bastion.example.com');
    await expect(shownField(view, 'Port')).toHaveText('3389');
    await expect(shownField(view, 'Username')).toHaveText('Administrator');
    await expectSecret(view, 'Password', 'C0rrect-horse-bastion');
  });

  test('an encrypted SSH key imported from a file, through the passphrase prompt', async () => {
    const { page } = vault;
    const passphrase = expected('ssh/ssh-02.expected.txt', /Passphrase '([^']+)'/);
    const fingerprint = expected('ssh/ssh-02.expected.txt', /(SHA256:[A-Za-z0-9+/]+)/);
    const form = await newRecord(page, 'SSH key');
    await form.getByRole('textbox', { name: 'Title', exact: true }).fill('Deploy key');
    await form.getByRole('textbox', { name: 'Username', exact: true }).fill('deploy');
    await form.getByRole('textbox', { name: 'Host', exact: true }).fill('git.example.com');

    const chooser = page.waitForEvent('filechooser');
    await form.getByRole('button', { name: 'Import key file…' }).click();
    await (await chooser).setFiles(fixture('ssh/ssh-02-ed25519-bcrypt.key'));
    const prompt = form.getByRole('textbox', { name: 'Key passphrase', exact: true });
    await expect(prompt).toBeVisible();
    await prompt.fill('wrong');
    await form.getByRole('button', { name: 'Unlock key' }).click();
    await expect(form.getByRole('alert')).toContainText('That passphrase is not the one');
    await prompt.fill(passphrase);
    await form.getByRole('button', { name: 'Unlock key' }).click();
    await expect(form.getByRole('status')).toContainText(fingerprint);
    await expect(form.getByRole('textbox', { name: 'Private key', exact: true })).toHaveValue(
      /^-----BEGIN OPENSSH PRIVATE KEY-----/,
    );
    const view = await save(form, 'SSH key: Deploy key');

    await expect(shownField(view, 'Fingerprint')).toHaveText(fingerprint);
    await expect(shownField(view, 'Key type')).toContainText('ED25519');
    await expect(shownField(view, 'Public key')).toHaveText(/^ssh-ed25519 AAAA/);
    await expect(shownField(view, 'Host')).toHaveText('git.example.com');
    await expectSecret(view, 'Passphrase', passphrase);
    await keepScreenshot(page, 'records-03-ssh-key');
  });

  test('an SSH key pasted into the editor', async () => {
    const { page } = vault;
    const fingerprint = expected('ssh/ssh-01.expected.txt', /(SHA256:[A-Za-z0-9+/]+)/);
    const comment = expected('ssh/ssh-01.expected.txt', /comment is the whole tail '([^']+)'/);
    const form = await newRecord(page, 'SSH key');
    // A real paste: the key goes to the clipboard, then Ctrl+V into the paste box.
    const key = readFileSync(fixture('ssh/ssh-01-ed25519-comment-spaces.key'), 'utf8');
    await page.evaluate((text) => navigator.clipboard.writeText(text), key);
    await form.getByRole('textbox', { name: 'Paste a key', exact: true }).focus();
    await page.keyboard.press('Control+v');
    await expect(form.getByRole('textbox', { name: 'Paste a key', exact: true })).toHaveValue(key);
    await form.getByRole('button', { name: 'Import pasted key' }).click();
    await expect(form.getByRole('status')).toContainText(fingerprint);
    // The title is taken from the key's comment when none was typed.
    await expect(form.getByRole('textbox', { name: 'Title', exact: true })).toHaveValue(comment);
    const view = await save(form, `SSH key: ${comment}`);
    await expect(shownField(view, 'Fingerprint')).toHaveText(fingerprint);
    await expect(view.getByLabel('Passphrase hidden', { exact: true })).toHaveCount(0);
  });

  test('a certificate chain pasted as PEM', async () => {
    const { page } = vault;
    const facts = readFileSync(fixture('cert/cert-01.expected.txt'), 'utf8');
    const leafSha256 = /Leaf: .*?SHA256=([0-9A-F:]+)/.exec(facts)?.[1] ?? 'missing';
    const form = await newRecord(page, 'Certificate');
    await form
      .getByRole('textbox', { name: 'Paste PEM', exact: true })
      .fill(readFileSync(fixture('cert/cert-01-fullchain.pem'), 'utf8'));
    await form.getByRole('button', { name: 'Import pasted PEM' }).click();
    await expect(form.getByRole('status')).toContainText(
      '3 certificates, no private key imported.',
    );
    await expect(form.getByRole('textbox', { name: 'Title', exact: true })).toHaveValue(
      'www.example.com',
    );
    const view = await save(form, 'Certificate: www.example.com');

    const leaf = view.getByRole('region', { name: 'Certificate 1 of 3' });
    await expect(shownField(leaf, 'Subject')).toHaveText('CN=www.example.com');
    await expect(shownField(leaf, 'Issuer')).toHaveText(
      'CN=Example Test Issuing CA 1,O=Example Org,C=US',
    );
    await expect(shownField(leaf, 'SHA-256 fingerprint')).toHaveText(leafSha256);
    await expect(shownField(leaf, 'Valid until')).toHaveText('2030-12-31 23:59:59 UTC');
    const sans = leaf.getByRole('list', { name: 'Subject alternative names of certificate 1' });
    await expect(sans.getByRole('listitem')).toHaveText([
      'DNS: www.example.com',
      'DNS: example.com',
    ]);
    await expect(leaf.getByText(/^Valid, \d+ days left$/)).toBeVisible();
    await expect(view.getByRole('region', { name: 'Root 3 of 3' })).toBeVisible();
    await keepScreenshot(page, 'records-04-certificate');
  });

  test('a PKCS#12 file imported through its password prompt', async () => {
    const { page } = vault;
    const password = expected('cert/cert-03.expected.txt', /Password '([^']+)'/);
    const sha256 = expected('cert/cert-03.expected.txt', /SHA256=([0-9A-F:]+)/);
    const form = await newRecord(page, 'Certificate');
    await form.getByRole('textbox', { name: 'Title', exact: true }).fill('Web TLS (PKCS#12)');
    const chooser = page.waitForEvent('filechooser');
    await form.getByRole('button', { name: 'Import file (PEM, DER, PKCS#12)…' }).click();
    await (await chooser).setFiles(fixture('cert/cert-03-modern-aes.p12'));
    await form
      .getByRole('textbox', { name: 'File password', exact: true })
      .fill('not-the-password');
    await form.getByRole('button', { name: 'Unlock file' }).click();
    await expect(form.getByRole('alert')).toHaveText('That password is wrong. Try again.');
    await form.getByRole('textbox', { name: 'File password', exact: true }).fill(password);
    await form.getByRole('button', { name: 'Unlock file' }).click();
    await expect(form.getByRole('status')).toContainText(
      '3 certificates and the matching private key imported.',
    );
    const view = await save(form, 'Certificate: Web TLS (PKCS#12)');
    await expect(view.getByText('Private key matches the certificate')).toBeVisible();
    const leaf = view.getByRole('region', { name: 'Certificate 1 of 3' });
    await expect(shownField(leaf, 'SHA-256 fingerprint')).toHaveText(sha256);
    await expect(view.getByLabel('Private key hidden', { exact: true })).toBeVisible();
  });

  test('an API key', async () => {
    const form = await newRecord(vault.page, 'API key');
    await form.getByRole('textbox', { name: 'Title', exact: true }).fill('Payments API');
    await form.getByRole('textbox', { name: 'Service', exact: true }).fill('Example Payments');
    await form.getByRole('textbox', { name: 'Key ID', exact: true }).fill('pk_live_0001');
    await form.getByRole('textbox', { name: 'Secret', exact: true }).fill('sk_live_example_51HxQ');
    await form.getByRole('textbox', { name: 'URL', exact: true }).fill('https://api.example.com');
    const view = await save(form, 'API key: Payments API');
    await expect(shownField(view, 'Service')).toHaveText('Example Payments');
    await expect(shownField(view, 'Key ID')).toHaveText('pk_live_0001');
    await expect(shownField(view, 'URL')).toHaveText('https://api.example.com');
    await expectSecret(view, 'Secret', 'sk_live_example_51HxQ');
  });

  test('a one-time code entered as a bare secret', async () => {
    const form = await newRecord(vault.page, 'One-time code');
    await form.getByRole('textbox', { name: 'Title', exact: true }).fill('Cloud console');
    await form.getByRole('textbox', { name: 'Key URI or secret', exact: true }).fill(otpSecret);
    await expect(form.getByText('Time-based, 6 digits every 30 s')).toBeVisible();
    const view = await save(form, 'One-time code: Cloud console');
    await expect(view.getByLabel('One-time code', { exact: true })).toHaveText(/^\d{6}$/);
    await expect(view.getByLabel('Time left for this code', { exact: true })).toBeVisible();
  });

  test('a secure note with a custom field', async () => {
    const form = await newRecord(vault.page, 'Secure note');
    await form.getByRole('textbox', { name: 'Title', exact: true }).fill('Recovery steps');
    await form
      .getByRole('textbox', { name: 'Notes', exact: true })
      .fill('1. Call the on-call lead.\n2. Restore from the snapshot.');
    await form.getByRole('button', { name: 'Add custom field' }).click();
    await form.getByRole('textbox', { name: 'Custom field 1 name', exact: true }).fill('Runbook');
    await form
      .getByRole('textbox', { name: 'Custom field 1 value', exact: true })
      .fill('https://runbooks.example.com/restore');
    const view = await save(form, 'Secure note: Recovery steps');
    await expect(view.getByRole('region', { name: 'Notes' })).toContainText(
      '1. Call the on-call lead.\n2. Restore from the snapshot.',
    );
    await expect(shownField(view, 'Runbook')).toHaveText('https://runbooks.example.com/restore');
  });

  test('a payment card', async () => {
    const form = await newRecord(vault.page, 'Payment card');
    await form.getByRole('textbox', { name: 'Title', exact: true }).fill('Team card');
    await form.getByRole('textbox', { name: 'Cardholder', exact: true }).fill('Alice Example');
    await form.getByRole('textbox', { name: 'Brand', exact: true }).fill('Visa');
    await form
      .getByRole('textbox', { name: 'Card number', exact: true })
      .fill('4111 1111 1111 1111');
    await form.getByRole('textbox', { name: 'Expiry month (MM)', exact: true }).fill('09');
    await form.getByRole('textbox', { name: 'Expiry year (YYYY)', exact: true }).fill('2031');
    await form.getByRole('textbox', { name: 'Security code', exact: true }).fill('123');
    await form.getByRole('textbox', { name: 'PIN', exact: true }).fill('0000');
    const view = await save(form, 'Payment card: Team card');
    await expect(shownField(view, 'Cardholder')).toHaveText('Alice Example');
    await expect(shownField(view, 'Expiry')).toHaveText('09/2031');
    await expectSecret(view, 'Card number', '4111 1111 1111 1111');
    await expectSecret(view, 'Security code', '123');
    await keepScreenshot(vault.page, 'records-05-payment-card');
  });

  test('the list holds one record of every type', async () => {
    const list = vault.page.getByRole('listbox', { name: 'Records' });
    // Nine types; the SSH key and the certificate were each imported twice.
    await expect(list.getByRole('option')).toHaveCount(11);
  });

  test('the one-time code shown equals RFC 6238 computed here for the same instant', async () => {
    const { page } = vault;
    await reopenWithClock(vault, masterPassword);
    await page
      .getByRole('listbox', { name: 'Records' })
      .getByRole('option', { name: /Cloud console/ })
      .click();
    const view = page.getByRole('article', { name: 'One-time code: Cloud console' });
    const code = view.getByLabel('One-time code', { exact: true });
    await expect(code).toHaveText(/^\d{6}$/);

    // An instant 12 s into a 30 s step, at least one whole step ahead of the page's clock.
    const pageNow = await page.evaluate(() => Date.now());
    const instant = (Math.floor(pageNow / 30_000) + 2) * 30_000 + 12_000;
    await page.clock.pauseAt(instant);
    await expect(code).toHaveText(totpAt(otpSecret, instant));
    await expect(view.getByText('18 s', { exact: true })).toBeVisible();

    await page.clock.runFor(30_000);
    await expect(code).toHaveText(totpAt(otpSecret, instant + 30_000));
    expect(totpAt(otpSecret, instant + 30_000)).not.toBe(totpAt(otpSecret, instant));

    await view.getByRole('button', { name: 'Copy One-time code' }).click();
    await expect.poll(() => readClipboard(page)).toBe(totpAt(otpSecret, instant + 30_000));
    await page.clock.resume();
  });

  test('vault text that looks like markup stays text and runs nothing (EL-02)', async () => {
    const { page } = vault;
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const payloads = {
      folder: '<img src=x onerror="window.__el02=\'folder\'">',
      title: '<script>window.__el02="title"</script>',
      notes: '<svg onload="alert(1)"></svg> [x](javascript:alert(2))',
      field: '<a href="javascript:window.__el02=\'field\'">open</a>',
    };
    await createFolder(page, payloads.folder);
    const form = await newRecord(page, 'Secure note');
    await form.getByRole('textbox', { name: 'Title', exact: true }).fill(payloads.title);
    await form.getByRole('textbox', { name: 'Notes', exact: true }).fill(payloads.notes);
    await form.getByRole('button', { name: 'Add custom field' }).click();
    await form
      .getByRole('textbox', { name: 'Custom field 1 name', exact: true })
      .fill(payloads.field);
    await form
      .getByRole('textbox', { name: 'Custom field 1 value', exact: true })
      .fill(payloads.field);
    const view = await save(form, `Secure note: ${payloads.title}`);

    await expect(view.getByRole('heading', { name: payloads.title })).toBeVisible();
    await expect(view.getByRole('region', { name: 'Notes' })).toContainText(payloads.notes);
    await expect(shownField(view, payloads.field)).toHaveText(payloads.field);
    await expect(
      page.getByRole('navigation', { name: 'Folders' }).getByText(payloads.folder),
    ).toBeVisible();
    await shownField(view, payloads.field).click();
    const injected = await page.evaluate(() => ({
      flag: (window as unknown as { __el02?: string }).__el02 ?? null,
      elements: document.querySelectorAll('#root script, #root img[src="x"], #root svg[onload]')
        .length,
    }));
    expect(injected).toEqual({ flag: null, elements: 0 });
    expect(dialogs).toEqual([]);
  });
});
