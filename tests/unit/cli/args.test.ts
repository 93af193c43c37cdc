import { describe, expect, it } from 'vitest';
import { parseArgs, parseDuration } from '../../../cli/args.ts';
import { isCofferError } from '../../../shared/errors.ts';

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isCofferError(error, 'cli_usage')) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('argument parsing', () => {
  it('reads flags, values, aliases and operands in any order', () => {
    const args = parseArgs(['x', '--field', 'password', '--json', '-i', 'in.tpl', '--profile=ci'], {
      flags: { field: 'value', input: 'value' },
      aliases: { i: 'input' },
    });
    expect(args.operands).toEqual(['x']);
    expect(Object.fromEntries(args.flags)).toEqual({
      field: 'password',
      json: true,
      input: 'in.tpl',
      profile: 'ci',
    });
  });

  it('stops at "--" or at the first operand for exec', () => {
    const dash = parseArgs(['--mask', '--', 'env', '--json'], { flags: { mask: 'boolean' } });
    expect(dash.rest).toEqual(['env', '--json']);
    const operand = parseArgs(['--mask', 'ls', '-la'], {
      flags: { mask: 'boolean' },
      stopAtOperand: true,
    });
    expect(operand.rest).toEqual(['ls', '-la']);
    expect(operand.flags.get('mask')).toBe(true);
  });

  it('refuses unknown, repeated and value-less options, quoting them short', () => {
    expect(usageMessage(() => parseArgs(['--unmaks'], { flags: {} }))).toMatch(
      /Unknown option "--unmaks"/,
    );
    expect(usageMessage(() => parseArgs(['-z'], { flags: {} }))).toMatch(/Unknown option "-z"/);
    expect(usageMessage(() => parseArgs(['--json', '--json'], { flags: {} }))).toMatch(/twice/);
    expect(usageMessage(() => parseArgs(['--field'], { flags: { field: 'value' } }))).toMatch(
      /needs a value/,
    );
    expect(
      usageMessage(() => parseArgs(['--field', '--json'], { flags: { field: 'value' } })),
    ).toMatch(/needs a value/);
    expect(usageMessage(() => parseArgs(['--json=yes'], { flags: {} }))).toMatch(/takes no value/);
    const long = usageMessage(() => parseArgs([`--${'x'.repeat(80)}`], { flags: {} }));
    expect(long).not.toContain('x'.repeat(40));
  });

  it('reads durations with units', () => {
    expect(parseDuration('90', 'x')).toBe(90);
    expect(parseDuration('15m', 'x')).toBe(900);
    expect(parseDuration('7d', 'x')).toBe(604_800);
    expect(usageMessage(() => parseDuration('1w', '--cache-max-age'))).toMatch(/--cache-max-age/);
  });
});
