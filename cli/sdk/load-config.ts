import { CofferError, isCofferError } from '../../shared/errors.ts';
import { normaliseServerOrigin } from '../../shared/protocol/origin.ts';
import { decodeConfigVariable, type ActiveDocument, type DeviceInfo } from '../config/document.ts';
import { cacheDir, configDir, ENV, type Environment } from '../config/paths.ts';
import { ProfileStore } from '../config/profiles.ts';
import { DeviceCache } from './cache.ts';
import type { ClientConfig } from './client.ts';

export interface LoadOptions {
  /** Profile name; else COFFER_PROFILE, else the current profile, else "default". */
  readonly profile?: string;
  /** Defaults to `process.env`. */
  readonly env?: Environment;
  /** Anything else to pass to the client (cache, localAddress, retry, onWarning…). */
  readonly client?: Omit<ClientConfig, 'profile'>;
}

export interface LoadedConfig {
  readonly config: ClientConfig;
  /** Where it came from: `COFFER_CONFIG` or `profile "<name>"`. */
  readonly source: string;
  readonly info: DeviceInfo;
}

/**
 * The device configuration the way the CLI finds it: COFFER_CONFIG wins (a CI secret), then the
 * named profile; COFFER_SERVER replaces the server origin. Scripts use the same function, so a
 * script and the `coffer` command always agree on which device they are.
 */
export async function loadClientConfig(options: LoadOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const root = configDir(env);
  const inline = env[ENV.config];
  let loaded: {
    profile: ClientConfig['profile'];
    info: DeviceInfo;
    source: string;
    onRevoked?: () => Promise<void>;
  };
  if (inline !== undefined && inline !== '' && options.profile === undefined) {
    const document = decodeConfigVariable(inline);
    await refuseIfRevoked(document, root, options.client?.onWarning);
    loaded = { profile: document.profile, info: document.info, source: ENV.config };
  } else {
    const store = new ProfileStore(root);
    const name = options.profile ?? nonEmpty(env[ENV.profile]) ?? (await store.current());
    const document = await store.active(name);
    await refuseIfRevoked(document, root, options.client?.onWarning);
    loaded = {
      profile: document.profile,
      info: document.info,
      source: `profile "${name}"`,
      onRevoked: async () => {
        await options.client?.onRevoked?.();
        await store.markRevoked(name, Math.floor((options.client?.now ?? Date.now)() / 1000));
      },
    };
  }
  const serverText = nonEmpty(env[ENV.server]);
  let server: string | undefined;
  if (serverText !== undefined) {
    try {
      server = normaliseServerOrigin(serverText);
    } catch (error) {
      throw new CofferError('cli_usage', `COFFER_SERVER: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return {
    config: {
      cacheDir: cacheDir(root),
      ...options.client,
      ...(loaded.onRevoked === undefined ? {} : { onRevoked: loaded.onRevoked }),
      profile: loaded.profile,
      ...(server === undefined ? {} : { server }),
    },
    source: loaded.source,
    info: loaded.info,
  };
}

/**
 * A device the server once answered `device_revoked` for is refused here, before its offline
 * cache is even read: otherwise a cache copied back (from a backup, another checkout) would keep
 * serving secrets whenever the server is out of reach. The refusal is the server's, word for
 * word, with the same code; and the cache it names as deleted is deleted again.
 */
async function refuseIfRevoked(
  document: ActiveDocument,
  root: string,
  warn: ((message: string) => void) | undefined,
): Promise<void> {
  if (document.revokedAt === undefined) return;
  try {
    await new DeviceCache(cacheDir(root), document.profile).wipe();
  } catch (error) {
    if (!isCofferError(error)) throw error;
    warn?.(error.message);
  }
  throw new CofferError('device_revoked', 'This device has been revoked');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
