import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeIssues, issueMessage, pathText } from '../../../server/zod-issues.ts';

/** The problems of `value` against `schema`, each as "path: message". */
function problems(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value, { error: issueMessage });
  if (result.success) throw new Error('the value was accepted');
  return describeIssues(result.error.issues).map(({ path, message }) =>
    path ? `${path}: ${message}` : message,
  );
}

const rule = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('first-use') }),
  z.strictObject({ type: z.literal('cidr'), allow: z.array(z.string()).min(1) }),
]);
const registration = z.strictObject({ name: z.string().min(1).max(100), ipRule: rule });
/** One registration or several, as the mint route takes them. */
const mint = z.union([registration, z.strictObject({ devices: z.array(registration).max(2) })]);

describe('zod issues as the server words them', () => {
  it('writes member paths with dots and array positions in brackets', () => {
    expect(pathText(['devices', 0, 'ipRule', 'allow', 12])).toBe('devices[0].ipRule.allow[12]');
    expect(pathText([0, 'a'])).toBe('[0].a');
    expect(pathText(['odd key', 'x'])).toBe('["odd key"].x');
  });

  it('lets the union option the input came closest to speak, not "Invalid input"', () => {
    expect(problems(mint, { name: 'ci', ipRule: { type: 'everyone' } })).toEqual([
      'ipRule.type: must be one of "first-use", "cidr"',
    ]);
    expect(
      problems(mint, { devices: [{ name: 'ci', ipRule: { type: 'first-use' } }, { name: '' }] }),
    ).toEqual([
      'devices[1].name: must be at least 1 character long',
      'devices[1].ipRule: is required',
    ]);
    expect(problems(mint, 'registration')).toEqual(['must be an object, not a string']);
  });

  it('says what is missing, of which type, and which members are unknown', () => {
    expect(problems(registration, { ipRule: { type: 'cidr', allow: [] }, extra: 1 })).toEqual([
      'name: is required',
      'ipRule.allow: must have at least 1 item',
      'has unknown member "extra"',
    ]);
    expect(problems(registration, { name: 7, ipRule: { type: 'first-use' } })).toEqual([
      'name: must be a string, not a number',
    ]);
    expect(problems(registration, undefined)).toEqual(['a value is required']);
  });

  it('keeps what a schema says itself', () => {
    const cidr = z.strictObject({ allow: z.array(z.string().refine(() => false, 'not a CIDR')) });
    expect(problems(cidr, { allow: ['10.0.0.0/8'] })).toEqual(['allow[0]: not a CIDR']);
  });

  it('never repeats a submitted value, even one in the wrong place', () => {
    const marker = 'hunter2-SENTINEL-9f3a';
    const words = problems(registration, {
      name: { secret: marker },
      ipRule: marker,
      [marker.repeat(4)]: marker,
    }).join('\n');
    expect(words).toContain('name: must be a string, not an object');
    expect(words).toContain('ipRule: must be an object, not a string');
    // An unknown member is named — member names are the caller's, values never — and cut short.
    expect(words).not.toContain(marker.repeat(2));
    expect(words.split(marker)).toHaveLength(2);
  });

  it('shows five problems and counts the rest', () => {
    const many = z.strictObject(
      Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`field${i}`, z.string()])),
    );
    const shown = problems(many, {});
    expect(shown).toHaveLength(6);
    expect(shown.at(-1)).toBe('and 3 more');
  });
});
