import { describe, expect, it } from 'vitest';
import { denyAllPermissions, type PermissionSession } from '../../../electron/main/permissions.ts';
import { recordingLogger } from './fakes.ts';

type Handlers = {
  request?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
  check?: (...args: unknown[]) => boolean;
  device?: (...args: unknown[]) => boolean;
  display?: (request: unknown, callback: (streams: unknown) => void) => void;
};

function capture() {
  const handlers: Handlers = {};
  const session = {
    setPermissionRequestHandler: (h: NonNullable<Handlers['request']>) => (handlers.request = h),
    setPermissionCheckHandler: (h: NonNullable<Handlers['check']>) => (handlers.check = h),
    setDevicePermissionHandler: (h: NonNullable<Handlers['device']>) => (handlers.device = h),
    setDisplayMediaRequestHandler: (h: NonNullable<Handlers['display']>) => (handlers.display = h),
  };
  denyAllPermissions(session as unknown as PermissionSession, recordingLogger());
  return handlers;
}

const permissions = [
  'media',
  'geolocation',
  'notifications',
  'clipboard-read',
  'clipboard-sanitized-write',
  'openExternal',
  'hid',
  'serial',
  'usb',
  'fullscreen',
  'unknown',
];

describe('permission denial', () => {
  it.each(permissions)('answers a %s request with no', (permission) => {
    const answers: boolean[] = [];
    capture().request?.({}, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false]);
  });

  it.each(permissions)('answers a %s check with no', (permission) => {
    expect(capture().check?.(null, permission, 'coffer-app://bundle', {})).toBe(false);
  });

  it('refuses device access and screen capture', () => {
    const handlers = capture();
    expect(handlers.device?.({ deviceType: 'usb', origin: 'coffer-app://bundle' })).toBe(false);
    const streams: unknown[] = [];
    handlers.display?.({}, (answer) => streams.push(answer));
    expect(streams).toEqual([null]);
  });
});
