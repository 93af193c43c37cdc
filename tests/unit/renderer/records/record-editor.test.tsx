import { TOTP } from 'otpauth';
import { describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { RecordEditor, type RecordEditorProps } from '../../../../renderer/src/records/index.ts';
import { CofferError } from '../../../../shared/errors.ts';
import type { RecordType, VaultRecord } from '../../../../shared/records/schema/index.ts';
import { otpCodeAt, parseOtp } from '../../../../shared/records/totp/index.ts';
import { LOOK_ALIKES } from '../../../../shared/records/generator/index.ts';
import totp04 from '../../../fixtures/totp/totp-04-secret-with-spaces.manual-entry.txt?raw';
import totp04Expected from '../../../fixtures/totp/totp-04.expected.txt?raw';
import totp14 from '../../../fixtures/totp/totp-14-migration-basic.uri.txt?raw';
import totp14Expected from '../../../fixtures/totp/totp-14.expected.txt?raw';
import qrGifUrl from './fixtures/otp-qr.gif?url';
import { renderUi, wrap } from './render.tsx';

/** What fixtures/otp-qr.gif encodes (see fixtures/README.md). */
const QR_URI =
  'otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&period=30&digits=6&algorithm=SHA1';

function setup(type: RecordType, extra: Partial<RecordEditorProps> = {}) {
  const onSave = vi.fn<(records: readonly VaultRecord[]) => void | Promise<void>>();
  const onCancel = vi.fn();
  const props: RecordEditorProps = { type, onSave, onCancel, saving: false, error: null, ...extra };
  return { onSave, onCancel, props, ui: <RecordEditor {...props} /> };
}

/** A white image: decodable, but with no QR code in it. */
async function blankPng(): Promise<Blob> {
  const canvas = new OffscreenCanvas(64, 64);
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('no 2d context');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, 64, 64);
  return canvas.convertToBlob({ type: 'image/png' });
}

const saved = (onSave: ReturnType<typeof setup>['onSave']): readonly VaultRecord[] =>
  onSave.mock.calls.at(-1)?.[0] ?? [];

describe('RecordEditor templates and validation', () => {
  it('shows each schema problem next to its field and does not save', async () => {
    const { onSave, ui } = setup('database');
    const screen = await renderUi(ui);
    await screen.getByLabelText('Host').fill('db.example.com/evil');
    await screen.getByLabelText('Port').fill('99999');
    await screen.getByRole('button', { name: 'Save' }).click();
    await expect.element(screen.getByLabelText('Title')).toHaveAttribute('aria-invalid', 'true');
    await expect.element(screen.getByText('must not be empty')).toBeVisible();
    await expect.element(screen.getByText('must be from 1 to 65535')).toBeVisible();
    await expect.element(screen.getByText(/must be a host name or an IP address/)).toBeVisible();
    await expect.element(screen.getByLabelText('Port')).toHaveAttribute('aria-invalid', 'true');
    expect(onSave).not.toHaveBeenCalled();
  });

  it('saves a valid record with exactly what was typed', async () => {
    const { onSave, ui } = setup('database');
    const screen = await renderUi(ui);
    await screen.getByLabelText('Title').fill('Orders DB');
    await screen.getByLabelText('Host').fill('db.example.com');
    await screen.getByLabelText('Port').fill('6432');
    await screen.getByLabelText('Username').fill('alice');
    await screen.getByLabelText('Password', { exact: true }).fill(' pw with  spaces ');
    await screen.getByRole('button', { name: 'Save' }).click();
    await vi.waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(saved(onSave)).toEqual([
      expect.objectContaining({
        type: 'database',
        title: 'Orders DB',
        engine: 'postgresql',
        host: 'db.example.com',
        port: 6432,
        username: 'alice',
        password: ' pw with  spaces ',
        tls: true,
      }),
    ]);
  });

  it('offers a template for every record type of the schema', async () => {
    const types: RecordType[] = [
      'login',
      'database',
      'server',
      'ssh-key',
      'certificate',
      'api-key',
      'one-time-code',
      'secure-note',
      'payment-card',
    ];
    for (const type of types) {
      const { ui } = setup(type);
      const screen = await renderUi(ui);
      await expect.element(screen.getByRole('form')).toBeVisible();
      await expect.element(screen.getByLabelText('Title')).toBeVisible();
      await screen.unmount();
    }
  });

  it('keeps the edit open and shows why when saving fails', async () => {
    const { onSave, ui, props } = setup('login');
    onSave.mockRejectedValueOnce(
      new CofferError('revision_conflict', 'Someone else changed this record; reload it.'),
    );
    const screen = await renderUi(ui);
    await screen.getByLabelText('Title').fill('Example');
    await screen.getByLabelText('Username').fill('alice');
    await screen.getByRole('button', { name: 'Save' }).click();
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent('Someone else changed this record; reload it.');
    await expect.element(screen.getByLabelText('Username')).toHaveValue('alice');
    await screen.rerender(
      wrap(<RecordEditor {...props} saving={false} error="Server unreachable." />),
    );
    await expect.element(screen.getByText('Server unreachable.')).toBeVisible();
    await expect.element(screen.getByLabelText('Title')).toHaveValue('Example');
  });

  it('edits an existing record, adds and removes custom fields of several kinds', async () => {
    const initial: VaultRecord = {
      type: 'api-key',
      schemaVersion: 1,
      title: 'Payments',
      notes: '',
      customFields: [{ kind: 'text', name: 'Env', value: 'prod' }],
      favorite: false,
      service: 'Example Pay',
      keyId: 'kid-1',
      secret: 's3cret',
      url: '',
    };
    const { onSave, ui } = setup('login', { initial });
    const screen = await renderUi(ui);
    await expect.element(screen.getByRole('heading', { name: 'Edit Payments' })).toBeVisible();
    await screen.getByRole('button', { name: 'Add custom field' }).click();
    await screen.getByLabelText('Custom field 2 name').fill('Webhook token');
    await screen.getByRole('combobox', { name: 'Custom field 2 kind' }).click();
    await screen.getByRole('option', { name: 'Hidden' }).click();
    await screen.getByLabelText('Custom field 2 value', { exact: true }).fill('whk_123');
    await screen.getByRole('button', { name: 'Remove custom field 1' }).click();
    await screen.getByRole('button', { name: 'Save' }).click();
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
    expect(saved(onSave)[0]).toMatchObject({
      type: 'api-key',
      secret: 's3cret',
      customFields: [{ kind: 'hidden', name: 'Webhook token', value: 'whk_123' }],
    });
  });
});

describe('RecordEditor password generator', () => {
  async function openGenerator() {
    const { onSave, ui } = setup('login');
    const screen = await renderUi(ui);
    await screen.getByRole('button', { name: 'Generate Password' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Generate Password' });
    await expect.element(dialog).toBeVisible();
    return { screen, dialog, onSave };
  }

  it('honours length and character classes, and fills the field with the value shown', async () => {
    const { screen, dialog, onSave } = await openGenerator();
    await dialog.getByLabelText('Length').fill('16');
    await dialog.getByRole('checkbox', { name: 'Uppercase letters' }).click();
    await dialog.getByRole('checkbox', { name: 'Symbols' }).click();
    await dialog.getByLabelText('Minimum digits').fill('4');
    const preview = dialog.getByLabelText('Generated password');
    await expect.element(preview).toHaveTextContent(/^[a-z0-9]{16}$/);
    const value = preview.element().textContent ?? '';
    expect(value.replace(/\D/g, '').length).toBeGreaterThanOrEqual(4);
    await dialog.getByRole('button', { name: 'Use password', exact: true }).click();
    await expect.element(screen.getByLabelText('Password', { exact: true })).toHaveValue(value);
    await screen.getByLabelText('Title').fill('Generated');
    await screen.getByRole('button', { name: 'Save' }).click();
    await vi.waitFor(() => expect(saved(onSave)[0]).toMatchObject({ password: value }));
  });

  it('leaves out look-alike characters when asked', async () => {
    const { dialog } = await openGenerator();
    await dialog.getByLabelText('Length').fill('200');
    await dialog.getByRole('checkbox', { name: /Avoid look-alike/ }).click();
    for (let i = 0; i < 5; i += 1) {
      await dialog.getByRole('button', { name: 'Regenerate' }).click();
      const value = dialog.getByLabelText('Generated password').element().textContent ?? '';
      expect(value).toHaveLength(200);
      for (const char of LOOK_ALIKES) expect(value).not.toContain(char);
    }
  });

  it('makes passphrases with the chosen word count and separator', async () => {
    const { dialog } = await openGenerator();
    await dialog.getByText('Passphrase', { exact: true }).click();
    await dialog.getByLabelText('Words', { exact: true }).fill('4');
    await dialog.getByLabelText('Separator').fill('.');
    await expect
      .element(dialog.getByLabelText('Generated passphrase'))
      .toHaveTextContent(/^[a-z-]+\.[a-z-]+\.[a-z-]+\.[a-z-]+$/);
  });

  it('explains options that cannot make a password', async () => {
    const { dialog } = await openGenerator();
    await dialog.getByLabelText('Length').fill('3');
    await expect.element(dialog.getByRole('alert')).toHaveTextContent(/minimums add up to 4/);
    await expect
      .element(dialog.getByRole('button', { name: 'Use password', exact: true }))
      .toBeDisabled();
  });
});

describe('RecordEditor one-time codes', () => {
  it(
    'stores a pasted manual-entry secret as a ' + 'canonical URI with the case code (totp-04)',
    async () => {
      const { onSave, ui } = setup('one-time-code');
      const screen = await renderUi(ui);
      await screen.getByLabelText('Title').fill('Example');
      await screen.getByLabelText('Key URI or secret').fill(totp04.trim());
      await expect.element(screen.getByText(/Time-based, 6 digits every 30 s/)).toBeVisible();
      await screen.getByRole('button', { name: 'Save' }).click();
      await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
      const record = saved(onSave)[0];
      if (record?.type !== 'one-time-code') throw new Error('expected a one-time-code record');
      const canonical = /Canonical secret ([A-Z2-7]+)/.exec(totp04Expected)?.[1];
      expect(record.uri).toContain(`secret=${canonical}`);
      const code = otpCodeAt(parseOtp(record.uri).entry, 1_700_000_000_000).code;
      expect(code).toBe(/code@1700000000=(\d+)/.exec(totp04Expected)?.[1]);
    },
  );

  it(
    'reviews each account of a Google Authenticator ' +
      'export and saves one record per account (totp-14)',
    async () => {
      const { onSave, ui } = setup('one-time-code');
      const screen = await renderUi(ui);
      await screen.getByLabelText('Key URI or secret').fill(totp14.trim());
      const table = screen.getByRole('table', { name: 'Accounts in the export' });
      await expect.element(table.getByText('Example · alice@example.com')).toBeVisible();
      await expect.element(table.getByText('Example Org · bob@example.org')).toBeVisible();
      await expect.element(table.getByText('HOTP · counter 7')).toBeVisible();
      await screen
        .getByLabelText('Title for Example Org · bob@example.org')
        .fill('Example Org VPN');
      await screen.getByRole('button', { name: 'Save 2 records' }).click();
      await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
      const records = saved(onSave);
      expect(records.map((r) => r.title)).toEqual(['Example', 'Example Org VPN']);
      const codes = records.map((r) =>
        r.type === 'one-time-code' ? otpCodeAt(parseOtp(r.uri).entry, 1_700_000_000_000).code : '',
      );
      expect(codes).toEqual([
        /code@1700000000=(\d+)/.exec(totp14Expected)?.[1],
        /next code (\d+)/.exec(totp14Expected)?.[1],
      ]);
    },
  );

  it('lets an account of the export be left out', async () => {
    const { onSave, ui } = setup('one-time-code');
    const screen = await renderUi(ui);
    await screen.getByLabelText('Key URI or secret').fill(totp14.trim());
    await screen.getByRole('checkbox', { name: 'Add Example · alice@example.com' }).click();
    await screen.getByRole('button', { name: 'Save' }).click();
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
    expect(saved(onSave).map((r) => r.title)).toEqual(['Example Org']);
  });

  it('refuses a login code that is not a secret, next to the field', async () => {
    const { onSave, ui } = setup('login');
    const screen = await renderUi(ui);
    await screen.getByLabelText('Title').fill('Example');
    await screen.getByLabelText('One-time code').fill('not-a-secret!');
    await screen.getByRole('button', { name: 'Save' }).click();
    await expect
      .element(screen.getByLabelText('One-time code'))
      .toHaveAttribute('aria-invalid', 'true');
    expect(onSave).not.toHaveBeenCalled();
  });

  it('reads the key URI from a QR image file and stores its account', async () => {
    const { onSave, ui } = setup('one-time-code');
    const screen = await renderUi(ui);
    const gif = await (await fetch(qrGifUrl)).blob();
    const input = document.querySelector<HTMLInputElement>('input[type=file]');
    if (input === null) throw new Error('no file input');
    await userEvent.upload(input, new File([gif], 'qr.gif', { type: 'image/gif' }));
    const field = screen.getByLabelText('Key URI or secret');
    await expect.element(field).toHaveValue(QR_URI);
    await expect.element(screen.getByText(/for Example \(alice@example\.com\)/)).toBeVisible();
    await screen.getByLabelText('Title').fill('Example');
    await screen.getByRole('button', { name: 'Save' }).click();
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
    const record = saved(onSave)[0];
    if (record?.type !== 'one-time-code') throw new Error('expected a one-time-code record');
    const t = 1_700_000_000_000;
    const expected = new TOTP({ secret: 'JBSWY3DPEHPK3PXP' }).generate({ timestamp: t });
    expect(otpCodeAt(parseOtp(record.uri).entry, t).code).toBe(expected);
  });

  it('reads a pasted screenshot as a QR image and says when it holds no code', async () => {
    const { ui } = setup('one-time-code');
    const screen = await renderUi(ui);
    const transfer = new DataTransfer();
    transfer.items.add(new File([await blankPng()], 'screenshot.png', { type: 'image/png' }));
    const field = screen.getByLabelText('Key URI or secret').element();
    field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true }));
    await expect.element(screen.getByRole('alert')).toHaveTextContent('No QR code was found');
    await expect.element(screen.getByLabelText('Key URI or secret')).toHaveValue('');
  });

  it('says so when a QR image holds no code', async () => {
    const { ui } = setup('one-time-code');
    const screen = await renderUi(ui);
    const blob = await blankPng();
    const input = document.querySelector<HTMLInputElement>('input[type=file]');
    if (input === null) throw new Error('no file input');
    await userEvent.upload(input, new File([blob], 'blank.png', { type: 'image/png' }));
    await expect.element(screen.getByRole('alert')).toHaveTextContent('No QR code was found');
  });
});
