import { describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.ts';
import { startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

const sqlite = DATABASES.filter((d) => d.name === 'sqlite');

/** The address the audit log recorded for the last sign-in. */
async function auditedAddress(h: Harness): Promise<string | undefined> {
  const rows = (await h.auditRows()).filter((row) => row.type === 'sign_in');
  return rows.at(-1)?.ip;
}

describe.each(sqlite)('client address behind proxies ($name)', (target) => {
  it('DT-04: ignores X-Forwarded-For unless a trusted proxy sent it', async () => {
    const h = await startHarness(target);
    try {
      const idToken = await h.issuer.mint(await h.nonce(), { claims: { sub: 'spoofer' } });
      const response = await h.api('POST', '/api/v1/auth/session', {
        body: { idToken },
        headers: {
          'x-forwarded-for': '198.51.100.9',
          'x-real-ip': '198.51.100.9',
          forwarded: 'for=198.51.100.9',
        },
      });
      expect(response.status).toBe(201);
      expect(await auditedAddress(h)).toBe('127.0.0.1');
    } finally {
      await h.close();
    }
  });

  it('believes the forwarded address from a configured proxy', async () => {
    const h = await startHarness(target, { trustedProxies: ['127.0.0.1'] });
    try {
      const idToken = await h.issuer.mint(await h.nonce(), { claims: { sub: 'proxied' } });
      await h.api('POST', '/api/v1/auth/session', {
        body: { idToken },
        headers: { 'x-forwarded-for': '::ffff:198.51.100.9' },
      });
      expect(await auditedAddress(h)).toBe('198.51.100.9');
    } finally {
      await h.close();
    }
  });
});
