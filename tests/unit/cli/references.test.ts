import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTarget } from '../../../cli/sdk/fields.ts';
import { findRecord } from '../../../cli/sdk/lookup.ts';
import { otpCode } from '../../../cli/sdk/otp.ts';
import { parseTarget } from '../../../cli/sdk/target.ts';
import { VaultView } from '../../../cli/sdk/vault-view.ts';
import { RevisionTracker } from '../../../shared/keys/rollback.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { parseReference } from '../../../shared/notation/index.ts';
import { sealedVault } from './support/sealed-vault.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/cli');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

/** `code@<unix>=<code>` pairs from a case's expected text. */
function expectedCodes(name: string): [number, string][] {
  return [...fixture(name).matchAll(/code@(\d+)=([0-9A-Z]+)/g)].map((m) => [
    Number(m[1]),
    m[2] as string,
  ]);
}

let view: VaultView;
let id: (label: string) => string;

async function failure(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (error) {
    if (isCofferError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a CofferError');
}

async function resolve(reference: string, nowMs = Date.now()): Promise<string> {
  const parsed = parseReference(reference);
  const item = await findRecord(view, parsed.record);
  return (await readTarget(item.record, parsed, nowMs)).value;
}

beforeAll(async () => {
  const vault = await sealedVault(
    [
      { label: 'prod', name: 'Production', mode: 'editable' },
      { label: 'db', name: 'db', parent: 'prod' },
      { label: 'zurich', name: 'Zürich office', parent: 'prod' },
      { label: 'prod2', name: 'Production' },
      { label: 'ci', name: 'CI' },
      { label: 'ciDb', name: 'db', parent: 'ci' },
    ],
    [
      {
        label: 'pg',
        folder: 'db',
        content: {
          type: 'database',
          title: 'Orders DB',
          engine: 'postgresql',
          host: 'db.example.com',
          database: 'orders',
          username: 'alice',
          password: 'p@ss word/1',
          customFields: [
            { kind: 'hidden', name: 'token', value: 'first' },
            { kind: 'text', name: 'token', value: 'second' },
            { kind: 'boolean', name: 'read only', value: true },
          ],
        },
      },
      {
        label: 'slash',
        folder: 'zurich',
        content: { type: 'secure-note', title: 'a/b', notes: 'n1' },
      },
      {
        label: 'field',
        folder: 'ci',
        content: { type: 'secure-note', title: 'field', notes: 'n2' },
      },
      {
        label: 'ciPg',
        folder: 'ciDb',
        content: { type: 'secure-note', title: 'Orders DB', notes: 'ci' },
      },
      {
        label: 'deploy',
        folder: 'ci',
        content: {
          type: 'ssh-key',
          title: 'Deploy key',
          publicKey: fixture('ssh-01-ed25519-comment-spaces.pub'),
        },
      },
      {
        label: 'sha256',
        folder: 'ci',
        content: {
          type: 'one-time-code',
          title: 'sha256',
          uri: fixture('totp-05-sha256.uri.txt').trim(),
        },
      },
      {
        label: 'sha512',
        folder: 'ci',
        content: {
          type: 'one-time-code',
          title: 'sha512',
          uri: fixture('totp-06-sha512-8digits.uri.txt').trim(),
        },
      },
      {
        label: 'digits7',
        folder: 'ci',
        content: {
          type: 'one-time-code',
          title: 'digits7',
          uri: fixture('totp-20-7digits-10s.uri.txt').trim(),
        },
      },
      {
        label: 'hotp',
        folder: 'ci',
        content: {
          type: 'one-time-code',
          title: 'hotp',
          uri: fixture('totp-17-hotp-counter.uri.txt').trim(),
        },
      },
      {
        label: 'mail',
        folder: 'prod2',
        content: {
          type: 'login',
          title: 'Mail',
          urls: ['https://a.example.com', 'https://b.example.com'],
        },
      },
    ],
  );
  id = vault.id;
  view = await VaultView.open(vault.appKey, vault.snapshot, new RevisionTracker());
});

describe('reference resolution on the device', () => {
  it('finds a record by folder path and title, and by id', async () => {
    expect(await resolve('coffer://CI/db/Orders%20DB/notes')).toBe('ci');
    expect(await resolve(`coffer://${id('pg')}/field/password`)).toBe('p@ss word/1');
    expect(await resolve('coffer://Production/db/Orders%20DB/field/host')).toBe('db.example.com');
  });

  it('decodes escapes once: %2F is a slash in a title, a keyword title is escaped', async () => {
    expect(await resolve('coffer://Production/Z%C3%BCrich%20office/a%2Fb/notes')).toBe('n1');
    expect(await resolve('coffer://Production/Zürich%20office/a%2Fb/notes')).toBe('n1');
    expect(await resolve('coffer://CI/%66ield/notes')).toBe('n2');
  });

  it('matches names exactly: no case folding, no trimming', async () => {
    expect((await failure(() => resolve('coffer://CI/DB/Orders%20DB/notes'))).code).toBe(
      'not_found',
    );
    expect((await failure(() => resolve('coffer://CI/db/Orders%20DB%20/notes'))).code).toBe(
      'not_found',
    );
  });

  it('reports two top-level folders of the same name as ambiguous, naming no content', async () => {
    const error = await failure(() => resolve('coffer://Production/Mail/title'));
    expect(error.code).toBe('reference_ambiguous');
    expect(error.message).toMatch(/2 folders are called "Production"/);
  });

  it('picks among same-named custom fields by index and reads typed values', async () => {
    expect(await resolve(`coffer://${id('pg')}/custom/token`)).toBe('first');
    expect(await resolve(`coffer://${id('pg')}/custom/token[1]`)).toBe('second');
    expect(await resolve(`coffer://${id('pg')}/custom/read%20only`)).toBe('true');
    const past = await failure(() => resolve(`coffer://${id('pg')}/custom/token[2]`));
    expect(past.message).toMatch(/has 2 value\(s\); index \[2\] is past the end/);
  });

  it('lists the fields that exist when one is missing, never their values', async () => {
    const error = await failure(() => resolve(`coffer://${id('pg')}/field/pasword`));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('password');
    expect(error.message).not.toContain('p@ss word/1');
    const custom = await failure(() => resolve(`coffer://${id('pg')}/custom/nope`));
    expect(custom.message).toMatch(/it has "token", "read only"/);
    const file = await failure(() => resolve(`coffer://${id('pg')}/file/dump.sql`));
    expect(file.code).toBe('not_found');
    const property = await failure(() => resolve(`coffer://${id('pg')}/field/host[code]`));
    expect(property.message).toMatch(/no property \[code\]/);
    const index = await failure(() => resolve(`coffer://${id('pg')}/field/host[1]`));
    expect(index.message).toMatch(/only index \[0\]/);
  });

  it('derives a connection string, with the password percent-encoded', async () => {
    expect(await resolve(`coffer://${id('pg')}/field/connectionString`)).toBe(
      'postgresql://alice:p%40ss%20word%2F1@db.example.com:5432/orders?sslmode=verify-full',
    );
  });

  it('reads list fields by index', async () => {
    expect(await resolve(`coffer://${id('mail')}/field/urls`)).toBe('https://a.example.com');
    expect(await resolve(`coffer://${id('mail')}/field/urls[1]`)).toBe('https://b.example.com');
  });

  it('fingerprints an SSH public key (case ssh-01)', async () => {
    const expected = /SHA256:[A-Za-z0-9+/]+/.exec(fixture('ssh-01.expected.txt'))?.[0];
    expect(await resolve(`coffer://${id('deploy')}/field/publicKey[fingerprint]`)).toBe(expected);
  });

  it('reads plain targets: ids, folder/title paths, and refuses empty path parts', () => {
    expect(parseTarget(id('pg'))).toEqual({ record: { kind: 'id', id: id('pg') } });
    expect(parseTarget('CI/db/Orders DB').record).toEqual({
      kind: 'path',
      folders: ['CI', 'db'],
      title: 'Orders DB',
    });
    for (const bad of ['CI//x', '/CI/x', 'CI/x/', '']) {
      expect(() => parseTarget(bad)).toThrow(/empty part|Name a record/);
    }
  });
});

describe('one-time codes through references (totp cases)', () => {
  const cases: [string, string, string][] = [
    ['sha256', 'totp-05.expected.txt', 'totp-05'],
    ['sha512', 'totp-06.expected.txt', 'totp-06'],
    ['digits7', 'totp-20.expected.txt', 'totp-20'],
  ];
  for (const [label, expected, name] of cases) {
    it(`computes ${name}'s codes at the case's times`, async () => {
      const codes = expectedCodes(expected);
      expect(codes.length).toBeGreaterThan(0);
      for (const [seconds, code] of codes) {
        expect(await resolve(`coffer://${id(label)}/field/uri[code]`, seconds * 1000)).toBe(code);
      }
    });
  }

  it('computes totp-13 Steam codes for every spelling of the secret', async () => {
    const codes = expectedCodes('totp-13.expected.txt');
    const lines = fixture('totp-13-steam.uris.txt').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      for (const [seconds, code] of codes)
        expect((await otpCode(line, seconds * 1000)).code).toBe(code);
    }
  });

  it('uses the stored HOTP counter, not the next one (totp-17)', async () => {
    const first = /counter 5 = (\d+)/.exec(fixture('totp-17.expected.txt'))?.[1];
    expect(await resolve(`coffer://${id('hotp')}/field/uri[code]`)).toBe(first);
  });
});
