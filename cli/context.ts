import { CofferError } from '../shared/errors.ts';
import { flagSet, flagValue, parseDuration, type ParsedArgs } from './args.ts';
import type { Io } from './io.ts';
import { createClient, type CofferClient } from './sdk/client.ts';
import { loadClientConfig, type LoadedConfig } from './sdk/load-config.ts';

/** Client settings every command shares, read from the global options. */
export function clientOptions(args: ParsedArgs, io: Io) {
  const maxAge = flagValue(args, 'cache-max-age');
  const timeout = flagValue(args, 'timeout');
  const localAddress = flagValue(args, 'local-address');
  if (localAddress !== undefined && !/^[0-9A-Fa-f.:]{2,45}$/.test(localAddress)) {
    throw new CofferError('cli_usage', '--local-address must be an IP address of this machine.');
  }
  return {
    cache: !flagSet(args, 'no-cache'),
    ...(maxAge === undefined
      ? {}
      : { cacheMaxAgeSeconds: parseDuration(maxAge, '--cache-max-age') }),
    ...(timeout === undefined
      ? {}
      : { timeoutMs: Math.max(1, parseDuration(timeout, '--timeout')) * 1000 }),
    ...(localAddress === undefined ? {} : { localAddress }),
    onWarning: (message: string) => io.warn(message),
  };
}

/** The configured client: COFFER_CONFIG, or the profile chosen by --profile/COFFER_PROFILE. */
export async function openClient(
  args: ParsedArgs,
  io: Io,
): Promise<{ client: CofferClient; loaded: LoadedConfig }> {
  const profile = flagValue(args, 'profile');
  const loaded = await loadClientConfig({
    env: io.env,
    ...(profile === undefined ? {} : { profile }),
    client: clientOptions(args, io),
  });
  return { client: createClient(loaded.config), loaded };
}
