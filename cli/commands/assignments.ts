import { CofferError } from '../../shared/errors.ts';
import { RECORD_TYPES, isSecretField, type RecordType } from '../../shared/records/schema/index.ts';
import { readStdin, type Io } from '../io.ts';

/**
 * `FIELD=VALUE` operands of `set` and `create`. A VALUE of "-" is read from stdin (one field at
 * most), which keeps a new password out of shell history and process lists; a secret field
 * given inline gets a warning saying so.
 *
 * From stdin, one trailing newline ("\n" or "\r\n") is dropped, so that `echo` and a typed
 * line work; a value that must end in a newline is given with one more. An empty value, from
 * stdin or inline, is refused unless `allowEmpty`: `printf '' | coffer set … password=-` and
 * `password="$UNSET"` are far more often a broken pipe or an unset variable than a wish to empty
 * the password.
 */
export async function readAssignments(
  operands: readonly string[],
  io: Io,
  type: RecordType | undefined,
  options: { readonly allowEmpty: boolean },
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let stdinUsed = false;
  for (const operand of operands) {
    const eq = operand.indexOf('=');
    const name = eq === -1 ? '' : operand.slice(0, eq);
    if (!/^[A-Za-z][\w -]{0,127}$/.test(name)) {
      throw new CofferError(
        'cli_usage',
        'Changes are written FIELD=VALUE (VALUE "-" reads stdin).',
      );
    }
    if (Object.hasOwn(out, name)) {
      throw new CofferError('cli_usage', `Field "${name}" is given twice.`);
    }
    let value = operand.slice(eq + 1);
    let what = `The value of "${name}" on the command line`;
    if (value === '-') {
      if (stdinUsed) throw new CofferError('cli_usage', 'Only one field can be read from stdin.');
      stdinUsed = true;
      what = `The value of "${name}" read from stdin`;
      value = (await readStdin(io, what)).replace(/\r?\n$/, '');
    } else if (
      value !== '' &&
      (type === undefined ? RECORD_TYPES : [type]).some((t) => isSecretField(t, name))
    ) {
      io.warn(
        `The value of "${name}" is on the command line, visible in shell history and process ` +
          `lists; next time write ${name}=- and pipe it on stdin.`,
      );
    }
    if (value === '' && !options.allowEmpty) {
      throw new CofferError(
        'cli_usage',
        `${what} is empty; nothing was written. To store an empty value, add --allow-empty.`,
      );
    }
    out[name] = value;
  }
  return out;
}
