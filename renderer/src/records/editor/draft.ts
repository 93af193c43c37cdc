import {
  RECORD_SCHEMA_VERSION,
  validateRecord,
  type CustomField,
  type RecordType,
  type VaultRecord,
} from '../../../../shared/records/schema/index.ts';
import { formatOtpUri, readOtpInput } from '../../../../shared/records/totp/index.ts';
import { messageOf } from '../errors.ts';
import { TEMPLATES } from './templates.ts';

/**
 * The edit in progress: every member as the form holds it (ports as text, one-time codes as
 * typed), turned into a record only on save.
 */
export type Draft = Readonly<Record<string, unknown>> & {
  readonly type: RecordType;
  readonly title: string;
  readonly notes: string;
  readonly customFields: readonly CustomField[];
};

/** Problems by field path, as validateRecord names them ("port", "customFields[1].value"). */
export type FieldErrors = Readonly<Record<string, string>>;

const DEFAULTS: Readonly<Record<string, unknown>> = {
  urls: [''],
  tls: true,
  engine: 'postgresql',
  platform: 'linux',
};

function fieldDefault(key: string): unknown {
  return DEFAULTS[key] ?? '';
}

export function emptyDraft(type: RecordType): Draft {
  const draft: Record<string, unknown> = {
    type,
    title: '',
    notes: '',
    customFields: [],
    favorite: false,
  };
  for (const spec of TEMPLATES[type]) draft[spec.key] = fieldDefault(spec.key);
  return draft as Draft;
}

export function draftFromRecord(record: VaultRecord): Draft {
  const draft: Record<string, unknown> = { ...record };
  if ('port' in record || record.type === 'database' || record.type === 'server') {
    const port = (record as { port?: number }).port;
    draft.port = port === undefined ? '' : String(port);
  }
  if (record.type === 'login' && record.urls.length === 0) draft.urls = [''];
  return draft as Draft;
}

/** A one-time-code input as typed, in the canonical URI form the record stores. */
function canonicalOtp(text: string): { uri: string } | { problem: string } {
  try {
    const read = readOtpInput(text);
    if (read.batch !== null) {
      return {
        problem:
          'This Google Authenticator export holds several accounts: add it as one-time-code records',
      };
    }
    const account = read.accounts[0];
    if (account === undefined) return { problem: 'No account found in this input' };
    return { uri: formatOtpUri(account.entry) };
  } catch (error) {
    return { problem: messageOf(error, 'Not a one-time-code URI or secret') };
  }
}

export type DraftResult =
  | { readonly ok: true; readonly record: VaultRecord }
  | { readonly ok: false; readonly errors: FieldErrors };

/** Checks a draft with the record schema; every problem is reported next to its field. */
export function recordFromDraft(draft: Draft): DraftResult {
  const candidate: Record<string, unknown> = { ...draft, schemaVersion: RECORD_SCHEMA_VERSION };
  const errors: Record<string, string> = {};
  if (typeof draft.port === 'string') {
    const port = draft.port.trim();
    if (port === '') delete candidate.port;
    else if (/^\d{1,5}$/.test(port)) candidate.port = Number(port);
    else errors.port = 'must be a whole number from 1 to 65535';
  }
  // Blank URL rows are dropped; positions map problems back to the row the user sees.
  const urlRows: number[] = [];
  if (Array.isArray(draft.urls)) {
    const urls = draft.urls as string[];
    urls.forEach((url, index) => url.trim() !== '' && urlRows.push(index));
    candidate.urls = urlRows.map((index) => urls[index]);
  }
  for (const key of ['otp', 'uri'] as const) {
    const text = draft[key];
    if (typeof text !== 'string' || text.trim() === '') continue;
    const otp = canonicalOtp(text);
    if ('uri' in otp) candidate[key] = otp.uri;
    else errors[key] = otp.problem;
  }
  const result = validateRecord(candidate);
  if (result.ok && Object.keys(errors).length === 0) return { ok: true, record: result.record };
  if (!result.ok) {
    for (const problem of result.problems) {
      const field = problem.field.replace(
        /^urls\[(\d+)\]/,
        (_, n: string) => `urls[${urlRows[Number(n)] ?? n}]`,
      );
      errors[field] ??= problem.message;
    }
  }
  return { ok: false, errors };
}
