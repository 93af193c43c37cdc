import { isIP } from 'node:net';

/**
 * Checks of `trustedProxies`, the addresses whose X-Forwarded-For the server believes (DT-04).
 * Fastify hands the list to @fastify/proxy-addr, which throws a bare TypeError at start-up for
 * some entries Node's `isIP` accepts (a /0 prefix: "invalid range on address"); every entry is
 * therefore checked here first, so a bad one is a `config_invalid` naming the setting.
 *
 * Beyond the syntax, a block must be one a proxy fleet can have. Whoever is inside a trusted
 * block chooses the client address the server sees — so chooses past IP rules, first-use
 * binding and every per-address limit. A /0 hands that to the whole Internet; so does the
 * IPv4-mapped block `::ffff:0:0/96`, because proxy-addr compares IPv4 clients with IPv6 blocks
 * in their mapped form. The widest private ranges are 10.0.0.0/8 and fc00::/7, and providers
 * publish their proxies' blocks at /8 or narrower (IPv4) and /16 or narrower (IPv6), so a
 * wider block is refused, unless it lies within IPv6 unique-local or link-local space.
 */

const IPV4_MIN_PREFIX = 8;
const IPV6_MIN_PREFIX = 16;

interface Block {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

/** The address ranges a wider IPv6 block may still be within: fc00::/7 and fe80::/10. */
const PRIVATE_V6: readonly Block[] = [
  { family: 6, network: 0xfcn << 120n, prefix: 7 },
  { family: 6, network: 0xfe80n << 112n, prefix: 10 },
];
/** `::ffff:0:0/96`: IPv4 addresses as an IPv6 socket reports them. */
const MAPPED_V4: Block = { family: 6, network: 0xffffn << 32n, prefix: 96 };

const PREFIX = /^(?:0|[1-9][0-9]{0,2})$/;

/** Why a `trustedProxies` entry is refused, or undefined when it may stand. */
export function trustedProxyProblem(entry: string): string | undefined {
  const parts = entry.split('/');
  const [address = '', prefixText] = parts;
  const family = address.includes('%') ? 0 : isIP(address);
  const bits = family === 4 ? 32 : 128;
  if (
    parts.length > 2 ||
    (family !== 4 && family !== 6) ||
    (prefixText !== undefined && (!PREFIX.test(prefixText) || Number(prefixText) > bits))
  ) {
    return 'must be an IP address or a CIDR block such as 10.0.0.0/8 or fd00::/8';
  }
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  const value = family === 4 ? ipv4Value(address) : ipv6Value(address);
  const block: Block = { family, network: value & mask(family, prefix), prefix };
  if (block.network !== value) {
    const written = blockText(block);
    return `${entry} has bits set past its /${prefix} prefix: write the block as ${written}`;
  }
  if (prefix === 0 || within(MAPPED_V4, block)) {
    return (
      `${entry} would believe X-Forwarded-For from every ${prefix === 0 ? '' : 'IPv4 '}` +
      'address, so any client could pick the address the server sees and get past IP rules ' +
      "and per-address limits: list the proxies' own addresses or blocks"
    );
  }
  const v4Prefix = family === 4 ? prefix : within(block, MAPPED_V4) ? prefix - 96 : undefined;
  if (v4Prefix !== undefined && v4Prefix < IPV4_MIN_PREFIX) {
    return tooWide(entry, `IPv4 blocks may be /${IPV4_MIN_PREFIX} at widest`);
  }
  if (
    family === 6 &&
    v4Prefix === undefined &&
    prefix < IPV6_MIN_PREFIX &&
    !PRIVATE_V6.some((range) => within(block, range))
  ) {
    return tooWide(
      entry,
      `IPv6 blocks may be /${IPV6_MIN_PREFIX} at widest, or wider within fc00::/7 or fe80::/10`,
    );
  }
  return undefined;
}

function tooWide(entry: string, rule: string): string {
  return (
    `${entry} is wider than a proxy fleet needs (${rule}), and everyone inside it could pick ` +
    "the address the server sees: list the proxies' own addresses or blocks"
  );
}

/** Whether `inner` lies wholly within `outer`. */
function within(inner: Block, outer: Block): boolean {
  return (
    inner.family === outer.family &&
    inner.prefix >= outer.prefix &&
    (inner.network & mask(outer.family, outer.prefix)) === outer.network
  );
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(family === 4 ? 32 : 128);
  const all = (1n << bits) - 1n;
  return (all << (bits - BigInt(prefix))) & all;
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** An address `isIP` accepted as IPv6: eight groups, `::` expanded, a dotted IPv4 tail read. */
function ipv6Value(address: string): bigint {
  const groups = (text: string): bigint[] =>
    text === ''
      ? []
      : text.split(':').flatMap((group) => {
          if (!group.includes('.')) return [BigInt(`0x${group}`)];
          const v4 = ipv4Value(group);
          return [v4 >> 16n, v4 & 0xffffn];
        });
  const [head = '', tail] = address.split('::');
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<bigint>(8 - left.length - right.length).fill(0n), ...right];
  return all.reduce((value, group) => (value << 16n) | group, 0n);
}

function blockText(block: Block): string {
  if (block.family === 4) {
    const octets = [24n, 16n, 8n, 0n].map((shift) => String((block.network >> shift) & 0xffn));
    return `${octets.join('.')}/${block.prefix}`;
  }
  const hex = block.network.toString(16).padStart(32, '0');
  const groups = hex.match(/.{4}/g)?.map((group) => group.replace(/^0+(?=.)/, '')) ?? [];
  // The WHATWG URL parser writes IPv6 in its canonical compressed form (RFC 5952).
  return `${new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1)}/${block.prefix}`;
}
