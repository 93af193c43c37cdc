import { describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import {
  RecordView,
  recordTypeLabel,
  RecordTypeIcon,
} from '../../../../renderer/src/records/index.ts';
import { importCertificate } from '../../../../shared/records/cert/index.ts';
import { RECORD_TYPES, type VaultRecord } from '../../../../shared/records/schema/index.ts';
import cert12 from '../../../fixtures/cert/cert-12-ec-key-and-cert.pem?raw';
import ssh01Key from '../../../fixtures/ssh/ssh-01-ed25519-comment-spaces.key?raw';
import ssh01Expected from '../../../fixtures/ssh/ssh-01.expected.txt?raw';
import totp17 from '../../../fixtures/totp/totp-17-hotp-counter.uri.txt?raw';
import totp17Expected from '../../../fixtures/totp/totp-17.expected.txt?raw';
import { record } from './records.ts';
import { renderUi, wrap } from './render.tsx';

const handlers = () => ({ onCopy: vi.fn(), onCopyTotp: vi.fn() });

/** One record of each type with one secret, and the label its secret is shown under. */
const SECRET_OF_EACH_TYPE: readonly [VaultRecord, string, string][] = [
  [record({ type: 'login', title: 'L', password: 'login-secret-1' }), 'Password', 'login-secret-1'],
  [
    record({
      type: 'database',
      title: 'D',
      engine: 'mysql',
      host: 'db.example.com',
      password: 'db-secret-2',
    }),
    'Password',
    'db-secret-2',
  ],
  [
    record({ type: 'server', title: 'S', host: '192.0.2.7', password: 'srv-secret-3' }),
    'Password',
    'srv-secret-3',
  ],
  [
    record({ type: 'ssh-key', title: 'K', passphrase: 'ssh-secret-4' }),
    'Passphrase',
    'ssh-secret-4',
  ],
  [
    record({ type: 'certificate', title: 'C', passphrase: 'cert-secret-5' }),
    'Passphrase',
    'cert-secret-5',
  ],
  [record({ type: 'api-key', title: 'A', secret: 'api-secret-6' }), 'Secret', 'api-secret-6'],
  [
    record({
      type: 'secure-note',
      title: 'N',
      customFields: [{ kind: 'hidden', name: 'Door code', value: 'note-secret-7' }],
    }),
    'Door code',
    'note-secret-7',
  ],
  [
    record({ type: 'payment-card', title: 'P', number: '4111 1111 1111 1111' }),
    'Card number',
    '4111 1111 1111 1111',
  ],
];

describe('every record type renders, masks and reveals', () => {
  it('covers every type of the schema', () => {
    const covered = new Set([...SECRET_OF_EACH_TYPE.map(([r]) => r.type), 'one-time-code']);
    expect([...covered].sort()).toEqual([...RECORD_TYPES].sort());
  });

  for (const [subject, label, secret] of SECRET_OF_EACH_TYPE) {
    it(`${subject.type}: ${label} is masked, revealed on request and copied exactly`, async () => {
      const h = handlers();
      const screen = await renderUi(<RecordView record={subject} {...h} />);
      await expect
        .element(screen.getByText(recordTypeLabel(subject.type), { exact: true }))
        .toBeVisible();
      expect(document.body.textContent).not.toContain(secret);
      await screen.getByRole('button', { name: `Reveal ${label}` }).click();
      await expect.element(screen.getByText(secret, { exact: true })).toBeVisible();
      await screen.getByRole('button', { name: `Copy ${label}` }).click();
      expect(h.onCopy).toHaveBeenCalledWith(label, secret);
    });
  }

  it('reveals and copies from the keyboard alone', async () => {
    const h = handlers();
    const login = record({ type: 'login', title: 'Keyboard', password: 'kb-secret-8' });
    const screen = await renderUi(<RecordView record={login} {...h} />);
    await expect.element(screen.getByRole('button', { name: 'Reveal Password' })).toBeVisible();
    await userEvent.tab();
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Reveal Password');
    await userEvent.keyboard('{Enter}');
    await expect.element(screen.getByText('kb-secret-8')).toBeVisible();
    await userEvent.tab();
    await userEvent.keyboard(' ');
    expect(h.onCopy).toHaveBeenCalledWith('Password', 'kb-secret-8');
  });

  it('labels each type icon for assistive technology when it stands alone', async () => {
    const screen = await renderUi(
      <>
        {RECORD_TYPES.map((type) => (
          <RecordTypeIcon key={type} type={type} labelled />
        ))}
      </>,
    );
    for (const type of RECORD_TYPES) {
      await expect
        .element(screen.getByRole('img', { name: recordTypeLabel(type) }))
        .toBeInTheDocument();
    }
  });
});

describe('type details', () => {
  it('shows the first HOTP code at the stored counter, not the one before (totp-17)', async () => {
    const hotp = record({ type: 'one-time-code', title: 'HOTP', uri: totp17.trim() });
    const screen = await renderUi(
      <RecordView record={hotp} now={1_700_000_000_000} {...handlers()} />,
    );
    const expected = /counter 5 = (\d+)/.exec(totp17Expected)?.[1] ?? '?';
    await expect
      .element(screen.getByLabelText('One-time code', { exact: true }))
      .toHaveTextContent(expected);
    await expect.element(screen.getByText('Counter 5')).toBeVisible();
  });

  it('moves a used HOTP code on to the next counter through onRecordChange (totp-17)', async () => {
    const onRecordChange = vi.fn<(changed: VaultRecord) => void>();
    const hotp = record({ type: 'one-time-code', title: 'HOTP', uri: totp17.trim() });
    const screen = await renderUi(
      <RecordView record={hotp} now={0} onRecordChange={onRecordChange} {...handlers()} />,
    );
    await screen.getByRole('button', { name: 'Used it: show the next code' }).click();
    const changed = onRecordChange.mock.calls[0]?.[0];
    if (changed?.type !== 'one-time-code') throw new Error('expected a one-time-code record');
    expect(changed.title).toBe('HOTP');
    await screen.rerender(
      wrap(<RecordView record={changed} now={0} onRecordChange={onRecordChange} {...handlers()} />),
    );
    const expected = /counter 6 = (\d+)/.exec(totp17Expected)?.[1] ?? '?';
    await expect
      .element(screen.getByLabelText('One-time code', { exact: true }))
      .toHaveTextContent(expected);
    await expect.element(screen.getByText('Counter 6')).toBeVisible();
  });

  it('offers no next-code button when the shell cannot save', async () => {
    const hotp = record({ type: 'one-time-code', title: 'HOTP', uri: totp17.trim() });
    const screen = await renderUi(<RecordView record={hotp} now={0} {...handlers()} />);
    await expect.element(screen.getByText('Counter 5')).toBeVisible();
    expect(screen.getByRole('button', { name: /next code/ }).query()).toBeNull();
  });

  it(
    'derives the fingerprint in a worker when ' + 'only the private key is stored (ssh-01)',
    async () => {
      const key = record({ type: 'ssh-key', title: 'Only private', privateKey: ssh01Key });
      const screen = await renderUi(<RecordView record={key} {...handlers()} />);
      const fingerprint = /SHA256:[A-Za-z0-9+/]{43}/.exec(ssh01Expected)?.[0] ?? '?';
      await expect.element(screen.getByText(fingerprint)).toBeVisible();
      await expect.element(screen.getByText(/alice@example\.com work laptop$/)).toBeVisible();
    },
  );

  it('reports that the stored private key matches the leaf certificate (cert-12)', async () => {
    const imported = await importCertificate(cert12);
    const cert = record({
      type: 'certificate',
      title: 'www',
      certificateChain: imported.chainPem,
      privateKey: imported.privateKey?.pkcs8Pem ?? '',
    });
    const now = new Date('2027-01-01T00:00:00Z');
    const screen = await renderUi(<RecordView record={cert} now={now} {...handlers()} />);
    await expect.element(screen.getByText('Private key matches the certificate')).toBeVisible();
    await expect.element(screen.getByText('CN=www.example.com', { exact: true })).toBeVisible();
  });

  it('shows a live code for a login with a one-time code', async () => {
    const h = handlers();
    const login = record({
      type: 'login',
      title: 'With 2FA',
      otp: 'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example',
    });
    const screen = await renderUi(<RecordView record={login} now={0} {...h} />);
    const code = screen.getByLabelText('One-time code', { exact: true });
    await expect.element(code).toHaveTextContent(/^\d{6}$/);
    await screen.getByRole('button', { name: 'Copy One-time code' }).click();
    expect(h.onCopyTotp).toHaveBeenCalledWith(code.element().textContent);
  });
});
