import { CofferError } from '../../errors.ts';
import type { DatabaseEngine, DatabaseRecord } from './record-types.ts';
import { isWellFormedText } from './strings.ts';

/** Each engine's registered or customary port, used when a record leaves `port` empty. */
export const DEFAULT_PORTS: Readonly<Record<DatabaseEngine, number>> = {
  postgresql: 5432,
  mysql: 3306,
  sqlserver: 1433,
  oracle: 1521,
  mongodb: 27017,
  redis: 6379,
};

type Fields = Pick<
  DatabaseRecord,
  'engine' | 'host' | 'port' | 'database' | 'username' | 'password' | 'tls'
>;

function refuse(field: string, problem: string): CofferError {
  return new CofferError('record_invalid', `Connection string: field "${field}" ${problem}.`);
}

function checked(record: Fields): Fields {
  if (record.host === '') throw refuse('host', 'is empty');
  for (const field of ['database', 'username', 'password'] as const) {
    if (!isWellFormedText(record[field])) throw refuse(field, 'is not well-formed Unicode');
  }
  return record;
}

/**
 * RFC 3986 §2.1 percent-encoding of the UTF-8 bytes of everything but the unreserved set
 * (ALPHA / DIGIT / "-" / "." / "_" / "~"). Stricter than encodeURIComponent, which leaves
 * "!'()*" alone: every driver decodes those, and some parsers split on them.
 */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** An IPv6 literal goes in brackets inside a URI authority (RFC 3986 §3.2.2). */
function uriHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function userInfo(username: string, password: string): string {
  if (username === '' && password === '') return '';
  const pass = password === '' ? '' : `:${percentEncode(password)}`;
  return `${percentEncode(username)}${pass}@`;
}

function uri(scheme: string, record: Fields, path: string, query: string): string {
  const port = record.port ?? DEFAULT_PORTS[record.engine];
  const authority = `${userInfo(record.username, record.password)}${uriHost(record.host)}:${port}`;
  return `${scheme}://${authority}/${path}${query === '' ? '' : `?${query}`}`;
}

/**
 * ADO.NET key=value syntax: a value holding ";", a quote, a control character or leading or
 * trailing white space is enclosed in double quotes, with each inner double quote doubled.
 */
function adoValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what we look for
  const needsQuotes = /[;'"\u0000-\u001f\u007f]|^\s|\s$/.test(value);
  return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value;
}

/** libpq keyword syntax: single quotes around the value; "\" and "'" escaped with "\". */
function libpqValue(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/**
 * Oracle EZConnect credentials. A password goes in double quotes so "@", "/" and spaces stay
 * literal (passwords are case-sensitive either way). A user name is quoted only when it is not a
 * plain identifier: quoting makes Oracle match it case-sensitively, and plain names are stored
 * upper-case. Oracle names and passwords cannot contain a double quote at all.
 */
function oracleQuoted(field: 'username' | 'password', value: string): string {
  if (value.includes('"')) throw refuse(field, 'contains a double quote, which Oracle forbids');
  if (field === 'username' && /^[A-Za-z][A-Za-z0-9_$#]*$/.test(value)) return value;
  return `"${value}"`;
}

/**
 * The connection string a user copies for `record`, in the form each engine's own tools take:
 * URIs for PostgreSQL, MySQL, MongoDB and Redis; ADO.NET key=value for SQL Server; EZConnect
 * for Oracle. With `tls`, each asks for an encrypted connection that also verifies the server's
 * certificate and name; without it, the driver's default applies.
 */
export function connectionString(record: Fields): string {
  const db = checked(record);
  const database = percentEncode(db.database);
  switch (db.engine) {
    case 'postgresql':
      return uri('postgresql', db, database, db.tls ? 'sslmode=verify-full' : '');
    case 'mysql':
      return uri('mysql', db, database, db.tls ? 'ssl-mode=VERIFY_IDENTITY' : '');
    case 'mongodb':
      return uri('mongodb', db, database, db.tls ? 'tls=true' : '');
    case 'redis':
      if (!/^\d*$/.test(db.database)) throw refuse('database', 'must be a Redis database number');
      return uri(db.tls ? 'rediss' : 'redis', db, db.database, '');
    case 'sqlserver': {
      const port = db.port ?? DEFAULT_PORTS.sqlserver;
      const parts = [`Server=tcp:${db.host},${port}`];
      if (db.database !== '') parts.push(`Database=${adoValue(db.database)}`);
      if (db.username !== '') parts.push(`User ID=${adoValue(db.username)}`);
      if (db.password !== '') parts.push(`Password=${adoValue(db.password)}`);
      parts.push(db.tls ? 'Encrypt=True;TrustServerCertificate=False' : 'Encrypt=False');
      return parts.join(';');
    }
    case 'oracle': {
      const port = db.port ?? DEFAULT_PORTS.oracle;
      const credentials =
        db.username === ''
          ? ''
          : `${oracleQuoted('username', db.username)}` +
            `${db.password === '' ? '' : `/${oracleQuoted('password', db.password)}`}@`;
      // EZConnect Plus: the tcps:// protocol prefix selects TLS (Oracle 19c and later).
      if (/[\s/@"?&=]/.test(db.database)) throw refuse('database', 'is not an Oracle service name');
      const service = db.database === '' ? '' : `/${db.database}`;
      return `${credentials}${db.tls ? 'tcps:' : ''}//${uriHost(db.host)}:${port}${service}`;
    }
  }
}

/** PostgreSQL's keyword=value form (libpq "conninfo"), for tools that do not take URIs. */
export function postgresKeywordString(record: Fields): string {
  const db = checked(record);
  if (db.engine !== 'postgresql') throw refuse('engine', 'is not PostgreSQL');
  const parts = [`host=${libpqValue(db.host)}`, `port=${db.port ?? DEFAULT_PORTS.postgresql}`];
  if (db.database !== '') parts.push(`dbname=${libpqValue(db.database)}`);
  if (db.username !== '') parts.push(`user=${libpqValue(db.username)}`);
  if (db.password !== '') parts.push(`password=${libpqValue(db.password)}`);
  if (db.tls) parts.push(`sslmode=verify-full`);
  return parts.join(' ');
}
