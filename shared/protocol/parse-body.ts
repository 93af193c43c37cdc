import type { z } from 'zod';
import { CofferError } from '../errors.ts';

/**
 * Validates `value` against `schema` and returns the typed result, or throws `invalid_input`
 * naming each offending member by path. Zod's issue messages describe the expected shape and
 * never the received value, so nothing secret from the body reaches the message.
 */
export function parseBody<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
  throw new CofferError('invalid_input', `${what} is invalid: ${issues}.`, {
    cause: result.error,
  });
}
