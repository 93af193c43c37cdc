/**
 * CIDR syntax for device IP allow-lists. IPv4 octets are decimal without leading zeros (so
 * "010.0.0.1" cannot mean octal to one parser and decimal to another); IPv6 literals are checked
 * and canonicalised by the WHATWG URL parser, which every runtime of shared/ provides.
 */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4_CIDR = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}/(?:3[0-2]|[12]?[0-9])$`);
const IPV6_CIDR = /^([0-9A-Fa-f:.]{2,45})\/(12[0-8]|1[01][0-9]|[1-9]?[0-9])$/;

/** Canonical form of a CIDR block (IPv6 compressed and lower-case), or undefined when invalid. */
export function canonicalCidr(text: string): string | undefined {
  if (typeof text !== 'string' || text.length > 50) return undefined;
  if (IPV4_CIDR.test(text)) return text;
  const v6 = IPV6_CIDR.exec(text);
  if (v6 === null || v6[1] === undefined || !v6[1].includes(':')) return undefined;
  let hostname: string;
  try {
    hostname = new URL(`http://[${v6[1]}]/`).hostname;
  } catch {
    return undefined;
  }
  return `${hostname.slice(1, -1)}/${v6[2] ?? ''}`;
}
