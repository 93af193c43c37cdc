import { CofferError, isCofferError } from '../../shared/errors.ts';
import { flagSet, parseArgs } from '../args.ts';
import { openClient } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { printable } from '../format.ts';
import type { Io } from '../io.ts';
import { describeAge } from '../sdk/cache.ts';

function when(seconds: number | null): string {
  return seconds === null ? 'never' : new Date(seconds * 1000).toISOString();
}

/** `coffer status`: what this device is, as the server sees it now, and how old its cache is. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: {} });
  if (args.operands.length > 0)
    throw new CofferError('cli_usage', 'coffer status takes no operands.');
  const { client, loaded } = await openClient(args, io);
  const server = loaded.config.server ?? loaded.config.profile.origin;
  try {
    const status = await client.status();
    const { device } = status;
    if (flagSet(args, 'json')) {
      io.out(
        JSON.stringify({
          source: loaded.source,
          server,
          ...device,
          cacheAgeSeconds: status.cacheAgeSeconds ?? null,
        }),
      );
      return EXIT.ok;
    }
    const rule =
      device.ipRule.type === 'cidr'
        ? `CIDR ${device.ipRule.allow.join(', ')}`
        : device.ipRule.type === 'first-use'
          ? `first use (bound to ${device.boundAddress})`
          : 'none';
    const lines = [
      ['configuration', loaded.source],
      ['server', server],
      ['application', `${device.appName} (${device.appId})`],
      ['device', `${device.deviceName} (${device.deviceId})`],
      ['access expiry', when(device.accessExpiry)],
      ['IP rule', rule],
      [
        'grants',
        device.grants.map((grant) => `${grant.folderId} ${grant.mode}`).join(', ') || 'none',
      ],
      [
        'offline cache',
        status.cacheAgeSeconds === undefined
          ? 'none'
          : `${describeAge(status.cacheAgeSeconds)} old`,
      ],
    ];
    const width = Math.max(...lines.map(([label]) => (label as string).length));
    io.out(
      lines
        .map(
          ([label, value]) => `${(label as string).padEnd(width)}  ${printable(value as string)}`,
        )
        .join('\n'),
    );
    return EXIT.ok;
  } catch (error) {
    if (isCofferError(error, 'server_unreachable') && !flagSet(args, 'json')) {
      io.out(
        [
          `configuration  ${loaded.source}`,
          `server         ${server} (unreachable)`,
          `application    ${printable(loaded.info.appName)} (${loaded.config.profile.appId})`,
          `device         ${printable(loaded.info.deviceName)} (${loaded.config.profile.deviceId})`,
          `access expiry  ${when(loaded.info.accessExpiry)} (as of redemption)`,
        ].join('\n'),
      );
    }
    throw error;
  }
}
