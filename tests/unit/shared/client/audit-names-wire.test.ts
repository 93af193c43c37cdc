import { describe, expect, it } from 'vitest';
import { auditNames } from '../../../../shared/client/admin-wire.ts';

// The audit view tells two accounts with one e-mail apart by provider and short id
// (renderer/src/audit/account-names.ts); the client's schema must let both through.
describe('audit names as the client reads them', () => {
  const alice = 'a'.repeat(22);
  const other = 'b'.repeat(22);

  it('keeps the provider and short id the server sends with each account', () => {
    const names = auditNames.parse({
      users: {
        [alice]: {
          email: 'alice@example.com',
          issuer: 'https://id.example.com',
          shortId: 'aaaaaaaa',
        },
        [other]: {
          email: 'alice@example.com',
          issuer: 'http://127.0.0.1:9000',
          shortId: 'bbbbbbbb',
        },
      },
      devices: {},
      apps: {},
    });
    expect(names.users[alice]).toEqual({
      email: 'alice@example.com',
      issuer: 'https://id.example.com',
      shortId: 'aaaaaaaa',
    });
    expect(names.users[other]?.issuer).toBe('http://127.0.0.1:9000');
  });

  it('accepts an older server that sends the e-mail alone, and refuses oversized values', () => {
    expect(
      auditNames.parse({ users: { [alice]: { email: null } }, devices: {}, apps: {} }).users,
    ).toEqual({ [alice]: { email: null } });
    const long = {
      users: { [alice]: { email: null, issuer: 'x'.repeat(2049) } },
      devices: {},
      apps: {},
    };
    expect(() => auditNames.parse(long)).toThrow();
  });
});
