import { describe, expect, it } from 'vitest';
import type { AuditEventView } from '../../../shared/client/index.ts';
import { accountNames, type AccountName } from '../../../renderer/src/audit/account-names.ts';
import { describeEvent } from '../../../renderer/src/audit/describe-event.ts';

const OKTA = 'https://okta.example.com';
const ENTRA = 'https://login.example.net/tenant-1/v2.0';
const VIEWER = 'v'.repeat(22);
const ALICE_OKTA = 'a'.repeat(22);
const ALICE_ENTRA = 'b'.repeat(22);
const CAROL = 'c'.repeat(22);

function account(email: string | null, issuer: string, id: string): AccountName {
  return { email, issuer, shortId: id.slice(0, 8) };
}

describe('audit account names', () => {
  it('adds the provider to two accounts with one e-mail from different providers', () => {
    const people = accountNames(
      {
        [VIEWER]: account('viewer@example.com', OKTA, VIEWER),
        [ALICE_OKTA]: account('alice@example.com', OKTA, ALICE_OKTA),
        [ALICE_ENTRA]: account('alice@example.com', ENTRA, ALICE_ENTRA),
      },
      VIEWER,
    );
    expect(people.label(ALICE_OKTA)).toBe('alice@example.com (okta.example.com)');
    expect(people.label(ALICE_ENTRA)).toBe('alice@example.com (login.example.net/tenant-1/v2.0)');
    expect(people.label(VIEWER)).toBe('viewer@example.com');
  });

  it("adds the provider to an account that is not from the viewer's provider", () => {
    const people = accountNames(
      {
        [VIEWER]: account('viewer@example.com', OKTA, VIEWER),
        [CAROL]: account('carol@example.com', ENTRA, CAROL),
      },
      VIEWER,
    );
    expect(people.label(CAROL)).toBe('carol@example.com (login.example.net/tenant-1/v2.0)');
  });

  it('keeps plain e-mails when every account is from one provider', () => {
    const people = accountNames(
      {
        [ALICE_OKTA]: account('alice@example.com', OKTA, ALICE_OKTA),
        [CAROL]: account('carol@example.com', OKTA, CAROL),
      },
      VIEWER,
    );
    expect(people.label(ALICE_OKTA)).toBe('alice@example.com');
    expect(people.label(CAROL)).toBe('carol@example.com');
  });

  it('shows the provider once the page mentions two, when the viewer is not on it', () => {
    const people = accountNames(
      {
        [ALICE_OKTA]: account('alice@example.com', OKTA, ALICE_OKTA),
        [CAROL]: account('carol@example.com', ENTRA, CAROL),
      },
      VIEWER,
    );
    expect(people.label(ALICE_OKTA)).toBe('alice@example.com (okta.example.com)');
  });

  it('adds the short id when one provider has two accounts with one e-mail', () => {
    const people = accountNames(
      {
        [VIEWER]: account('viewer@example.com', OKTA, VIEWER),
        [ALICE_OKTA]: account('alice@example.com', OKTA, ALICE_OKTA),
        [CAROL]: account('alice@example.com', OKTA, CAROL),
      },
      VIEWER,
    );
    expect(people.label(ALICE_OKTA)).toBe('alice@example.com (id aaaaaaaa)');
    expect(people.label(CAROL)).toBe('alice@example.com (id cccccccc)');
  });

  it('still tells twins apart by id when the server sends only e-mails', () => {
    const people = accountNames(
      { [ALICE_OKTA]: { email: 'alice@example.com' }, [CAROL]: { email: 'alice@example.com' } },
      null,
    );
    expect(people.label(ALICE_OKTA)).toBe('alice@example.com (id aaaaaaaa)');
    expect(people.label(CAROL)).toBe('alice@example.com (id cccccccc)');
  });

  it('says in the detail that the e-mail is the current one, with provider and id', () => {
    const people = accountNames(
      { [ALICE_OKTA]: account('alice@example.com', OKTA, ALICE_OKTA) },
      null,
    );
    expect(people.detail(ALICE_OKTA)).toBe(
      'alice@example.com, the account’s current e-mail · provider https://okta.example.com · ' +
        'account id aaaaaaaa',
    );
  });

  it('names the actor of an event by its page label', () => {
    const names = {
      users: {
        [VIEWER]: account('viewer@example.com', OKTA, VIEWER),
        [ALICE_ENTRA]: account('alice@example.com', ENTRA, ALICE_ENTRA),
      },
      devices: {},
      apps: {},
    };
    const event: AuditEventView = {
      seq: 1,
      time: '2026-12-04T20:10:06.000Z',
      type: 'sign_in',
      outcome: 'success',
      actorUserId: ALICE_ENTRA,
      ip: '127.0.0.1',
      prevHash: '0'.repeat(64),
      hash: '1'.repeat(64),
    };
    const shown = describeEvent(
      event,
      names,
      {
        folderName: () => undefined,
        recordTitle: () => undefined,
      },
      accountNames(names.users, VIEWER),
    );
    expect(shown.actor).toBe('alice@example.com (login.example.net/tenant-1/v2.0)');
    expect(shown.sentence).toBe('alice@example.com (login.example.net/tenant-1/v2.0) signed in');
  });
});
