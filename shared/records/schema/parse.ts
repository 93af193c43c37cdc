import type { z } from 'zod';
import { CofferError } from '../../errors.ts';
import {
  RECORD_SCHEMAS,
  RECORD_SCHEMA_VERSION,
  RECORD_TYPES,
  type RecordType,
  type VaultRecord,
} from './record-types.ts';

/** One validation problem: the field it concerns ("customFields[2].value") and what is wrong. */
export interface RecordProblem {
  readonly field: string;
  readonly message: string;
}

export type RecordValidation =
  | { readonly ok: true; readonly record: VaultRecord }
  | { readonly ok: false; readonly problems: readonly RecordProblem[] };

const MAX_LISTED_PROBLEMS = 3;

function isRecordType(value: unknown): value is RecordType {
  return typeof value === 'string' && (RECORD_TYPES as readonly string[]).includes(value);
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || 'record';
}

/**
 * Zod's own messages describe the expected shape and the received type, never the received
 * value, and our refinements carry fixed texts: no secret reaches a problem message.
 */
function toProblem(issue: z.core.$ZodIssue): RecordProblem {
  if (issue.code === 'unrecognized_keys') {
    // Member names are structure, not content, but only identifier-like ones are echoed.
    const keys = issue.keys.map((key) =>
      /^[A-Za-z][\w-]{0,39}$/.test(key) ? `"${key}"` : '(name withheld)',
    );
    return { field: fieldPath(issue.path), message: `has unknown members ${keys.join(', ')}` };
  }
  return { field: fieldPath(issue.path), message: issue.message };
}

/**
 * Validates a decrypted or user-entered record and fills in defaults, reporting every problem
 * by field for forms that show errors inline. Strings come back exactly as given.
 */
export function validateRecord(input: unknown): RecordValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: [{ field: 'record', message: 'must be an object' }] };
  }
  const { type, schemaVersion } = input as { type?: unknown; schemaVersion?: unknown };
  if (!isRecordType(type)) {
    const message = `must be one of ${RECORD_TYPES.join(', ')}`;
    return { ok: false, problems: [{ field: 'type', message }] };
  }
  if (typeof schemaVersion === 'number' && schemaVersion > RECORD_SCHEMA_VERSION) {
    const message =
      `${schemaVersion} is newer than this app supports (${RECORD_SCHEMA_VERSION}); ` +
      'update Coffer';
    return { ok: false, problems: [{ field: 'schemaVersion', message }] };
  }
  // The type's own schema: what `recordSchema` would pick, without building the other eight.
  const schema: z.ZodType<VaultRecord, unknown> = RECORD_SCHEMAS[type];
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, record: parsed.data };
  return { ok: false, problems: parsed.error.issues.map(toProblem) };
}

/** Validates a record or throws `record_invalid` with a message naming each bad field. */
export function parseRecord(input: unknown): VaultRecord {
  const result = validateRecord(input);
  if (result.ok) return result.record;
  const type = isRecordType((input as { type?: unknown } | null)?.type)
    ? `${(input as { type: string }).type} record`
    : 'record';
  const listed = result.problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((problem) => `field "${problem.field}" ${problem.message}`)
    .join('; ');
  const more = result.problems.length - MAX_LISTED_PROBLEMS;
  const suffix = more > 0 ? `; and ${more} more` : '';
  throw new CofferError('record_invalid', `Invalid ${type}: ${listed}${suffix}.`);
}
