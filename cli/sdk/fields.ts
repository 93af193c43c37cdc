import { CofferError } from '../../shared/errors.ts';
import type { CofferReference } from '../../shared/notation/index.ts';
import {
  connectionString,
  isSecretCustomField,
  isSecretField,
  type VaultRecord,
} from '../../shared/records/schema/index.ts';
import { otpCode } from './otp.ts';

/**
 * Reading one value out of a decrypted record, as a reference's selector, name, index and
 * property ask (DESIGN.md "References"). Missing things are `not_found` with a message naming
 * the field and what exists instead — never the record's values.
 */

/** Record members that are structure, not fields a reference can name. */
const NOT_FIELDS = new Set(['type', 'schemaVersion', 'customFields', 'favorite']);

/** Fields computed from others; secret because they embed a secret. */
const DERIVED: Record<string, (record: VaultRecord) => string | undefined> = {
  connectionString: (record) => (record.type === 'database' ? connectionString(record) : undefined),
};

/** Names a reference's `field/<name>` may use for this record, in schema order. */
export function fieldNames(record: VaultRecord): string[] {
  const names = Object.keys(record).filter((name) => !NOT_FIELDS.has(name));
  if (record.type === 'database') names.push('connectionString');
  return names;
}

export function isSecret(record: VaultRecord, field: string): boolean {
  return field === 'connectionString' || isSecretField(record.type, field);
}

function missing(message: string): never {
  throw new CofferError('not_found', message);
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function pick(values: readonly unknown[], index: number | undefined, what: string): unknown {
  const at = index ?? 0;
  if (at >= values.length) {
    missing(
      values.length === 0
        ? `${what} has no value.`
        : `${what} has ${values.length} value(s); index [${at}] is past the end (indexes start at 0).`,
    );
  }
  return values[at];
}

async function property(
  record: VaultRecord,
  field: string,
  value: string,
  name: string,
  nowMs: number,
): Promise<string> {
  if (name === 'code' && (field === 'otp' || field === 'uri')) {
    if (value === '') missing(`Field "${field}" of this record is empty: there is no code.`);
    return (await otpCode(value, nowMs)).code;
  }
  if (name === 'fingerprint' && (field === 'publicKey' || field === 'certificate')) {
    const { parseSshPublicKeys } = await import('../../shared/records/ssh/index.ts');
    const [key] = parseSshPublicKeys(value);
    if (key === undefined) missing(`Field "${field}" holds no public key to fingerprint.`);
    return key.fingerprint;
  }
  return missing(`Field "${field}" of a ${record.type} record has no property [${name}].`);
}

export interface ResolvedValue {
  readonly value: string;
  /** Whether table output masks it. */
  readonly secret: boolean;
}

/** The value a reference's target names in `record`. */
export async function readTarget(
  record: VaultRecord,
  target: CofferReference,
  nowMs: number = Date.now(),
): Promise<ResolvedValue> {
  switch (target.selector) {
    case 'title':
      return { value: record.title, secret: false };
    case 'type':
      return { value: record.type, secret: false };
    case 'notes':
      return { value: record.notes, secret: false };
    case 'file':
      return missing('Attached files are not available to devices; refer to a field instead.');
    case 'custom': {
      const fields = record.customFields.filter((field) => field.name === target.name);
      if (fields.length === 0) {
        const names = record.customFields.map((field) => JSON.stringify(field.name));
        missing(
          `This record has no custom field ${JSON.stringify(target.name)}` +
            (names.length === 0 ? '.' : `; it has ${[...new Set(names)].join(', ')}.`),
        );
      }
      const field = pick(fields, target.index, `Custom field ${JSON.stringify(target.name)}`);
      const chosen = field as (typeof fields)[number];
      if (target.property !== undefined) {
        missing(`Custom fields have no property [${target.property}].`);
      }
      return { value: text(chosen.value), secret: isSecretCustomField(chosen) };
    }
    case 'field': {
      const name = target.name;
      const values = record as unknown as Record<string, unknown>;
      const derive = DERIVED[name];
      let raw: unknown;
      if (derive !== undefined) raw = derive(record);
      else if (!NOT_FIELDS.has(name) && Object.hasOwn(values, name)) raw = values[name];
      if (raw === undefined) {
        missing(
          `A ${record.type} record has no field ${JSON.stringify(name)}; its fields are ` +
            `${fieldNames(record).join(', ')}.`,
        );
      }
      const single = Array.isArray(raw)
        ? pick(raw, target.index, `Field "${name}"`)
        : target.index === undefined || target.index === 0
          ? raw
          : missing(`Field "${name}" holds one value; only index [0] exists.`);
      const value = text(single);
      if (target.property !== undefined) {
        return { value: await property(record, name, value, target.property, nowMs), secret: true };
      }
      return { value, secret: isSecret(record, name) };
    }
  }
}
