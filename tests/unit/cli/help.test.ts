import { describe, expect, it } from 'vitest';
import { parseArgs, splitLeadingGlobals } from '../../../cli/args.ts';
import { EXIT } from '../../../cli/exit-codes.ts';
import { main } from '../../../cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const COMMANDS = [
  'init',
  'list',
  'get',
  'totp',
  'exec',
  'inject',
  'set',
  'create',
  'status',
  'profile',
];

describe('coffer <command> --help', () => {
  it.each(COMMANDS)('prints the usage of %s for --help, -h and help, and exits 0', async (name) => {
    // A HOME without profiles: help must not need one, nor a server.
    const env = { HOME: '/nonexistent-coffer-home' };
    for (const argv of [
      [name, '--help'],
      [name, '-h'],
      ['help', name],
      ['-h', name],
    ]) {
      const { io, lines } = captureIo(env);
      expect(await main(argv, io), argv.join(' ')).toBe(EXIT.ok);
      expect(lines.out.join('\n')).toMatch(new RegExp(`^Usage: coffer ${name}\\b`));
      expect(lines.out.join('\n')).toMatch(/--profile NAME/);
      expect(lines.err).toEqual([]);
    }
  });

  it("prints help even after the command's operands and options", async () => {
    const { io, lines } = captureIo();
    expect(await main(['get', 'Production/Mail', '--field', 'password', '--help'], io)).toBe(
      EXIT.ok,
    );
    expect(lines.out.join('\n')).toMatch(/^Usage: coffer get/);
  });

  it('says in get --help that --json and --field print secret values', async () => {
    const { io, lines } = captureIo();
    await main(['get', '--help'], io);
    expect(lines.out.join('\n')).toMatch(
      /--field, --json and a coffer:\/\/ reference print SECRET/,
    );
  });

  it("leaves -h after exec's command to that command", () => {
    const args = parseArgs(['ls', '-h'], { flags: { mask: 'boolean' }, stopAtOperand: true });
    expect(args.rest).toEqual(['ls', '-h']);
  });

  it('answers help for an unknown command with the usage code', async () => {
    const { io, lines } = captureIo();
    expect(await main(['help', 'frobnicate'], io)).toBe(EXIT.usage);
    expect(lines.err.join('\n')).toMatch(/Unknown command "frobnicate"/);
  });
});

describe('global options before the command', () => {
  it('splits leading global options, with their values, from the command', () => {
    expect(
      splitLeadingGlobals(['--no-cache', '--profile', 'ci', '--timeout=5s', 'get', 'x', '--json']),
    ).toEqual({
      globals: ['--no-cache', '--profile', 'ci', '--timeout=5s'],
      command: 'get',
      rest: ['x', '--json'],
    });
    expect(splitLeadingGlobals(['get', '--no-cache'])).toEqual({
      globals: [],
      command: 'get',
      rest: ['--no-cache'],
    });
  });

  it('hands them to the command: --profile before the command picks the profile', async () => {
    const { io, lines } = captureIo({ HOME: '/nonexistent-coffer-home' });
    expect(await main(['--profile', 'ci', 'list'], io)).toBe(EXIT.notFound);
    expect(lines.err.join('\n')).toMatch(/coffer init --profile ci/);
  });

  it('refuses an unknown option before the command as an option, not a command', async () => {
    const { io, lines } = captureIo();
    expect(await main(['--unmask', 'get', 'x'], io)).toBe(EXIT.usage);
    expect(lines.err.join('\n')).toMatch(/Unknown option "--unmask" before the command/);
  });

  it('refuses options alone, without a command, and a global option given twice', async () => {
    expect(await main(['--no-cache'], captureIo().io)).toBe(EXIT.usage);
    const { io, lines } = captureIo({ HOME: '/nonexistent-coffer-home' });
    expect(await main(['--json', 'list', '--json'], io)).toBe(EXIT.usage);
    expect(lines.err.join('\n')).toMatch(/given twice/);
  });
});
