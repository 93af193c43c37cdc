import { CofferError } from '../../shared/errors.ts';
import { RECORD_TYPES, type RecordType } from '../../shared/records/schema/index.ts';
import { flagSet, flagValue, parseArgs } from '../args.ts';
import { openClient } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { applyChanges } from '../sdk/client.ts';
import { readAssignments } from './assignments.ts';

/** `coffer create --folder PATH --type TYPE --title TITLE [FIELD=VALUE…]`. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    flags: { folder: 'value', type: 'value', title: 'value', 'allow-empty': 'boolean' },
  });
  const folder = flagValue(args, 'folder');
  const type = flagValue(args, 'type');
  const title = flagValue(args, 'title');
  if (folder === undefined || type === undefined || title === undefined) {
    throw new CofferError('cli_usage', 'coffer create needs --folder, --type and --title.');
  }
  if (!(RECORD_TYPES as readonly string[]).includes(type)) {
    throw new CofferError('cli_usage', `--type must be one of ${RECORD_TYPES.join(', ')}.`);
  }
  const recordType = type as RecordType;
  const assignments = await readAssignments(args.operands, io, recordType, {
    allowEmpty: flagSet(args, 'allow-empty'),
  });
  const { parseRecord } = await import('../../shared/records/schema/index.ts');
  // Required fields (a database's engine and host) come from the assignments; validate the
  // whole record once they are applied.
  const base = {
    type: recordType,
    schemaVersion: 1,
    title,
    ...pickRequired(recordType, assignments),
  };
  const record = parseRecord(
    applyChanges(parseRecord(base), omitRequired(recordType, assignments)),
  );
  const { client } = await openClient(args, io);
  const written = await client.create(folder, record);
  io.out(flagSet(args, 'json') ? JSON.stringify(written) : `Created record ${written.id}.`);
  return EXIT.ok;
}

/** Fields a type cannot be parsed without; the rest are applied as ordinary changes. */
const REQUIRED: Partial<Record<RecordType, readonly string[]>> = {
  database: ['engine'],
  'one-time-code': ['uri'],
};

function pickRequired(type: RecordType, values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of REQUIRED[type] ?? [])
    if (Object.hasOwn(values, name)) out[name] = values[name] as string;
  return out;
}

function omitRequired(type: RecordType, values: Record<string, string>): Record<string, string> {
  const skip = new Set(REQUIRED[type] ?? []);
  return Object.fromEntries(Object.entries(values).filter(([name]) => !skip.has(name)));
}
