import { CofferError, isCofferError } from '../../shared/errors.ts';
import { flagSet, flagValue, parseArgs } from '../args.ts';
import { openClient } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { MASK, printable } from '../format.ts';
import type { Io } from '../io.ts';
import { fieldNames, isSecret, readTarget } from '../sdk/fields.ts';
import { parseTarget } from '../sdk/target.ts';
import type { VaultItem } from '../sdk/vault-view.ts';

/** A field by name: a typed field first, else a custom field of that name. */
async function fieldValue(item: VaultItem, name: string): Promise<string> {
  const record = item.record;
  const base = { record: { kind: 'id' as const, id: item.id } };
  try {
    return (await readTarget(record, { ...base, selector: 'field', name })).value;
  } catch (error) {
    if (!isCofferError(error, 'not_found') || !record.customFields.some((f) => f.name === name)) {
      throw error;
    }
    return (await readTarget(record, { ...base, selector: 'custom', name })).value;
  }
}

/** Multi-line values (keys, certificates, notes) would break the layout: point to --field. */
function oneLine(text: string, name: string): string {
  const lines = text.split('\n').length;
  return lines > 1 ? `(${lines} lines; see --field ${JSON.stringify(name)})` : text;
}

function describe(item: VaultItem, unmask: boolean): string {
  const record = item.record as unknown as Record<string, unknown>;
  const lines: [string, string][] = [
    ['id', item.id],
    ['folder', item.folderPath.join('/')],
    ['revision', `${item.revision}${item.editable ? '' : ' (read-only)'}`],
  ];
  for (const name of fieldNames(item.record)) {
    if (name === 'connectionString') continue;
    const value = record[name];
    if (value === '' || value === undefined || (Array.isArray(value) && value.length === 0)) {
      continue;
    }
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    const masked = isSecret(item.record, name) && !unmask;
    lines.push([name, masked ? MASK : oneLine(text, name)]);
  }
  for (const field of item.record.customFields) {
    const masked = field.kind === 'hidden' && !unmask;
    lines.push([
      `custom "${field.name}"`,
      masked ? MASK : oneLine(String(field.value), field.name),
    ]);
  }
  const width = Math.max(...lines.map(([label]) => label.length));
  const body = lines.map(
    ([label, value]) => `${printable(label).padEnd(width)}  ${printable(value)}`,
  );
  return [`${item.record.type} "${printable(item.record.title)}"`, ...body].join('\n');
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: { field: 'value', unmask: 'boolean' } });
  const [target, ...extra] = args.operands;
  if (target === undefined || extra.length > 0) {
    throw new CofferError(
      'cli_usage',
      'coffer get takes one record: an id, a coffer:// reference, or folder/path/title.',
    );
  }
  const parsed = parseTarget(target);
  const { client } = await openClient(args, io);
  const json = flagSet(args, 'json');
  if (parsed.reference !== undefined) {
    if (flagValue(args, 'field') !== undefined) {
      throw new CofferError(
        'cli_usage',
        'A coffer:// reference already names a field; drop --field.',
      );
    }
    const value = await client.resolve(target);
    io.out(json ? JSON.stringify({ value }) : value);
    return EXIT.ok;
  }
  const item = await client.get(target);
  const field = flagValue(args, 'field');
  if (field !== undefined) {
    const value = await fieldValue(item, field);
    io.out(json ? JSON.stringify({ value }) : value);
    return EXIT.ok;
  }
  if (json) {
    io.out(
      JSON.stringify({
        id: item.id,
        folder: item.folderPath.join('/'),
        revision: item.revision,
        editable: item.editable,
        record: item.record,
      }),
    );
    return EXIT.ok;
  }
  io.out(describe(item, flagSet(args, 'unmask')));
  return EXIT.ok;
}
