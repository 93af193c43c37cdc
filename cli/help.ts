/**
 * `coffer <command> --help`: each command's usage, loaded only when help is asked for. The
 * warnings about options that print secrets are part of the text on purpose: a newcomer reads
 * `--help`, not the README.
 */

const OPTIONS = `Options for every command (before or after it):
  --profile NAME         use this profile (else COFFER_PROFILE, else the current one)
  --json                 machine-readable output
  --no-cache             neither use nor keep the encrypted offline cache
  --cache-max-age 7d     refuse an offline cache older than this
  --timeout 15s          give up on the server after this long
  --local-address ADDR   send from this address of the machine
  -h, --help             this help`;

const STDIN_VALUES = `
FIELD=- reads that field's value from stdin, which keeps it out of shell history and process
lists (one field per command). One trailing newline (\\n or \\r\\n) is dropped; the value must
be UTF-8 text. An empty value, from stdin or inline (FIELD=), is refused unless --allow-empty
is given.

  --allow-empty    accept an empty value (to clear the field)`;

export const COMMAND_HELP: Readonly<Record<string, string>> = {
  init: `Usage: coffer init [--profile NAME] [--print-config] [--json]

Redeems a one-time device token, read from stdin or COFFER_TOKEN (a token given as an
argument works but lands in shell history), into the profile NAME (default "default").
The new profile becomes the current one when there is no usable current profile; otherwise
select it with --profile NAME, COFFER_PROFILE=NAME or "coffer profile use NAME".

  --print-config   print the configuration as one base64 line for a CI secret store
                   (COFFER_CONFIG) instead of saving a profile. It is a credential.`,
  list: `Usage: coffer list [--folder PATH] [--json]

Lists the records this device may read: id, type, folder and title (no secret values).

  --folder PATH    only records in this folder and beneath it, e.g. Production/db`,
  get: `Usage: coffer get <id | coffer://… | folder/path/title> [--field NAME] [--unmask] [--json]

Shows one record with its secret fields masked.

  --field NAME     print only this field's value (a typed field, else a custom field)
  --unmask         show secret fields in the table instead of ••••••••
  --json           print the whole record as JSON

A coffer:// reference prints the bare value it names.
Warning: --field, --json and a coffer:// reference print SECRET VALUES in clear on stdout;
keep that output out of logs, or use "coffer exec" or "coffer inject" instead.`,
  totp: `Usage: coffer totp <id | folder/path/title> [--json]

Prints the current one-time code of a record (--json adds the seconds it stays valid).`,
  exec: `Usage: coffer exec [--mask] [--] CMD [ARGS…]

Runs CMD (no shell) with every environment variable whose whole value is a coffer://
reference replaced by the value it names; exits with CMD's exit code. COFFER_CONFIG and
COFFER_TOKEN are not passed on. Options after CMD are CMD's own.

  --mask           replace the resolved values in CMD's stdout and stderr`,
  inject: `Usage: coffer inject [-i TEMPLATE] [-o FILE]

Replaces each {{ coffer://… }} in TEMPLATE (default stdin) and writes the result to FILE
(owner-only, 0600) or stdout (no -o, or -o -). Nothing is written if a reference fails.

  -i, --input TEMPLATE
  -o, --output FILE`,
  set: `Usage: coffer set <id | folder/path/title> FIELD=VALUE… [--allow-empty]

Changes fields of a record under an editable grant. Refused without loss if someone changed
the record meanwhile.
${STDIN_VALUES}`,
  create:
    'Usage: coffer create --folder PATH --type TYPE --title TITLE ' +
    `[FIELD=VALUE…] [--allow-empty]

Creates a record in a folder granted editable.
${STDIN_VALUES}`,
  status: `Usage: coffer status [--json]

Shows the server, application, device, access expiry, IP rule, granted folders, and the age of
the offline cache with whether it is within its maximum age (--cache-max-age, default 7d).
When the server cannot be reached, it prints what this device knows locally (the profile as of
redemption, the grants as of the cache's last save, the cache's age) and exits 12.`,
  profile: `Usage: coffer profile list | use NAME | remove NAME

  list             the profiles on this machine; * marks the one commands use
  use NAME         make NAME the current profile
  remove NAME      delete NAME and its offline cache (the device stays bound on the server)`,
};

/** The help of `command`, with the options every command takes. */
export function commandHelp(command: string): string | undefined {
  const text = Object.hasOwn(COMMAND_HELP, command) ? COMMAND_HELP[command] : undefined;
  return text === undefined ? undefined : `${text}\n\n${OPTIONS}`;
}
