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

/** "Production" (read-only), by name where this device knows it, else by id. */
function describeGrants(
  grants: readonly { folderId: string; mode: string }[],
  names: ReadonlyMap<string, string>,
): string {
  if (grants.length === 0) return 'none';
  const shown = grants.map((grant) => {
    const name = names.get(grant.folderId);
    const shownName = name === undefined ? `folder ${grant.folderId}` : JSON.stringify(name);
    return `${shownName} (${grant.mode})`;
  });
  const unnamed = grants.some((grant) => !names.has(grant.folderId));
  return `${shown.join(', ')}${unnamed ? '; names show after a "coffer list"' : ''}`;
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
    const { device, folderNames } = status;
    if (flagSet(args, 'json')) {
      io.out(
        JSON.stringify({
          source: loaded.source,
          server,
          ...device,
          grants: device.grants.map((grant) => ({
            ...grant,
            folderName: folderNames.get(grant.folderId) ?? null,
          })),
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
      ['grants', describeGrants(device.grants, folderNames)],
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
