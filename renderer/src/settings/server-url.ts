import { CofferError } from '../../../shared/errors.ts';
import { settingsSchema } from '../../../shared/ipc/settings.ts';

/** A server address as settings keep it: an http(s) origin without path, query or credentials. */
export function parseServerUrl(url: string): string {
  const parsed = settingsSchema.shape.serverUrl.safeParse(url.trim().replace(/\/+$/, ''));
  if (!parsed.success) {
    throw new CofferError(
      'invalid_input',
      'Enter the server address as https://host[:port], without a path.',
    );
  }
  return parsed.data;
}
