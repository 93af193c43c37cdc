import { describe, expect, it } from 'vitest';
import { checkListFields, summaryOf } from '../../../../shared/client/record-summary.ts';
import { searchTextOf } from '../../../../shared/client/search-index.ts';
import {
  LIMITS,
  RECORD_TYPES,
  validateRecord,
  type RecordType,
} from '../../../../shared/records/schema/index.ts';

/** One valid record of each type, with every member the list reads filled in. */
const VALID: Record<RecordType, Record<string, unknown>> = {
  login: {
    username: 'alice@example.com',
    password: 'pw',
    urls: ['https://app.example.com', 'https://alt.example.com'],
    notes: 'Rotated quarterly.',
  },
  database: { engine: 'postgresql', host: 'db.example.com', username: 'app', port: 5432 },
  server: { host: '10.0.0.7', username: 'root', platform: 'linux' },
  'ssh-key': { host: 'bastion.example.com', username: 'deploy' },
  certificate: { notes: 'Wildcard for example.com' },
  'api-key': { service: 'Example API', keyId: 'k1', secret: 's', url: 'https://api.example.com' },
  'one-time-code': { uri: 'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP' },
  'secure-note': { notes: 'A note' },
  'payment-card': { cardholder: 'Alice Example', number: '4111 1111 1111 1111' },
};

const record = (type: RecordType, extra: Record<string, unknown> = {}) => ({
  type,
  schemaVersion: 1,
  title: `${type} title`,
  favorite: true,
  ...VALID[type],
  ...extra,
});

/** The members besides title and favourite the list reads: its second line and the search. */
const LISTED: Record<RecordType, readonly string[]> = {
  login: ['username', 'urls', 'notes'],
  database: ['username', 'host', 'notes'],
  server: ['username', 'host', 'notes'],
  'ssh-key': ['username', 'host', 'notes'],
  certificate: ['notes'],
  'api-key': ['service', 'url', 'notes'],
  'one-time-code': ['notes'],
  'secure-note': ['notes'],
  'payment-card': ['cardholder', 'notes'],
};

/** Values a list member may be given that the full schema refuses. */
const BAD_VALUES: readonly unknown[] = [
  42,
  null,
  ['x'],
  { text: 'x' },
  '\uD800 lone surrogate',
  'x'.repeat(LIMITS.notes + 1),
];

const URL_LISTS = [
  ['x'.repeat(LIMITS.url)],
  ['x'.repeat(LIMITS.url + 1)],
  Array<string>(LIMITS.urls).fill('u'),
  Array<string>(LIMITS.urls + 1).fill('u'),
  [7],
];

/** Lengths on either side of each bound, so a bound set too tight or too loose shows. */
const LENGTHS = [LIMITS.title, LIMITS.short, LIMITS.url, 253, 255].flatMap((n) => [
  'x'.repeat(n),
  'x'.repeat(n + 1),
]);

describe('the list check run at unlock', () => {
  it('accepts every record the full schema accepts, with the same summary and search text', () => {
    for (const type of RECORD_TYPES) {
      for (const input of [
        record(type),
        { type, schemaVersion: 1, title: 'minimal', ...VALID[type] },
      ]) {
        const full = validateRecord(input);
        expect(full.ok, type).toBe(true);
        if (!full.ok) continue;
        const listed = checkListFields(JSON.parse(JSON.stringify(input)));
        expect(listed).toEqual({
          ok: true,
          summary: summaryOf(full.record),
          searchText: searchTextOf(full.record),
        });
      }
    }
  });

  it('shows the username, host, service or cardholder on the second line', () => {
    const subtitles = RECORD_TYPES.map((type) => {
      const listed = checkListFields(record(type));
      return listed.ok ? listed.summary.subtitle : null;
    });
    expect(subtitles).toEqual([
      'alice@example.com',
      'app',
      'root',
      'deploy',
      '',
      'Example API',
      '',
      '',
      'Alice Example',
    ]);
    const hostOnly = checkListFields(record('database', { username: '' }));
    expect(hostOnly.ok && hostOnly.summary.subtitle).toBe('db.example.com');
  });

  it('judges every member it reads exactly as the full schema does, and no other', () => {
    let refused = 0;
    for (const type of RECORD_TYPES) {
      const members = ['title', 'favorite', 'schemaVersion', 'type', ...Object.keys(VALID[type])];
      for (const member of [...members, 'notes', 'unknownMember']) {
        const read = ['title', 'favorite', 'schemaVersion', 'type', ...LISTED[type]];
        for (const value of [...BAD_VALUES, ...LENGTHS, ...URL_LISTS, '', 'a/b', 2, true]) {
          const input = record(type, { [member]: value });
          const listed = checkListFields(input).ok;
          const full = validateRecord(input).ok;
          if (read.includes(member))
            expect(listed, `${type}.${member} ${JSON.stringify(value)?.slice(0, 40)}`).toBe(full);
          else expect(listed, `${type}.${member}`).toBe(true);
          if (!listed) refused += 1;
        }
      }
    }
    // The list members themselves are checked at unlock, not left to the first opening.
    for (const member of ['title', 'username', 'urls', 'notes', 'favorite']) {
      expect(checkListFields(record('login', { [member]: 42 })).ok, member).toBe(false);
    }
    expect(checkListFields(record('database', { host: 'db/x' })).ok).toBe(false);
    expect(checkListFields(record('login', { urls: Array(LIMITS.urls + 1).fill('u') })).ok).toBe(
      false,
    );
    expect(checkListFields(record('login', { title: '' })).ok).toBe(false);
    expect(refused).toBeGreaterThan(100);
  });

  it('refuses what is not a record at all', () => {
    for (const value of [null, 'login', [], 7, { type: 'unknown', schemaVersion: 1, title: 't' }]) {
      expect(checkListFields(value).ok).toBe(false);
    }
    expect(checkListFields(record('login', { schemaVersion: 2 })).ok).toBe(false);
  });

  it('leaves members it does not list to the full schema, run when the record is opened', () => {
    const input = record('login', { password: 42, unknownMember: 'x' });
    expect(checkListFields(input).ok).toBe(true);
    expect(validateRecord(input).ok).toBe(false);
  });
});
