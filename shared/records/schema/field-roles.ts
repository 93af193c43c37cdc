import type { CustomField } from './custom-fields.ts';
import type { RecordOfType, RecordType, VaultRecord } from './record-types.ts';

type FieldOf<T extends RecordType> = Exclude<keyof RecordOfType<T>, 'type' | 'schemaVersion'>;
type FieldTable = { readonly [T in RecordType]: readonly FieldOf<T>[] };

/**
 * Fields masked by default and copied through the auto-clearing clipboard. Custom fields of
 * kind `hidden` are secret too (isSecretCustomField).
 */
export const SECRET_FIELDS: FieldTable = {
  login: ['password', 'otp'],
  database: ['password'],
  server: ['password'],
  'ssh-key': ['privateKey', 'passphrase'],
  certificate: ['privateKey', 'passphrase'],
  'api-key': ['secret'],
  'one-time-code': ['uri'],
  'secure-note': [],
  'payment-card': ['number', 'securityCode', 'pin'],
};

/** Fields the local search looks in: title, username, host, URL and notes where a type has them. */
export const SEARCHABLE_FIELDS: FieldTable = {
  login: ['title', 'username', 'urls', 'notes'],
  database: ['title', 'username', 'host', 'notes'],
  server: ['title', 'username', 'host', 'notes'],
  'ssh-key': ['title', 'username', 'host', 'notes'],
  certificate: ['title', 'notes'],
  'api-key': ['title', 'service', 'url', 'notes'],
  'one-time-code': ['title', 'notes'],
  'secure-note': ['title', 'notes'],
  'payment-card': ['title', 'notes'],
};

export function isSecretField(type: RecordType, field: string): boolean {
  return (SECRET_FIELDS[type] as readonly string[]).includes(field);
}

export function isSecretCustomField(field: CustomField): boolean {
  return field.kind === 'hidden';
}

/** The texts a search should match for `record`, in SEARCHABLE_FIELDS order. Never a secret. */
export function searchableText(record: VaultRecord): string[] {
  const values = record as unknown as Record<string, unknown>;
  const out: string[] = [];
  for (const field of SEARCHABLE_FIELDS[record.type] as readonly string[]) {
    const value = values[field];
    if (typeof value === 'string' && value !== '') out.push(value);
    else if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'string' && item !== '') out.push(item);
    }
  }
  return out;
}
