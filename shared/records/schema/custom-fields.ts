import { z } from 'zod';
import { LIMITS, exactText } from './strings.ts';

/** The longest custom field name, in UTF-16 code units. */
export const CUSTOM_FIELD_NAME_MAX = 128;

/**
 * A custom field any record may carry; `hidden` ones are secret and masked by default. Built on
 * first use, with the record schemas that hold it (record-types.ts).
 */
export const customFieldSchema = z.lazy(() => {
  const name = exactText(CUSTOM_FIELD_NAME_MAX).refine(
    (value) => value.length > 0,
    'must not be empty',
  );
  return z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('text'), name, value: exactText(LIMITS.notes) }),
    z.strictObject({ kind: z.literal('hidden'), name, value: exactText(LIMITS.secret) }),
    z.strictObject({ kind: z.literal('boolean'), name, value: z.boolean() }),
    z.strictObject({ kind: z.literal('url'), name, value: exactText(LIMITS.url) }),
    z.strictObject({
      kind: z.literal('email'),
      name,
      value: exactText(LIMITS.short).refine(
        (value) => value === '' || /^[^\s@]+@[^\s@]+$/.test(value),
        'must be an e-mail address',
      ),
    }),
    z.strictObject({
      kind: z.literal('date'),
      name,
      value: z
        .string()
        .regex(
          /^(?:\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))?$/,
          'must be a date YYYY-MM-DD',
        ),
    }),
  ]);
});

export type CustomField = z.infer<typeof customFieldSchema>;
export type CustomFieldKind = CustomField['kind'];
export const CUSTOM_FIELD_KINDS = [
  'text',
  'hidden',
  'boolean',
  'url',
  'email',
  'date',
] as const satisfies readonly CustomFieldKind[];
