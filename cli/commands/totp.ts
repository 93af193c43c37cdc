import { CofferError } from '../../shared/errors.ts';
import { flagSet, parseArgs } from '../args.ts';
import { openClient } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: {} });
  const [target, ...extra] = args.operands;
  if (target === undefined || extra.length > 0) {
    throw new CofferError('cli_usage', 'coffer totp takes one record: an id or folder/path/title.');
  }
  const { client } = await openClient(args, io);
  const code = await client.totp(target);
  io.out(
    flagSet(args, 'json')
      ? JSON.stringify({ code: code.code, secondsLeft: code.secondsLeft })
      : code.code,
  );
  return EXIT.ok;
}
