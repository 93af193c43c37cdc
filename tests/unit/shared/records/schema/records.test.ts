import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../../../shared/errors.ts';
import {
  RECORD_TYPES,
  SEARCHABLE_FIELDS,
  SECRET_FIELDS,
  isSecretCustomField,
  isSecretField,
  parseRecord,
  searchableText,
  validateRecord,
  type RecordType,
} from '../../../../../shared/records/schema/index.ts';

const base = { schemaVersion: 1 };

/** One valid, fully filled-in example per type, with fake data. */
const good: Record<RecordType, Record<string, unknown>> = {
  login: {
    ...base,
    type: 'login',
    title: 'Example mail',
    username: 'alice@example.com',
    password: 'correct-horse-1',
    urls: ['https://mail.example.com', 'https://webmail.example.com'],
    otp: 'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example',
  },
  database: {
    ...base,
    type: 'database',
    title: 'Orders DB (prod)',
    engine: 'postgresql',
    host: 'db.example.com',
    port: 5433,
    database: 'orders',
    username: 'app',
    password: 'p@ss:w/rd',
    tls: true,
  },
  server: {
    ...base,
    type: 'server',
    title: 'Build agent',
    host: '192.0.2.10',
    port: 22,
    username: 'deploy',
    password: 'x',
    platform: 'windows',
  },
  'ssh-key': {
    ...base,
    type: 'ssh-key',
    title: 'Deploy key',
    username: 'git',
    host: 'git.example.com',
    privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
    publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@example.com',
  },
  certificate: {
    ...base,
    type: 'certificate',
    title: 'www.example.com',
    certificateChain: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    privateKey: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
    passphrase: '',
  },
  'api-key': {
    ...base,
    type: 'api-key',
    title: 'Payments sandbox',
    service: 'Example Payments',
    keyId: 'AKIAEXAMPLE',
    secret: 'sk_test_example',
    url: 'https://api.example.com',
  },
  'one-time-code': {
    ...base,
    type: 'one-time-code',
    title: 'Example SSO',
    uri: 'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&digits=8&algorithm=SHA256',
  },
  'secure-note': { ...base, type: 'secure-note', title: 'Recovery codes', notes: 'one\ntwo' },
  'payment-card': {
    ...base,
    type: 'payment-card',
    title: 'Test Visa',
    cardholder: 'Alice Example',
    number: '4111 1111 1111 1111',
    expiryMonth: '09',
    expiryYear: '2031',
    securityCode: '123',
  },
};

/** A broken variant per type, and the field the error must name. */
const bad: [RecordType, Record<string, unknown>, string][] = [
  ['login', { password: 42 }, 'password'],
  ['login', { urls: 'https://example.com' }, 'urls'],
  ['login', { otp: 'https://example.com/otp' }, 'otp'],
  ['database', { engine: 'sqlite' }, 'engine'],
  ['database', { port: 70000 }, 'port'],
  ['database', { port: 5432.5 }, 'port'],
  ['database', { host: 'db.example.com/evil' }, 'host'],
  ['database', { host: 'user@db.example.com' }, 'host'],
  ['database', { tls: 'yes' }, 'tls'],
  ['server', { host: 'a b' }, 'host'],
  ['server', { platform: 'solaris' }, 'platform'],
  ['ssh-key', { privateKey: 'x'.repeat(300_000) }, 'privateKey'],
  ['certificate', { certificateChain: null }, 'certificateChain'],
  ['api-key', { secret: ['sk'] }, 'secret'],
  ['one-time-code', { uri: '' }, 'uri'],
  ['one-time-code', { uri: 'JBSWY3DPEHPK3PXP' }, 'uri'],
  ['secure-note', { title: '' }, 'title'],
  ['payment-card', { number: '4111-1111-abcd' }, 'number'],
  ['payment-card', { number: '4111' }, 'number'],
  ['payment-card', { expiryMonth: '13' }, 'expiryMonth'],
  ['payment-card', { securityCode: '12345' }, 'securityCode'],
];

function problemFields(input: unknown): string[] {
  const result = validateRecord(input);
  return result.ok ? [] : result.problems.map((problem) => problem.field);
}

describe('record schemas', () => {
  it('accept a valid record of every type', () => {
    expect(Object.keys(good).sort()).toEqual([...RECORD_TYPES].sort());
    for (const type of RECORD_TYPES) {
      const record = parseRecord(good[type]);
      expect(record.type).toBe(type);
      expect(record).toMatchObject(good[type] ?? {});
    }
  });

  it('fill in defaults for members left out', () => {
    const record = parseRecord({ ...base, type: 'database', title: 'db', engine: 'redis' });
    expect(record).toMatchObject({
      host: '',
      password: '',
      tls: true,
      notes: '',
      customFields: [],
    });
    expect('port' in record).toBe(false);
  });

  it.each(bad.map(([type, change, field]) => [type, field, change] as const))(
    'reject a bad %s record and name the field %s',
    (type, field, change) => {
      const input = { ...good[type], ...change };
      expect(problemFields(input)).toContain(field);
      let caught: unknown;
      try {
        parseRecord(input);
      } catch (error) {
        caught = error;
      }
      expect(isCofferError(caught, 'record_invalid')).toBe(true);
      expect((caught as Error).message).toContain(`"${field}"`);
      expect((caught as Error).message).toContain(`Invalid ${type} record`);
    },
  );

  it('reject a missing title, an unknown type, an unknown member and a newer schema', () => {
    const untitled = { ...good.login };
    delete untitled['title'];
    expect(problemFields(untitled)).toContain('title');
    expect(problemFields({ ...good.login, type: 'wallet' })).toEqual(['type']);
    expect(problemFields({ ...good.login, colour: 'red' })).toEqual(['record']);
    expect(() => parseRecord({ ...good.login, colour: 'red' })).toThrow(/unknown members "colour"/);
    expect(() => parseRecord({ ...good.login, schemaVersion: 2 })).toThrow(/newer.*update Coffer/);
    expect(problemFields({ ...good.login, schemaVersion: 0 })).toEqual(['schemaVersion']);
    expect(problemFields(null)).toEqual(['record']);
    expect(problemFields([good.login])).toEqual(['record']);
  });

  it('never put a secret value in a validation message', () => {
    const secret = 'hunter2-SECRET-VALUE';
    const inputs = [
      { ...good['payment-card'], number: `${secret}` },
      { ...good.login, otp: secret },
      { ...good['one-time-code'], uri: secret },
      { ...good.database, host: secret + '/x' },
      { ...good.login, customFields: [{ kind: 'date', name: 'renewal', value: secret }] },
      { ...good.login, [`${secret} with spaces`]: 1 },
    ];
    for (const input of inputs) {
      expect(() => parseRecord(input)).toThrow();
      try {
        parseRecord(input);
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
  });

  it('keep strings exactly as typed: no trimming, no Unicode normalisation (gen-06)', () => {
    const lines = readFileSync(
      new URL('../../../../fixtures/gen/gen-06-unicode-and-empty.txt', import.meta.url),
      'utf8',
    ).split('\n');
    const nfd = lines[3] ?? '';
    expect(nfd).not.toBe(nfd.normalize('NFC'));
    for (const line of lines.slice(1, 6)) {
      const padded = `  ${line} `;
      const record = parseRecord({ ...good.login, title: padded, password: padded, notes: line });
      if (record.type !== 'login') throw new Error('type changed');
      expect(record.password).toBe(padded);
      expect(record.title).toBe(padded);
      expect(record.notes).toBe(line);
    }
    const record = parseRecord({ ...good.login, password: nfd });
    expect(record.type === 'login' && record.password).toBe(nfd);
    expect(record.type === 'login' && record.password.normalize('NFC')).not.toBe(nfd);
  });

  it('refuse unpaired surrogates, which could not be stored as UTF-8', () => {
    expect(problemFields({ ...good.login, password: 'abc\ud800' })).toEqual(['password']);
    expect(problemFields({ ...good.login, title: '\udc00' })).toEqual(['title']);
    expect(problemFields({ ...good.login, password: 'key 🔑' })).toEqual([]);
  });

  it(
    'accept IPv4, IPv6 and host names, refuse ' + 'anything that could break a connection string',
    () => {
      for (const host of ['db.example.com', 'db-1', '192.0.2.1', '::1', '[2001:db8::1]', 'DB_01']) {
        expect(problemFields({ ...good.database, host })).toEqual([]);
      }
      for (const host of [
        'db.example.com:5432',
        'a;b',
        '[::1',
        'db example',
        '-db',
        'db?x',
        'é.example',
      ]) {
        expect(problemFields({ ...good.database, host })).toEqual(['host']);
      }
    },
  );
});

describe('custom fields', () => {
  it('accept every kind on any record, and mark hidden ones secret', () => {
    const customFields = [
      { kind: 'text', name: 'env', value: 'prod' },
      { kind: 'hidden', name: 'api token', value: 'tok' },
      { kind: 'boolean', name: 'read only', value: true },
      { kind: 'url', name: 'console', value: 'https://console.example.com' },
      { kind: 'email', name: 'owner', value: 'alice@example.com' },
      { kind: 'date', name: 'rotate by', value: '2030-01-31' },
    ];
    for (const type of RECORD_TYPES) {
      const record = parseRecord({ ...good[type], customFields });
      expect(record.customFields).toEqual(customFields);
      expect(record.customFields.map(isSecretCustomField)).toEqual([
        false,
        true,
        false,
        false,
        false,
        false,
      ]);
    }
  });

  it('reject bad custom fields, naming their position', () => {
    const cases: [unknown, string][] = [
      [{ kind: 'boolean', name: 'x', value: 'true' }, 'customFields[0].value'],
      [{ kind: 'text', name: '', value: 'v' }, 'customFields[0].name'],
      [{ kind: 'colour', name: 'x', value: 'red' }, 'customFields[0].kind'],
      [{ kind: 'date', name: 'x', value: '2030-13-01' }, 'customFields[0].value'],
      [{ kind: 'email', name: 'x', value: 'not an address' }, 'customFields[0].value'],
    ];
    for (const [field, path] of cases) {
      expect(problemFields({ ...good.server, customFields: [field] })).toContain(path);
    }
  });
});

describe('field roles', () => {
  it('mask the secrets of every type and never make a secret searchable', () => {
    expect(isSecretField('login', 'password')).toBe(true);
    expect(isSecretField('ssh-key', 'privateKey')).toBe(true);
    expect(isSecretField('payment-card', 'securityCode')).toBe(true);
    expect(isSecretField('login', 'username')).toBe(false);
    for (const type of RECORD_TYPES) {
      const schemaFields = Object.keys(parseRecord(good[type]));
      for (const field of [...SECRET_FIELDS[type], ...SEARCHABLE_FIELDS[type]]) {
        expect(schemaFields).toContain(field);
      }
      const secret = new Set<string>(SECRET_FIELDS[type]);
      expect(SEARCHABLE_FIELDS[type].filter((field) => secret.has(field))).toEqual([]);
      expect(SEARCHABLE_FIELDS[type]).toContain('title');
    }
  });

  it('search title, username, host, URLs and notes, never the password', () => {
    const login = parseRecord({ ...good.login, notes: 'rotated monthly' });
    expect(searchableText(login)).toEqual([
      'Example mail',
      'alice@example.com',
      'https://mail.example.com',
      'https://webmail.example.com',
      'rotated monthly',
    ]);
    expect(searchableText(parseRecord(good.database))).toEqual([
      'Orders DB (prod)',
      'app',
      'db.example.com',
    ]);
    expect(searchableText(login)).not.toContain('correct-horse-1');
  });
});
