import { DEFAULT_SETTINGS } from '../../shared/ipc/settings.ts';
import { normaliseServerOrigin } from '../../shared/protocol/origin.ts';
import type { Logger } from './logger.ts';

/** Set by `npm start` (scripts/start.mjs) to the server it started; an installer may set it too. */
export const SERVER_URL_VARIABLE = 'COFFER_SERVER_URL';

/**
 * The server offered until the user chooses one: `COFFER_SERVER_URL` when it is a server origin
 * (https, or http on a loopback address only, as for any server the app talks to), else the
 * built-in default. A bad value is reported by its shape, never its text, and otherwise ignored:
 * the user can still choose a server.
 */
export function defaultServerUrl(
  env: Readonly<Record<string, string | undefined>>,
  log: Logger,
): string {
  const raw = env[SERVER_URL_VARIABLE];
  if (raw === undefined || raw === '') return DEFAULT_SETTINGS.serverUrl;
  try {
    return normaliseServerOrigin(raw);
  } catch {
    log.warn('default server ignored: not an https origin (http only on loopback)', {
      variable: SERVER_URL_VARIABLE,
      length: raw.length,
    });
    return DEFAULT_SETTINGS.serverUrl;
  }
}
