import { join } from 'node:path';
import { CofferError } from '../../shared/errors.ts';
import { normaliseServerOrigin } from '../../shared/protocol/origin.ts';
import { decodeConfigVariable, type DeviceInfo } from '../config/document.ts';
import { ensurePrivateDir, lstat, removeIfExists, writeFileAtomic } from '../config/files.ts';
import { cacheDir, configDir, ENV, type Environment } from '../config/paths.ts';
import { ProfileStore } from '../config/profiles.ts';
import { CacheLocationError } from './cache.ts';
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
  const warn = options.client?.onWarning;
  const nowSeconds = () => Math.floor((options.client?.now ?? Date.now)() / 1000);
  if (inline !== undefined && inline !== '' && options.profile === undefined) {
    const document = decodeConfigVariable(inline);
    const deviceId = document.profile.deviceId;
    if (await revokedMarkExists(root, deviceId)) return refuseRevoked(root, deviceId, warn);
    loaded = {
      profile: document.profile,
      info: document.info,
      source: ENV.config,
      onRevoked: async () => {
        await options.client?.onRevoked?.();
        await markRevoked(root, deviceId, nowSeconds());
      },
    };
  } else {
    const store = new ProfileStore(root);
    const name = options.profile ?? nonEmpty(env[ENV.profile]) ?? (await store.current());
    const document = await store.completed(name);
    if (document.state === 'revoked') return refuseRevoked(root, document.deviceId, warn);
    const deviceId = document.profile.deviceId;
    loaded = {
      profile: document.profile,
      info: document.info,
      source: `profile "${name}"`,
      onRevoked: async () => {
        await options.client?.onRevoked?.();
        await store.revoke(name, deviceId, nowSeconds());
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
 * cache is even read: a cache copied back (from a backup, another checkout) must not serve
 * secrets whenever the server is out of reach. For a profile this is a courtesy (its keys are
 * erased, so such a cache cannot be opened anyway); for COFFER_CONFIG, whose keys live in the
 * CI secret store out of our reach, the mark beside the cache is what refuses it. The refusal is
 * the server's, word for word, with the same code; and the cache is deleted again.
 */
async function refuseRevoked(
  root: string,
  deviceId: string,
  warn: ((message: string) => void) | undefined,
): Promise<never> {
  try {
    await removeIfExists(join(cacheDir(root), `${deviceId}.cache`));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    warn?.(`The offline cache of this revoked device could not be deleted (${code}).`);
  }
  throw new CofferError('device_revoked', 'This device has been revoked');
}

/** `<cache>/<device id>.revoked`: the tombstone of a device whose keys cannot be erased here. */
function revokedMarkPath(root: string, deviceId: string): string {
  return join(cacheDir(root), `${deviceId}.revoked`);
}

async function revokedMarkExists(root: string, deviceId: string): Promise<boolean> {
  try {
    await lstat(revokedMarkPath(root, deviceId));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // No cache folder (or a file in its place, refused when a cache is used): no mark.
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    // Unknown is not "not revoked": refuse, naming the place, as a cache there would be.
    throw new CacheLocationError(revokedMarkPath(root, deviceId), error);
  }
}

async function markRevoked(root: string, deviceId: string, atSeconds: number): Promise<void> {
  await ensurePrivateDir(cacheDir(root));
  const mark = { state: 'revoked', deviceId, revokedAt: atSeconds };
  await writeFileAtomic(revokedMarkPath(root, deviceId), `${JSON.stringify(mark)}\n`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
