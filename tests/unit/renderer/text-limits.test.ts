import { describe, expect, it } from 'vitest';
import { RECORD_TYPES, type RecordType } from '../../../shared/records/schema/index.ts';
import { cutText, limitNotice, TEXT_MAX } from '../../../renderer/src/app/text-limits.ts';
import { emptyDraft, recordFromDraft } from '../../../renderer/src/records/editor/draft.ts';
import { fieldMax } from '../../../renderer/src/records/editor/field-limits.ts';
import { splitCidrs } from '../../../renderer/src/apps/device-form-check.ts';
import { ipRuleSchema } from '../../../shared/protocol/bodies.ts';
import { displayNameField } from '../../../shared/protocol/fields.ts';
import { generatePassphrase } from '../../../shared/records/generator/passphrase.ts';
import { TEMPLATES, type FieldSpec } from '../../../renderer/src/records/editor/templates.ts';

type TextSpec = Extract<FieldSpec, { kind: 'text' | 'secret' | 'pem' | 'port' | 'urls' }>;

/** The longest value each format-bound member accepts; every other member is free text. */
const LONGEST_VALID: Readonly<Record<string, string>> = {
  host: `${'h'.repeat(252)}.`,
  port: '65535',
  number: '4111 - 1111 - 1111 - 1111 - 111',
  expiryMonth: '12',
  expiryYear: '2031',
  securityCode: '1234',
  pin: '1'.repeat(12),
};

function check(type: RecordType, key: string, value: unknown) {
  return recordFromDraft({ ...emptyDraft(type), title: 'Limits', [key]: value });
}

const textFields = RECORD_TYPES.flatMap((type) =>
  TEMPLATES[type]
    .filter((spec): spec is TextSpec =>
      ['text', 'secret', 'pem', 'port', 'urls'].includes(spec.kind),
    )
    .map((spec) => ({ type, spec, key: spec.key })),
);

describe('text box limits', () => {
  it('cuts text to the limit, never between the halves of a surrogate pair', () => {
    expect(cutText('alice', 10)).toBe('alice');
    expect(cutText('alice@example.com', 5)).toBe('alice');
    expect(cutText('ab😀', 3)).toBe('ab');
    expect(cutText('ab😀c', 4)).toBe('ab😀');
  });

  it('says so only at the limit', () => {
    expect(limitNotice('a'.repeat(9), 10)).toBeUndefined();
    expect(limitNotice('a'.repeat(10), 10)).toBe(
      'Limit reached: this field holds at most 10 characters.',
    );
    expect(limitNotice('n'.repeat(TEXT_MAX.notes), TEXT_MAX.notes)).toContain('262,144');
  });

  it.each(textFields)('$type $key holds the longest value its record accepts', ({ type, spec }) => {
    const max = fieldMax(spec);
    const longest = LONGEST_VALID[spec.key];
    if (longest !== undefined) {
      expect(longest.length).toBeLessThanOrEqual(max);
      expect(check(type, spec.key, longest)).toMatchObject({ ok: true });
      return;
    }
    const text = (n: number) => 'x'.repeat(n);
    const value = (n: number) => (spec.kind === 'urls' ? [text(n)] : text(n));
    const field = spec.kind === 'urls' ? 'urls[0]' : spec.key;
    expect(check(type, spec.key, value(max))).toMatchObject({ ok: true });
    // Free text: the record refuses one more, so the box cuts nothing the record would keep.
    expect(check(type, spec.key, value(max + 1))).toMatchObject({
      ok: false,
      errors: { [field]: `must be at most ${max} characters` },
    });
  });

  it('holds as much title, notes and custom field text as a record does', () => {
    const record = (fields: object) => recordFromDraft({ ...emptyDraft('secure-note'), ...fields });
    const field = (kind: string, name: string, value: string) => ({
      customFields: [{ kind, name, value }],
    });
    const sizes = [
      [{ title: 't'.repeat(TEXT_MAX.title) }, { title: 't'.repeat(TEXT_MAX.title + 1) }],
      [
        { title: 'n', notes: 'n'.repeat(TEXT_MAX.notes) },
        { title: 'n', notes: 'n'.repeat(TEXT_MAX.notes + 1) },
      ],
      [
        { title: 'c', ...field('text', 'c'.repeat(TEXT_MAX.customFieldName), '') },
        { title: 'c', ...field('text', 'c'.repeat(TEXT_MAX.customFieldName + 1), '') },
      ],
      [
        { title: 'h', ...field('hidden', 'h', 'h'.repeat(TEXT_MAX.secret)) },
        { title: 'h', ...field('hidden', 'h', 'h'.repeat(TEXT_MAX.secret + 1)) },
      ],
    ] as const;
    for (const [fits, tooLong] of sizes) {
      expect(record(fits)).toMatchObject({ ok: true });
      expect(record(tooLong)).toMatchObject({ ok: false });
    }
  });

  it('holds the longest name, separator and address list their own checks accept', () => {
    const name = 'd'.repeat(TEXT_MAX.displayName);
    expect(displayNameField.safeParse(name).success).toBe(true);
    expect(displayNameField.safeParse(`${name}d`).success).toBe(false);

    // The separator check counts code points: eight astral ones fill the box exactly.
    const separator = '🔑'.repeat(TEXT_MAX.separator / 2);
    expect(separator.length).toBe(TEXT_MAX.separator);
    expect(() => generatePassphrase({ separator })).not.toThrow();
    expect(() => generatePassphrase({ separator: `${separator}🔑` })).toThrow();

    const widest = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128';
    const list = (n: number) => Array<string>(n).fill(widest).join(', ');
    expect(list(64).length).toBeLessThanOrEqual(TEXT_MAX.cidrList);
    const rule = (n: number) => ({ type: 'cidr', allow: splitCidrs(list(n)) });
    expect(ipRuleSchema.safeParse(rule(64)).success).toBe(true);
    expect(ipRuleSchema.safeParse(rule(65)).success).toBe(false);
  });
});
