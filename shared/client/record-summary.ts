import {
  isHost,
  isWellFormedText,
  LIMITS,
  RECORD_SCHEMA_VERSION,
  RECORD_TYPES,
  SEARCHABLE_FIELDS,
  type RecordType,
  type VaultRecord,
} from '../records/schema/index.ts';
import { searchTextOf } from './search-index.ts';

/**
 * What the record list shows, sorts and filters by. At unlock only these fields (and the search
 * text) are decoded from each record (issue #4); the whole record is decoded and validated in
 * full when it is opened, edited or copied from (RecordEntry.record).
 */
export interface RecordSummary {
  readonly type: RecordType;
  readonly title: string;
  /** The list's second line: the first of these members that is not empty. */
  readonly subtitle: string;
  readonly favorite: boolean;
}

/** Per type, the members the list's second line is taken from, in order of preference. */
const SUBTITLE_FIELDS: { readonly [T in RecordType]: readonly string[] } = {
  login: ['username'],
  database: ['username', 'host'],
  server: ['username', 'host'],
  'ssh-key': ['username', 'host'],
  certificate: [],
  'api-key': ['service'],
  'one-time-code': [],
  'secure-note': [],
  'payment-card': ['cardholder'],
};

/**
 * Every member the summary or the search text reads, with the bound shared/records/schema puts
 * on it, so a record the full schema accepts always passes the list check, and one the list
 * check refuses never passes the full schema (tests/unit/shared/client/record-summary.test.ts).
 */
const TEXT_LIMITS: Readonly<Record<string, number>> = {
  title: LIMITS.title,
  username: LIMITS.short,
  service: LIMITS.short,
  cardholder: LIMITS.short,
  url: LIMITS.url,
  notes: LIMITS.notes,
};
const HOST_MAX = 255;

function subtitleOf(type: RecordType, values: Record<string, unknown>): string {
  for (const field of SUBTITLE_FIELDS[type]) {
    const value = values[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '';
}

export function summaryOf(record: VaultRecord): RecordSummary {
  const values = record as unknown as Record<string, unknown>;
  const { type, title, favorite } = record;
  return { type, title, subtitle: subtitleOf(type, values), favorite };
}

export type ListFields =
  | { readonly ok: true; readonly summary: RecordSummary; readonly searchText: string }
  | { readonly ok: false };

const REFUSED: ListFields = { ok: false };

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max && isWellFormedText(value);
}

/** One member read by the list, checked as the full schema checks it; absent takes its default. */
function fieldIsValid(field: string, value: unknown): boolean {
  if (value === undefined) return true;
  if (field === 'host') return isText(value, HOST_MAX) && (value === '' || isHost(value));
  if (field === 'urls') {
    return (
      Array.isArray(value) &&
      value.length <= LIMITS.urls &&
      value.every((url) => isText(url, LIMITS.url))
    );
  }
  const max = TEXT_LIMITS[field];
  return max !== undefined && isText(value, max);
}

/**
 * The list check run on every record at unlock, in place of the full schema (which costs
 * several times more per record and is run when the record is opened): the type, the schema
 * version and every member the summary and the search text read. Anything else in the record —
 * secrets, custom fields, unknown members — is validated when the record is opened.
 */
export function checkListFields(value: unknown): ListFields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return REFUSED;
  const values = value as Record<string, unknown>;
  const type = values.type;
  if (typeof type !== 'string' || !(RECORD_TYPES as readonly string[]).includes(type)) {
    return REFUSED;
  }
  if (values.schemaVersion !== RECORD_SCHEMA_VERSION) return REFUSED;
  const title = values.title;
  if (!isText(title, LIMITS.title) || title === '') return REFUSED;
  const favorite = values.favorite === undefined ? false : values.favorite;
  if (typeof favorite !== 'boolean') return REFUSED;
  for (const field of listedFields(type as RecordType)) {
    if (!fieldIsValid(field, values[field])) return REFUSED;
  }
  // Absent members take the schema's defaults, '' and [], which neither reads as a value.
  const summary = {
    type: type as RecordType,
    title,
    subtitle: subtitleOf(type as RecordType, values),
    favorite,
  };
  return { ok: true, summary, searchText: searchTextOf(value as VaultRecord) };
}

const LISTED = new Map<RecordType, readonly string[]>();

/** The members of `type` the summary and the search text read. */
function listedFields(type: RecordType): readonly string[] {
  let fields = LISTED.get(type);
  if (fields === undefined) {
    fields = [...new Set([...SUBTITLE_FIELDS[type], ...SEARCHABLE_FIELDS[type]])];
    LISTED.set(type, fields);
  }
  return fields;
}
