import { CofferError, isCofferError } from '../../shared/errors.ts';
import type { IpRule } from '../../shared/protocol/bodies.ts';
import { flagSet, parseArgs } from '../args.ts';
import { openClient } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { printable } from '../format.ts';
import type { Io } from '../io.ts';
import { describeAge } from '../sdk/cache.ts';
import type { LocalStatus } from '../sdk/types.ts';

function when(seconds: number | null): string {
  return seconds === null ? 'never' : new Date(seconds * 1000).toISOString();
}

function describeRule(rule: IpRule, boundAddress: string): string {
  if (rule.type === 'cidr') return `CIDR ${rule.allow.join(', ')}`;
  return rule.type === 'first-use' ? `first use (bound to ${boundAddress})` : 'none';
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

/** The cache's age, and whether a command would answer from it with the server out of reach. */
function describeCache(local: LocalStatus, cacheOn: boolean): string {
  const age = local.cacheAgeSeconds;
  if (age === undefined) return 'none';
  const max = describeAge(local.cacheMaxAgeSeconds);
  if (!cacheOn) return `${describeAge(age)} old; not used (--no-cache)`;
  return local.cacheUsable
    ? `${describeAge(age)} old, within its maximum age of ${max}: used while the server ` +
        'cannot be reached'
    : `${describeAge(age)} old, older than its maximum age of ${max}: not used`;
}

function printLines(io: Io, lines: readonly (readonly [string, string])[]): void {
  const width = Math.max(...lines.map(([label]) => label.length));
  io.out(lines.map(([label, value]) => `${label.padEnd(width)}  ${printable(value)}`).join('\n'));
}

/**
 * `coffer status`: what this device is, as the server sees it now, and how old its cache is.
 * When the server cannot be reached it prints what the device knows locally — its profile as
 * of redemption, the grants as of the cache's last save, the cache's age against its maximum —
 * and still exits with the network code: a health check must not pass while the server is down.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: {} });
  if (args.operands.length > 0)
    throw new CofferError('cli_usage', 'coffer status takes no operands.');
  const { client, loaded } = await openClient(args, io);
  const server = loaded.config.server ?? loaded.config.profile.origin;
  const json = flagSet(args, 'json');
  const cacheOn = !flagSet(args, 'no-cache');
  const cacheFields = (local: LocalStatus) => ({
    cacheAgeSeconds: local.cacheAgeSeconds ?? null,
    cacheMaxAgeSeconds: local.cacheMaxAgeSeconds,
    cacheUsable: local.cacheUsable,
  });
  let status;
  try {
    status = await client.status();
  } catch (error) {
    if (!isCofferError(error, 'server_unreachable')) throw error;
    const local = await client.localStatus();
    const { info, config } = loaded;
    const grants = local.cachedGrants;
    if (json) {
      io.out(
        JSON.stringify({
          source: loaded.source,
          server,
          reachable: false,
          deviceId: config.profile.deviceId,
          deviceName: info.deviceName,
          appId: config.profile.appId,
          appName: info.appName,
          accessExpiry: info.accessExpiry,
          ipRule: info.ipRule,
          boundAddress: info.boundAddress,
          redeemedAt: info.redeemedAt,
          grants:
            grants?.map((grant) => ({
              ...grant,
              folderName: local.folderNames.get(grant.folderId) ?? null,
            })) ?? null,
          ...cacheFields(local),
        }),
      );
    } else {
      const redeemed = `as of redemption, ${when(info.redeemedAt)}`;
      printLines(io, [
        ['configuration', loaded.source],
        ['server', `${server} (cannot be reached; the rest is what this device last saw)`],
        ['application', `${info.appName} (${config.profile.appId})`],
        ['device', `${info.deviceName} (${config.profile.deviceId})`],
        ['access expiry', `${when(info.accessExpiry)} (${redeemed})`],
        ['IP rule', `${describeRule(info.ipRule, info.boundAddress)} (${redeemed})`],
        [
          'grants',
          grants === undefined || local.cacheAgeSeconds === undefined
            ? 'unknown (no offline cache)'
            : `${describeGrants(grants, local.folderNames)} (as of ` +
              `${describeAge(local.cacheAgeSeconds)} ago)`,
        ],
        ['offline cache', describeCache(local, cacheOn)],
      ]);
    }
    throw error;
  }
  const { device, folderNames } = status;
  if (json) {
    io.out(
      JSON.stringify({
        source: loaded.source,
        server,
        reachable: true,
        ...device,
        grants: device.grants.map((grant) => ({
          ...grant,
          folderName: folderNames.get(grant.folderId) ?? null,
        })),
        ...cacheFields(status),
      }),
    );
    return EXIT.ok;
  }
  printLines(io, [
    ['configuration', loaded.source],
    ['server', server],
    ['application', `${device.appName} (${device.appId})`],
    ['device', `${device.deviceName} (${device.deviceId})`],
    ['access expiry', when(device.accessExpiry)],
    ['IP rule', describeRule(device.ipRule, device.boundAddress)],
    ['grants', describeGrants(device.grants, folderNames)],
    ['offline cache', describeCache(status, cacheOn)],
  ]);
  return EXIT.ok;
}
