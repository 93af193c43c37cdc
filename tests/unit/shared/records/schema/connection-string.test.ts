import { describe, expect, it } from 'vitest';
import {
  connectionString,
  parseRecord,
  percentEncode,
  postgresKeywordString,
  type DatabaseEngine,
  type DatabaseRecord,
} from '../../../../../shared/records/schema/index.ts';

const awkwardPassword = `p@ss:w/o?r#d%25 [x]'"; \\ é🔑+&=`;
const awkwardUser = 'al!ce@corp:x';
const awkwardDatabase = 'orders/2024 é?';

function database(engine: DatabaseEngine, extra: Record<string, unknown> = {}): DatabaseRecord {
  const record = parseRecord({
    schemaVersion: 1,
    type: 'database',
    title: 'db',
    engine,
    host: 'db.example.com',
    username: awkwardUser,
    password: awkwardPassword,
    database: awkwardDatabase,
    ...extra,
  });
  if (record.type !== 'database') throw new Error('not a database record');
  return record;
}

/** Splits an ADO.NET connection string the way SqlClient documents it, undoing the quoting. */
function parseAdoNet(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let rest = text;
  while (rest !== '') {
    const eq = rest.indexOf('=');
    const key = rest.slice(0, eq).trim().toLowerCase();
    rest = rest.slice(eq + 1);
    let value: string;
    if (rest.startsWith('"')) {
      let i = 1;
      value = '';
      for (;;) {
        const next = rest.indexOf('"', i);
        if (rest[next + 1] === '"') {
          value += rest.slice(i, next + 1);
          i = next + 2;
        } else {
          value += rest.slice(i, next);
          rest = rest.slice(next + 1).replace(/^;/, '');
          break;
        }
      }
    } else {
      const end = rest.indexOf(';');
      value = end === -1 ? rest : rest.slice(0, end);
      rest = end === -1 ? '' : rest.slice(end + 1);
    }
    out.set(key, value);
  }
  return out;
}

/** Undoes libpq conninfo quoting: 'value' with \' and \\ escapes. */
function parseLibpq(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const pattern = /(\w+)=(?:'((?:[^'\\]|\\.)*)'|(\S+))/g;
  for (const match of text.matchAll(pattern)) {
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    out.set(match[1] ?? '', value);
  }
  return out;
}

describe('connection strings', () => {
  it.each([
    ['postgresql', 'postgresql:', '5432', 'sslmode=verify-full'],
    ['mysql', 'mysql:', '3306', 'ssl-mode=VERIFY_IDENTITY'],
    ['mongodb', 'mongodb:', '27017', 'tls=true'],
  ] as const)(
    '%s: URI whose parts decode back to the exact values',
    (engine, scheme, port, tls) => {
      const text = connectionString(database(engine));
      const url = new URL(text);
      expect(url.protocol).toBe(scheme);
      expect(url.hostname).toBe('db.example.com');
      expect(url.port).toBe(port);
      expect(decodeURIComponent(url.username)).toBe(awkwardUser);
      expect(decodeURIComponent(url.password)).toBe(awkwardPassword);
      expect(decodeURIComponent(url.pathname.slice(1))).toBe(awkwardDatabase);
      expect(url.search).toBe(`?${tls}`);
      expect(url.hash).toBe('');
      // Exactly one "@" and one "?": nothing in the values escaped its component.
      expect(text.split('@')).toHaveLength(2);
      expect(text.split('?')).toHaveLength(2);
    },
  );

  it('redis: rediss:// for TLS, a numeric database, the default user when none is given', () => {
    const text = connectionString(database('redis', { username: '', database: '3' }));
    const url = new URL(text);
    expect(url.protocol).toBe('rediss:');
    expect(url.username).toBe('');
    expect(decodeURIComponent(url.password)).toBe(awkwardPassword);
    expect(url.pathname).toBe('/3');
    expect(connectionString(database('redis', { tls: false, database: '' }))).toMatch(
      /^redis:\/\//,
    );
    expect(() => connectionString(database('redis', { database: 'cache' }))).toThrow(
      /"database" must be a Redis database number/,
    );
  });

  it('sqlserver: ADO.NET key=value, quoting values with ";" or quotes', () => {
    const text = connectionString(database('sqlserver', { port: 14330 }));
    const parts = parseAdoNet(text);
    expect(parts.get('server')).toBe('tcp:db.example.com,14330');
    expect(parts.get('user id')).toBe(awkwardUser);
    expect(parts.get('password')).toBe(awkwardPassword);
    expect(parts.get('database')).toBe(awkwardDatabase);
    expect(parts.get('encrypt')).toBe('True');
    expect(parts.get('trustservercertificate')).toBe('False');
    const plain = connectionString(database('sqlserver', { password: 'simple', tls: false }));
    expect(plain).toContain(';Password=simple;Encrypt=False');
    const spaced = parseAdoNet(connectionString(database('sqlserver', { password: ' edge ' })));
    expect(spaced.get('password')).toBe(' edge ');
  });

  it('oracle: EZConnect with a quoted password, tcps:// for TLS', () => {
    const password = awkwardPassword.replace('"', '');
    const text = connectionString(
      database('oracle', { username: 'app_user', password, database: 'ORCLPDB1' }),
    );
    expect(text).toBe(`app_user/"${password}"@tcps://db.example.com:1521/ORCLPDB1`);
    expect(() => connectionString(database('oracle', { database: 'ORCL' }))).toThrow(
      /"password" contains a double quote, which Oracle forbids/,
    );
    const plain = connectionString(
      database('oracle', { username: 'svc user', password: 'a@b/c', database: 'ORCL', tls: false }),
    );
    expect(plain).toBe('"svc user"/"a@b/c"@//db.example.com:1521/ORCL');
  });

  it('postgres keyword form: single-quoted values with backslash escapes', () => {
    const text = postgresKeywordString(database('postgresql', { port: 6432 }));
    const parts = parseLibpq(text);
    expect(parts.get('host')).toBe('db.example.com');
    expect(parts.get('port')).toBe('6432');
    expect(parts.get('user')).toBe(awkwardUser);
    expect(parts.get('password')).toBe(awkwardPassword);
    expect(parts.get('dbname')).toBe(awkwardDatabase);
    expect(parts.get('sslmode')).toBe('verify-full');
    expect(() => postgresKeywordString(database('mysql'))).toThrow(/not PostgreSQL/);
  });

  it('puts IPv6 hosts in brackets and uses each engine’s default port', () => {
    const text = connectionString(database('postgresql', { host: '2001:db8::5', tls: false }));
    expect(new URL(text).hostname).toBe('[2001:db8::5]');
    expect(new URL(text).port).toBe('5432');
    expect(text).not.toContain('?');
  });

  it('refuses to build a string without a host', () => {
    expect(() => connectionString(database('mysql', { host: '' }))).toThrow(/"host" is empty/);
  });

  it('percent-encodes everything outside the RFC 3986 unreserved set', () => {
    expect(percentEncode("AZaz09-._~!*'()")).toBe('AZaz09-._~%21%2A%27%28%29');
    expect(percentEncode('é🔑')).toBe('%C3%A9%F0%9F%94%91');
  });
});
