import { CofferError } from '../../shared/errors.ts';
import type { IpRule } from '../../shared/protocol/bodies.ts';
import { addressAllowed } from './ip-rule.ts';

/** Why an authenticated device may not proceed, each with its distinct code (device-api.ts). */
export type DeviceRefusal =
  | 'request_replayed'
  | 'device_revoked'
  | 'application_disabled'
  | 'device_expired'
  | 'ip_not_allowed';

const MESSAGES: Record<DeviceRefusal, string> = {
  request_replayed: 'This request was already received once',
  device_revoked: 'This device has been revoked',
  application_disabled: 'The application of this device is disabled',
  device_expired: 'The access of this device has expired',
  ip_not_allowed: 'This device may not be used from this address',
};

export function refusal(code: DeviceRefusal): CofferError {
  return new CofferError(code, MESSAGES[code]);
}

export function isDeviceRefusal(code: string): code is DeviceRefusal {
  return Object.hasOwn(MESSAGES, code);
}

/**
 * The refusals that depend only on what a device was bound with and the clock — its access
 * expiry and its IP rule — checked after revocation and the application's state.
 */
export function lateRefusal(
  device: { accessExpiry: number | null; ipRule: IpRule; boundAddress: string },
  ip: string,
  now: number,
): { code: DeviceRefusal; details?: { boundAddress: string } } | undefined {
  if (device.accessExpiry !== null && Math.floor(now / 1000) >= device.accessExpiry) {
    return { code: 'device_expired' };
  }
  if (!addressAllowed(device.ipRule, ip, device.boundAddress)) {
    return { code: 'ip_not_allowed', details: { boundAddress: device.boundAddress } };
  }
  return undefined;
}
