import { CofferError } from '../../shared/errors.ts';
import { flagSet, parseArgs } from '../args.ts';
import { openClient } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { readAssignments } from './assignments.ts';

/** `coffer set <record> FIELD=VALUE…`: a compare-and-swap update under an editable grant. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: { 'allow-empty': 'boolean' } });
  const [target, ...changes] = args.operands;
  if (target === undefined || changes.length === 0) {
    throw new CofferError('cli_usage', 'coffer set needs a record and at least one FIELD=VALUE.');
  }
  const assignments = await readAssignments(changes, io, undefined, {
    allowEmpty: flagSet(args, 'allow-empty'),
  });
  const { client } = await openClient(args, io);
  const written = await client.update(target, assignments);
  io.out(
    flagSet(args, 'json')
      ? JSON.stringify(written)
      : `Record ${written.id} is now at revision ${written.revision}.`,
  );
  return EXIT.ok;
}
