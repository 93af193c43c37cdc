import { z } from 'zod';
import { CofferError } from '../../errors.ts';
import { MAX_SECRET_CHARS } from './base32.ts';
import { MAX_LABEL_CHARS } from './labels.ts';
import { MAX_DIGITS, MAX_PERIOD, MIN_DIGITS, OTP_ALGORITHMS, STEAM_DIGITS } from './types.ts';
import type { OtpEntry } from './types.ts';

/**
 * The stored form of an entry, checked whenever one crosses a boundary after parsing (decrypted
 * from the vault, received over IPC): only canonical values, so two devices always compute the
 * same codes from the same record.
 */
const common = {
  issuer: z.string().max(MAX_LABEL_CHARS),
  account: z.string().max(MAX_LABEL_CHARS),
  // 1, 3 or 6 leftover characters cannot end on a byte (see base32.ts).
  secret: z
    .string()
    .min(2)
    .max(MAX_SECRET_CHARS)
    .regex(/^[A-Z2-7]+$/)
    .refine((s) => ![1, 3, 6].includes(s.length % 8)),
  algorithm: z.enum(OTP_ALGORITHMS),
};
const period = z.number().int().min(1).max(MAX_PERIOD);

export const otpEntrySchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('totp'),
    ...common,
    digits: z.number().int().min(MIN_DIGITS).max(MAX_DIGITS),
    period,
  }),
  z.strictObject({
    type: z.literal('hotp'),
    ...common,
    digits: z.number().int().min(MIN_DIGITS).max(MAX_DIGITS),
    counter: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  }),
  z.strictObject({ type: z.literal('steam'), ...common, digits: z.literal(STEAM_DIGITS), period }),
]);

/** Checks a stored entry; the message names the field at fault, never its value. */
export function validateOtpEntry(value: unknown): OtpEntry {
  const result = otpEntrySchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'entry' : issue.path.join('.');
  throw new CofferError('invalid_input', `Stored one-time-code entry is invalid: check '${field}'`);
}
