import { TOTP } from 'otpauth';
import { describe, expect, it, vi } from 'vitest';
import { RecordView } from '../../../../renderer/src/records/index.ts';
import { formatOtpUri, parseOtp } from '../../../../shared/records/totp/index.ts';
import cert01 from '../../../fixtures/cert/cert-01-fullchain.pem?raw';
import cert07 from '../../../fixtures/cert/cert-07-expired.pem?raw';
import cert07Expected from '../../../fixtures/cert/cert-07.expected.txt?raw';
import ssh01Pub from '../../../fixtures/ssh/ssh-01-ed25519-comment-spaces.pub?raw';
import ssh01Expected from '../../../fixtures/ssh/ssh-01.expected.txt?raw';
import totp01 from '../../../fixtures/totp/totp-01-lowercase-secret.uri.txt?raw';
import totp01Expected from '../../../fixtures/totp/totp-01.expected.txt?raw';
import totp13 from '../../../fixtures/totp/totp-13-steam.uris.txt?raw';
import totp13Expected from '../../../fixtures/totp/totp-13.expected.txt?raw';
import { record } from './records.ts';
import { renderUi, wrap } from './render.tsx';

const handlers = () => ({ onCopy: vi.fn(), onCopyTotp: vi.fn(), onOpenLink: vi.fn() });

/** The expected code at a Unix time from a case file's "code@T=VALUE" notation. */
const expectedCode = (text: string, unix: number) =>
  new RegExp(`code@${unix}=([0-9A-Z]+)`).exec(text)?.[1];

/** The same code computed by otpauth directly, independently of Coffer's parser. */
function otpauthCode(secret: string, timestamp: number, digits = 6, period = 30) {
  return new TOTP({ secret, digits, period, algorithm: 'SHA1' }).generate({ timestamp });
}

describe('RecordView masks secrets and copies the right values', () => {
  const login = record({
    type: 'login',
    title: 'Example admin',
    username: 'alice',
    password: 'correct-horse-battery',
    urls: ['https://example.com/login', 'javascript:alert(1)'],
  });

  it('keeps the password out of the page until revealed, and hides it again', async () => {
    const screen = await renderUi(<RecordView record={login} {...handlers()} />);
    await expect.element(screen.getByText('alice')).toBeVisible();
    expect(document.body.textContent).not.toContain('correct-horse-battery');
    await screen.getByRole('button', { name: 'Reveal Password' }).click();
    await expect.element(screen.getByText('correct-horse-battery')).toBeVisible();
    await screen.getByRole('button', { name: 'Hide Password' }).click();
    await expect.element(screen.getByText('correct-horse-battery')).not.toBeInTheDocument();
  });

  it('passes the label and the exact value to onCopy', async () => {
    const h = handlers();
    const screen = await renderUi(<RecordView record={login} {...h} />);
    await screen.getByRole('button', { name: 'Copy Password' }).click();
    await screen.getByRole('button', { name: 'Copy Username' }).click();
    expect(h.onCopy.mock.calls).toEqual([
      ['Password', 'correct-horse-battery'],
      ['Username', 'alice'],
    ]);
  });

  it('opens web links only through onOpenLink, and never offers a javascript: link', async () => {
    const h = handlers();
    const screen = await renderUi(<RecordView record={login} {...h} />);
    await screen.getByRole('button', { name: 'Open Website 1' }).click();
    expect(h.onOpenLink).toHaveBeenCalledWith('https://example.com/login');
    await expect.element(screen.getByText('javascript:alert(1)')).toBeVisible();
    expect(screen.getByRole('button', { name: 'Open Website 2' }).query()).toBeNull();
    expect(document.querySelector('a[href]')).toBeNull();
  });

  it('masks hidden custom fields and shows the others', async () => {
    const h = handlers();
    const note = record({
      type: 'secure-note',
      title: 'Recovery',
      notes: 'Line one\nLine two',
      customFields: [
        { kind: 'hidden', name: 'Recovery code', value: 'RC-1234-5678' },
        { kind: 'text', name: 'Environment', value: 'staging' },
        { kind: 'boolean', name: 'Read only', value: true },
      ],
    });
    const screen = await renderUi(<RecordView record={note} {...h} />);
    await expect.element(screen.getByText('staging')).toBeVisible();
    await expect.element(screen.getByText('Yes')).toBeVisible();
    expect(document.body.textContent).not.toContain('RC-1234-5678');
    await screen.getByRole('button', { name: 'Copy Recovery code' }).click();
    expect(h.onCopy).toHaveBeenCalledWith('Recovery code', 'RC-1234-5678');
    await screen.getByRole('button', { name: 'Reveal Recovery code' }).click();
    await expect.element(screen.getByText('RC-1234-5678')).toBeVisible();
  });

  it('starts masked again when another record is shown in the same place', async () => {
    const screen = await renderUi(<RecordView record={login} {...handlers()} />);
    await screen.getByRole('button', { name: 'Reveal Password' }).click();
    await expect.element(screen.getByText('correct-horse-battery')).toBeVisible();
    const other = record({ type: 'login', title: 'Other', password: 'second-secret-value' });
    await screen.rerender(wrap(<RecordView record={other} {...handlers()} />));
    await expect.element(screen.getByRole('button', { name: 'Reveal Password' })).toBeVisible();
    expect(document.body.textContent).not.toContain('second-secret-value');
  });
});

describe('RecordView renders vault text inertly (EL-02)', () => {
  it('shows markup in titles, notes, fields and names as characters and runs nothing', async () => {
    const payload =
      '<img src=x onerror="window.__cofferPwned=1"><script>window.__cofferPwned=2</script>';
    const hostile = record({
      type: 'login',
      title: payload,
      username: payload,
      notes: `${payload}\n<a href="javascript:window.__cofferPwned=3">click</a>`,
      customFields: [{ kind: 'url', name: payload, value: 'javascript:window.__cofferPwned=4' }],
    });
    const screen = await renderUi(<RecordView record={hostile} {...handlers()} />);
    await expect.element(screen.getByRole('heading', { name: payload })).toBeVisible();
    const article = screen.getByRole('article').element();
    expect(article.querySelector('img, script, a, iframe')).toBeNull();
    expect(article.textContent).toContain(payload);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((window as { __cofferPwned?: unknown }).__cofferPwned).toBeUndefined();
  });
});

describe('RecordView one-time codes', () => {
  const uri = totp01.trim();
  const secret = /secret=([^&]+)/.exec(uri)?.[1]?.toUpperCase() ?? '';
  const otp = record({ type: 'one-time-code', title: 'Example', uri });

  it(
    'shows the case code at 1700000000, equal ' + 'to otpauth computing it directly (totp-01)',
    async () => {
      const t = 1_700_000_000_000;
      const screen = await renderUi(<RecordView record={otp} now={t} {...handlers()} />);
      const code = screen.getByLabelText('One-time code', { exact: true });
      await expect.element(code).toHaveTextContent(otpauthCode(secret, t));
      await expect
        .element(code)
        .toHaveTextContent(expectedCode(totp01Expected, 1_700_000_000) ?? '?');
    },
  );

  it('advances to the next code when time moves on, and copies the code shown', async () => {
    const h = handlers();
    const t = 2_000_000_000_000;
    const screen = await renderUi(<RecordView record={otp} now={t} {...h} />);
    const code = screen.getByLabelText('One-time code', { exact: true });
    await expect
      .element(code)
      .toHaveTextContent(expectedCode(totp01Expected, 2_000_000_000) ?? '?');
    await expect.element(screen.getByText('10 s')).toBeVisible();
    await screen.rerender(wrap(<RecordView record={otp} now={t + 30_000} {...h} />));
    const next = otpauthCode(secret, t + 30_000);
    expect(next).not.toBe(otpauthCode(secret, t));
    await expect.element(code).toHaveTextContent(next);
    await screen.getByRole('button', { name: 'Copy One-time code' }).click();
    expect(h.onCopyTotp).toHaveBeenCalledWith(next);
  });

  it('follows the wall clock with its own ticker, also across a clock jump', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    try {
      vi.setSystemTime(1_700_000_000_000);
      const screen = await renderUi(<RecordView record={otp} {...handlers()} />);
      const code = screen.getByLabelText('One-time code', { exact: true });
      await expect.element(code).toHaveTextContent(otpauthCode(secret, 1_700_000_000_000));
      // The system clock steps forward an hour (resume from suspend, NTP correction).
      vi.setSystemTime(1_700_003_600_000);
      await vi.advanceTimersByTimeAsync(1_100);
      await expect.element(code).toHaveTextContent(otpauthCode(secret, 1_700_003_601_100));
    } finally {
      vi.useRealTimers();
    }
  });

  it(
    'shows Steam Guard codes for all three Steam ' +
      'spellings, as the editor stores them (totp-13)',
    async () => {
      for (const line of totp13.split('\n').filter((l) => l.trim() !== '')) {
        const uri = formatOtpUri(parseOtp(line).entry);
        const steam = record({ type: 'one-time-code', title: 'Steam', uri });
        const screen = await renderUi(
          <RecordView record={steam} now={1_700_000_000_000} {...handlers()} />,
        );
        await expect
          .element(screen.getByLabelText('One-time code', { exact: true }))
          .toHaveTextContent(expectedCode(totp13Expected, 1_700_000_000) ?? '?');
        await screen.unmount();
      }
    },
  );

  it('says why no code can be shown for an unreadable secret', async () => {
    const bad = record({
      type: 'one-time-code',
      title: 'Broken',
      uri: 'otpauth://totp/x?secret=1',
    });
    const screen = await renderUi(<RecordView record={bad} now={0} {...handlers()} />);
    await expect.element(screen.getByText(/No code can be computed/)).toBeVisible();
  });
});

describe('RecordView SSH keys, certificates and databases', () => {
  it('shows the SSH fingerprint, type and bits, and copies the public key (ssh-01)', async () => {
    const h = handlers();
    const key = record({ type: 'ssh-key', title: 'Laptop', publicKey: ssh01Pub, privateKey: '' });
    const screen = await renderUi(<RecordView record={key} {...h} />);
    const fingerprint = /SHA256:[A-Za-z0-9+/]{43}/.exec(ssh01Expected)?.[0] ?? '?';
    await expect.element(screen.getByText(fingerprint)).toBeVisible();
    await expect.element(screen.getByText('ED25519', { exact: true })).toBeVisible();
    await expect.element(screen.getByText('256 bits')).toBeVisible();
    await screen.getByRole('button', { name: 'Copy Public key' }).click();
    expect(h.onCopy).toHaveBeenCalledWith('Public key', ssh01Pub.trim());
  });

  it('flags an expired certificate with its subject and issuer (cert-07)', async () => {
    const cert = record({ type: 'certificate', title: 'Old', certificateChain: cert07 });
    const now = new Date('2026-06-01T00:00:00Z');
    const screen = await renderUi(<RecordView record={cert} now={now} {...handlers()} />);
    const subject = /subject='([^']+)'/.exec(cert07Expected)?.[1] ?? '?';
    const issuer = /issuer='([^']+)'/.exec(cert07Expected)?.[1] ?? '?';
    await expect.element(screen.getByText(subject)).toBeVisible();
    await expect.element(screen.getByText(issuer)).toBeVisible();
    const days = Math.floor((now.getTime() - Date.UTC(2021, 0, 1)) / 86_400_000);
    await expect.element(screen.getByText(`Expired ${days} days ago`)).toBeVisible();
  });

  it('shows a badge per certificate of the chain and the leaf SANs (cert-01)', async () => {
    const cert = record({ type: 'certificate', title: 'www', certificateChain: cert01 });
    // 16 days before the leaf's notAfter (2030-12-31 23:59:59 UTC): expiring soon.
    const now = new Date('2030-12-15T23:59:59Z');
    const screen = await renderUi(<RecordView record={cert} now={now} {...handlers()} />);
    await expect.element(screen.getByText('Certificate 1 of 3')).toBeVisible();
    await expect.element(screen.getByText('Expires in 16 days')).toBeVisible();
    await expect.element(screen.getByText('DNS: www.example.com')).toBeVisible();
    await expect.element(screen.getByText('DNS: example.com', { exact: true })).toBeVisible();
    expect(screen.getByText(/^Valid, \d+ days left$/).elements()).toHaveLength(2);
  });

  it('copies the derived connection string, masked because it holds the password', async () => {
    const h = handlers();
    const db = record({
      type: 'database',
      title: 'Orders',
      engine: 'postgresql',
      host: 'db.example.com',
      database: 'orders',
      username: 'alice',
      password: 'p@ss word',
    });
    const screen = await renderUi(<RecordView record={db} {...h} />);
    await expect.element(screen.getByText('5432 (default)')).toBeVisible();
    expect(document.body.textContent).not.toContain('p%40ss');
    await screen.getByRole('button', { name: 'Copy Connection string' }).click();
    expect(h.onCopy).toHaveBeenCalledWith(
      'Connection string',
      'postgresql://alice:p%40ss%20word@db.example.com:5432/orders?sslmode=verify-full',
    );
  });
});
