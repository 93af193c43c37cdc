import { CofferError } from '../../shared/errors.ts';
import type { VaultRecord, VaultRecordInput } from '../../shared/records/schema/index.ts';
import type { RecordChanges } from './types.ts';

/** `field=value` changes onto a record: typed fields first, then custom fields by name. */
export function applyChanges(record: VaultRecord, changes: RecordChanges): VaultRecordInput {
  const next = structuredClone(record) as Record<string, unknown> & VaultRecord;
  for (const [name, value] of Object.entries(changes)) {
    if (['type', 'schemaVersion', 'customFields'].includes(name)) {
      throw new CofferError('cli_usage', `Field "${name}" cannot be set this way.`);
    }
    if (Object.hasOwn(next, name) || name === 'port') {
      const current = next[name];
      next[name] = Array.isArray(current)
        ? [String(value)]
        : typeof current === 'boolean'
          ? toBoolean(name, value)
          : name === 'port'
            ? toPort(value)
            : String(value);
      continue;
    }
    const custom = next.customFields.filter((field) => field.name === name);
    if (custom.length === 1) {
      const field = custom[0] as (typeof custom)[number];
      (field as { value: unknown }).value =
        field.kind === 'boolean' ? toBoolean(name, value) : String(value);
      continue;
    }
    throw new CofferError(
      custom.length > 1 ? 'reference_ambiguous' : 'not_found',
      custom.length > 1
        ? `This record has ${custom.length} custom fields called "${name}"; change it in the app.`
        : `A ${record.type} record has no field or custom field "${name}".`,
    );
  }
  return next as VaultRecordInput;
}

function toBoolean(name: string, value: string | number | boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new CofferError('cli_usage', `Field "${name}" takes true or false.`);
}

function toPort(value: string | number | boolean): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CofferError('cli_usage', 'Field "port" takes a number from 1 to 65535.');
  }
  return port;
}
