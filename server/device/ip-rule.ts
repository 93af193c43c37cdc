import { BlockList, isIP } from 'node:net';
import type { IpRule } from '../../shared/protocol/bodies.ts';

/**
 * Whether `address` (already normalised: IPv4-mapped IPv6 as plain IPv4) may use a device.
 * `first-use` allows anyone until the device is bound, then only the bound address; a CIDR list
 * allows its blocks, at redemption and afterwards; `none` allows every address.
 */
export function addressAllowed(
  rule: IpRule,
  address: string,
  boundAddress: string | null,
): boolean {
  switch (rule.type) {
    case 'none':
      return true;
    case 'first-use':
      return boundAddress === null || address === boundAddress;
    case 'cidr':
      return inCidrList(rule.allow, address);
  }
}

function inCidrList(blocks: readonly string[], address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const list = new BlockList();
  for (const block of blocks) {
    const [network, bits] = block.split('/');
    if (network === undefined || bits === undefined) continue;
    const networkFamily = isIP(network);
    if (networkFamily === 0) continue;
    list.addSubnet(network, Number(bits), networkFamily === 4 ? 'ipv4' : 'ipv6');
  }
  return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
