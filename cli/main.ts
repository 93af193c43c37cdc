import { isCofferError } from '../shared/errors.ts';
import { HelpRequested, splitLeadingGlobals } from './args.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { processIo, type Io } from './io.ts';

/**
 * `coffer`: the device command line (cli/bin.ts runs it). Only this file loads at start-up; each
 * command, and the crypto, zod schemas and HTTP modules it needs, are imported when that command
 * runs.
 */

export type Command = (argv: readonly string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  init: () => import('./commands/init.ts'),
  list: () => import('./commands/list.ts'),
  get: () => import('./commands/get.ts'),
  totp: () => import('./commands/totp.ts'),
  exec: () => import('./commands/exec.ts'),
  inject: () => import('./commands/inject.ts'),
  set: () => import('./commands/set.ts'),
  create: () => import('./commands/create.ts'),
  status: () => import('./commands/status.ts'),
  profile: () => import('./commands/profile.ts'),
};

export const USAGE = `Usage: coffer <command> [options]

  init [--profile NAME] [--print-config]   redeem a one-time device token (stdin or COFFER_TOKEN)
  list [--folder PATH]                     records this device may read
  get <id | coffer://… | folder/title> [--field NAME] [--unmask]
  totp <id | folder/title>                 the current one-time code
  exec [--mask] [--] CMD [ARGS…]           run CMD with coffer:// environment values resolved
  inject [-i TEMPLATE] [-o FILE]           render {{ coffer://… }} references (output 0600)
  set <id | folder/title> FIELD=VALUE…     change fields (VALUE "-" reads stdin)
  create --folder PATH --type TYPE --title TITLE [FIELD=VALUE…]
  status                                   server, application, device, expiry, cache age
  profile list | use NAME | remove NAME

Run "coffer <command> --help" (or "coffer help <command>") for a command's options.
get --field, get --json and get coffer://… print secret values on stdout.

Options, before or after the command: --profile NAME, --json, --no-cache,
         --cache-max-age 7d, --timeout 15s, --local-address ADDR, -h/--help
Environment: COFFER_CONFIG, COFFER_PROFILE, COFFER_SERVER, COFFER_TOKEN
Exit codes: see cli/README.md.`;

/** The message a stray argument before the command gets: it may be a mistyped option. */
function unknownCommand(name: string): string {
  const shown = JSON.stringify(name.slice(0, 32));
  return name.startsWith('-')
    ? `Unknown option ${shown} before the command. Run "coffer help".`
    : `Unknown command ${shown}. Run "coffer help".`;
}

async function printHelp(name: string, io: Io): Promise<number> {
  const { commandHelp } = await import('./help.ts');
  const text = commandHelp(name);
  if (text === undefined) {
    io.error(unknownCommand(name));
    return EXIT.usage;
  }
  io.out(text);
  return EXIT.ok;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  // Global options may come before the command too; they are handed to it first.
  const { globals, command: name, rest } = splitLeadingGlobals(argv);
  const wantsHelp = globals.includes('--help') || globals.includes('-h');
  if (name === undefined || name === 'help') {
    if (name === 'help' && rest[0] !== undefined) return printHelp(rest[0], io);
    io.out(USAGE);
    return name === 'help' || wantsHelp ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    io.out('coffer 0.1.0 (protocol 1)');
    return EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    io.error(unknownCommand(name));
    return EXIT.usage;
  }
  if (wantsHelp) return printHelp(name, io);
  try {
    // Before the command's modules build their schemas (see cli/zod-setup.ts).
    await import('./zod-setup.ts');
    const { run } = await load();
    return await run([...globals, ...rest], io);
  } catch (error) {
    if (error instanceof HelpRequested) return printHelp(name, io);
    if (isCofferError(error)) {
      const { withNextStep } = await import('./advice.ts');
      io.error(withNextStep(error));
      return exitCodeFor(error.code);
    }
    // Not ours: say what kind of failure it was, not its text, which may quote data.
    const kind = error instanceof Error ? error.name : typeof error;
    const code = (error as { code?: unknown } | null)?.code;
    io.error(
      `Unexpected ${kind}${typeof code === 'string' ? ` (${code})` : ''}; please report it ` +
        'with the command you ran.',
    );
    return EXIT.unexpected;
  }
}
