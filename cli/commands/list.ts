import { CofferError } from '../../shared/errors.ts';
import { flagSet, flagValue, parseArgs } from '../args.ts';
import { openClient } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { table } from '../format.ts';

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: { folder: 'value' } });
  if (args.operands.length > 0) {
    throw new CofferError('cli_usage', 'coffer list takes no operands; use --folder PATH.');
  }
  const { client } = await openClient(args, io);
  const folder = flagValue(args, 'folder');
  const records = await client.list(folder === undefined ? {} : { folder });
  if (flagSet(args, 'json')) {
    io.out(
      JSON.stringify(records.map((record) => ({ ...record, folder: record.folderPath.join('/') }))),
    );
    return EXIT.ok;
  }
  if (records.length === 0) {
    io.out('No records are granted to this device (or none in that folder).');
    return EXIT.ok;
  }
  io.out(
    table(
      ['ID', 'TYPE', 'FOLDER', 'TITLE'],
      records.map((record) => [record.id, record.type, record.folderPath.join('/'), record.title]),
    ),
  );
  return EXIT.ok;
}
