import type { DeviceState, DeviceView } from '../../../shared/client/index.ts';
import type { IpRule } from '../../../shared/protocol/bodies.ts';

/** A moment in the reader's locale; `—` for never. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatSeconds(seconds: number | null): string {
  return seconds === null ? 'Never' : formatTime(seconds * 1000);
}

/** DESIGN.md's four states; a token never redeemed before its deadline counts as expired. */
export function stateLabel(state: DeviceState): string {
  switch (state) {
    case 'pending':
      return 'Pending';
    case 'active':
      return 'Active';
    case 'expired':
    case 'unredeemed_expired':
      return 'Expired';
    case 'revoked':
      return 'Revoked';
  }
}

export function stateColor(state: DeviceState): string {
  if (state === 'active') return 'teal';
  if (state === 'pending') return 'blue';
  if (state === 'revoked') return 'red';
  return 'gray';
}

export function ipRuleLabel(rule: IpRule, device?: DeviceView): string {
  if (rule.type === 'none') return 'Any address';
  if (rule.type === 'cidr') return `Allow ${rule.allow.join(', ')}`;
  return device?.boundAddress ? `First use (${device.boundAddress})` : 'First use';
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * The applications list's device count, e.g. "2 active of 3": a bare "2 of 3" left the reader
 * guessing what the 2 counted. Pending tokens are named apart, as they have not been used yet.
 */
export function deviceCountLabel(devices: readonly Pick<DeviceView, 'state'>[]): string {
  if (devices.length === 0) return 'None';
  const active = devices.filter((d) => d.state === 'active').length;
  const pending = devices.filter((d) => d.state === 'pending').length;
  const counted = pending === 0 ? `${active} active` : `${active} active, ${pending} pending`;
  return `${counted} of ${devices.length}`;
}
