import { describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { RecordEditor } from '../../../../renderer/src/records/index.ts';
import { isCofferError } from '../../../../shared/errors.ts';
import type { VaultRecord } from '../../../../shared/records/schema/index.ts';
import { importSsh } from '../../../../shared/records/ssh/index.ts';
import cert01 from '../../../fixtures/cert/cert-01-fullchain.pem?raw';
import cert03Url from '../../../fixtures/cert/cert-03-modern-aes.p12?url';
import cert03Expected from '../../../fixtures/cert/cert-03.expected.txt?raw';
import ssh02 from '../../../fixtures/ssh/ssh-02-ed25519-bcrypt.key?raw';
import ssh02Expected from '../../../fixtures/ssh/ssh-02.expected.txt?raw';
import { renderUi } from './render.tsx';

const fingerprintIn = (text: string) => /SHA256:[A-Za-z0-9+/]{43}/.exec(text)?.[0] ?? '?';

function setup(type: 'ssh-key' | 'certificate') {
  const onSave = vi.fn<(records: readonly VaultRecord[]) => void>();
  const ui = (
    <RecordEditor type={type} onSave={onSave} onCancel={vi.fn()} saving={false} error={null} />
  );
  return { onSave, ui };
}

function fileInput(section: string): HTMLInputElement {
  const input = document.querySelector<HTMLInputElement>(
    `section[aria-label="${section}"] input[type=file]`,
  );
  if (input === null) throw new Error(`no file input in ${section}`);
  return input;
}

describe('SSH key import and generation in the editor', () => {
  it('asks for the passphrase, says when it is wrong, then imports the key (ssh-02)', async () => {
    const { onSave, ui } = setup('ssh-key');
    const screen = await renderUi(ui);
    await screen.getByLabelText('Paste a key').fill(ssh02);
    await screen.getByRole('button', { name: 'Import pasted key' }).click();
    const prompt = screen.getByLabelText('Key passphrase');
    await expect.element(prompt).toBeVisible();
    await prompt.fill('wrong');
    await screen.getByRole('button', { name: 'Unlock key' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent(/passphrase is not the one/);
    await prompt.fill('Sample-Pass-2024!');
    await screen.getByRole('button', { name: 'Unlock key' }).click();
    await expect
      .element(screen.getByText(new RegExp(fingerprintIn(ssh02Expected).replace(/[+/]/g, '\\$&'))))
      .toBeVisible();
    await screen.getByLabelText('Title').fill('Deploy key');
    await screen.getByRole('button', { name: 'Save' }).click();
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
    const record = onSave.mock.calls[0]?.[0][0];
    expect(record).toMatchObject({
      type: 'ssh-key',
      passphrase: 'Sample-Pass-2024!',
      privateKey: expect.stringContaining('BEGIN OPENSSH PRIVATE KEY'),
      publicKey: expect.stringMatching(/^ssh-ed25519 /),
    });
  });

  it(
    'shows progress and keeps the page responsive ' + 'while the key is decrypted in a worker',
    async () => {
      const { ui } = setup('ssh-key');
      const screen = await renderUi(ui);
      await screen.getByLabelText('Paste a key').fill(ssh02);
      await screen.getByRole('button', { name: 'Import pasted key' }).click();
      await screen.getByLabelText('Key passphrase').fill('Sample-Pass-2024!');
      let longestGap = 0;
      let last = performance.now();
      let ticking = true;
      const tick = () => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
        if (ticking) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const started = performance.now();
      await screen.getByRole('button', { name: 'Unlock key' }).click();
      await expect.element(screen.getByText('Reading the key…')).toBeVisible();
      await expect.element(screen.getByText(/is in the record/)).toBeVisible();
      ticking = false;
      console.info(
        `[records] bcrypt-kdf SSH import in a worker: ` +
          `${Math.round(performance.now() - started)} ms; ` +
          `longest gap between frames: ${Math.round(longestGap)} ms`,
      );
      // bcrypt-kdf with 16 rounds runs for a noticeable time; frames must keep coming meanwhile.
      expect(longestGap).toBeLessThan(250);
    },
  );

  it('generates an Ed25519 key into the record', async () => {
    const { onSave, ui } = setup('ssh-key');
    const screen = await renderUi(ui);
    await screen.getByLabelText('Title').fill('alice@example.com');
    await screen.getByRole('button', { name: 'Generate key' }).click();
    await expect.element(screen.getByText(/ssh-ed25519 key SHA256:/)).toBeVisible();
    await screen.getByRole('button', { name: 'Save' }).click();
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
    expect(onSave.mock.calls[0]?.[0][0]).toMatchObject({
      publicKey: expect.stringMatching(/^ssh-ed25519 \S+ alice@example\.com$/),
      privateKey: expect.stringContaining('BEGIN OPENSSH PRIVATE KEY'),
    });
  });

  it('generates an RSA 3072 key encrypted with the passphrase entered', async () => {
    const { onSave, ui } = setup('ssh-key');
    const screen = await renderUi(ui);
    await screen.getByLabelText('Title').fill('legacy-host');
    await screen.getByLabelText('Passphrase', { exact: true }).fill('rsa-pass-1');
    await screen.getByText('RSA 3072', { exact: true }).click();
    await screen.getByRole('button', { name: 'Generate key' }).click();
    await expect.element(screen.getByText(/ssh-rsa key SHA256:\S+ \(3072 bits\)/)).toBeVisible();
    await screen.getByRole('button', { name: 'Save' }).click();
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
    const record = onSave.mock.calls[0]?.[0][0];
    expect(record).toMatchObject({
      passphrase: 'rsa-pass-1',
      publicKey: expect.stringMatching(/^ssh-rsa /),
    });
    // The stored key is encrypted: importing it without the passphrase asks for one.
    const reimport = await importSsh(record?.type === 'ssh-key' ? record.privateKey : '').catch(
      (error: unknown) => error,
    );
    expect(isCofferError(reimport, 'passphrase_required')).toBe(true);
  });

  it('names what is wrong with text that is not a key', async () => {
    const { ui } = setup('ssh-key');
    const screen = await renderUi(ui);
    await screen
      .getByLabelText('Paste a key')
      .fill('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await screen.getByRole('button', { name: 'Import pasted key' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent(/is not an SSH key/);
  });
});

describe('certificate import in the editor', () => {
  it('imports a pasted PEM chain and suggests the leaf name as title (cert-01)', async () => {
    const { onSave, ui } = setup('certificate');
    const screen = await renderUi(ui);
    await screen.getByLabelText('Paste PEM').fill(cert01);
    await screen.getByRole('button', { name: 'Import pasted PEM' }).click();
    await expect.element(screen.getByText(/3 certificates, no private key/)).toBeVisible();
    await expect.element(screen.getByLabelText('Title')).toHaveValue('www.example.com');
    await screen.getByRole('button', { name: 'Save' }).click();
    await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
    const record = onSave.mock.calls[0]?.[0][0];
    expect(
      record?.type === 'certificate' && record.certificateChain.match(/BEGIN CERTIFICATE/g),
    ).toHaveLength(3);
  });

  it(
    'asks for the PKCS#12 password, refuses a ' + 'wrong one, and imports key and chain (cert-03)',
    async () => {
      const { onSave, ui } = setup('certificate');
      const screen = await renderUi(ui);
      const bytes = new Uint8Array(await (await fetch(cert03Url)).arrayBuffer());
      const file = new File([bytes], 'bundle.p12', { type: 'application/x-pkcs12' });
      await userEvent.upload(fileInput('Certificate import'), file);
      const password = screen.getByLabelText('File password');
      await expect.element(password).toBeVisible();
      await password.fill('not-it');
      await screen.getByRole('button', { name: 'Unlock file' }).click();
      await expect.element(screen.getByRole('alert')).toHaveTextContent('That password is wrong');
      await password.fill(/Password '([^']+)'/.exec(cert03Expected)?.[1] ?? '?');
      await screen.getByRole('button', { name: 'Unlock file' }).click();
      await expect
        .element(screen.getByText(/3 certificates and the matching private key/))
        .toBeVisible();
      await expect.element(screen.getByLabelText('Title')).toHaveValue('www.example.com');
      await screen.getByRole('button', { name: 'Save' }).click();
      await vi.waitFor(() => expect(onSave).toHaveBeenCalled());
      expect(onSave.mock.calls[0]?.[0][0]).toMatchObject({
        privateKey: expect.stringContaining('-----BEGIN PRIVATE KEY-----'),
      });
    },
  );
});
