import { CofferError } from '../shared/errors.ts';

/**
 * A small, strict argument parser: unknown options are errors (a mistyped `--unmaks` must not be
 * silently ignored), values never start with "-" unless given as `--name=value`, and parsing can
 * stop at the first operand so `coffer exec cmd --flag` passes `--flag` to `cmd`.
 */

export type FlagKind = 'boolean' | 'value';

export interface FlagSpec {
  readonly flags: Readonly<Record<string, FlagKind>>;
  /** Single-letter aliases, e.g. { i: 'input' }. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Stop at the first operand: it and everything after it are `rest`. */
  readonly stopAtOperand?: boolean;
}

export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, string | true>;
  readonly operands: readonly string[];
  /** After `--`, or from the first operand when `stopAtOperand`. */
  readonly rest: readonly string[];
  readonly dashDash: boolean;
}

export const GLOBAL_FLAGS: Readonly<Record<string, FlagKind>> = {
  profile: 'value',
  json: 'boolean',
  'no-cache': 'boolean',
  'cache-max-age': 'value',
  'local-address': 'value',
  timeout: 'value',
  help: 'boolean',
};

/**
 * `-h`/`--help` among a command's options: thrown by `parseArgs` so that help is decided by the
 * command's own parsing (`coffer exec ls -h` passes `-h` to `ls`), and caught in cli/main.ts,
 * which prints that command's usage. Control flow, not a failure: it exits 0.
 */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
}

function usage(message: string): never {
  throw new CofferError('cli_usage', `${message} Run "coffer help" for usage.`);
}

/** Option names are echoed in messages: cut and quote them, they may be a mistyped secret. */
function show(name: string): string {
  return JSON.stringify(name.length > 32 ? `${name.slice(0, 32)}…` : name);
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const kinds: Record<string, FlagKind> = { ...GLOBAL_FLAGS, ...spec.flags };
  const flags = new Map<string, string | true>();
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--') {
      return { flags, operands, rest: argv.slice(i + 1), dashDash: true };
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
    } else if (arg === '-h') {
      name = 'help';
    } else if (/^-[A-Za-z]$/.test(arg)) {
      name = spec.aliases?.[arg.slice(1)];
      if (name === undefined) usage(`Unknown option ${show(arg)}.`);
    } else if (arg.startsWith('-') && arg !== '-') {
      usage(`Unknown option ${show(arg)}.`);
    }
    if (name === undefined) {
      if (spec.stopAtOperand) return { flags, operands, rest: argv.slice(i), dashDash: false };
      operands.push(arg);
      continue;
    }
    if (name === 'help') throw new HelpRequested('help requested');
    const kind = kinds[name];
    if (kind === undefined) usage(`Unknown option ${show(`--${name}`)}.`);
    if (flags.has(name)) usage(`Option --${name} is given twice.`);
    if (kind === 'boolean') {
      if (inline !== undefined) usage(`Option --${name} takes no value.`);
      flags.set(name, true);
      continue;
    }
    const value = inline ?? argv[i + 1];
    // A negative number is a (bad) value, not an option: no option starts with a digit, and
    // "needs a value" would send someone who gave one looking for the wrong mistake.
    if (
      value === undefined ||
      (inline === undefined && value.startsWith('-') && value !== '-' && !/^-\d/.test(value))
    ) {
      usage(`Option --${name} needs a value.`);
    }
    if (inline === undefined) i += 1;
    flags.set(name, value);
  }
  return { flags, operands, rest: [], dashDash: false };
}

/**
 * Global options given before the command (`coffer --no-cache get …`): the leading arguments
 * that are global options, with their values, and the command after them.
 */
export function splitLeadingGlobals(argv: readonly string[]): {
  globals: readonly string[];
  command: string | undefined;
  rest: readonly string[];
} {
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i] as string;
    const name = arg === '-h' ? 'help' : arg.startsWith('--') ? arg.slice(2).split('=')[0] : '';
    const kind = name === undefined || name === '' ? undefined : GLOBAL_FLAGS[name];
    if (kind === undefined) break;
    // A value option's value is the next argument unless given inline (`--profile=ci`).
    i += kind === 'value' && !arg.includes('=') ? 2 : 1;
  }
  const globals = argv.slice(0, Math.min(i, argv.length));
  return { globals, command: argv[i], rest: argv.slice(i + 1) };
}

export function flagValue(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function flagSet(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) === true;
}

/** "90", "90s", "15m", "12h", "7d" → seconds. */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(text);
  if (match === null) {
    usage(
      `Invalid value ${show(text)} for ${what}: give a whole number of seconds, or one ending ` +
        'in s, m, h or d (90, 90s, 15m, 12h, 7d); it cannot be negative.',
    );
  }
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
