import type { Session } from 'electron';
import type { Logger } from './logger.ts';

export type PermissionSession = Pick<
  Session,
  | 'setPermissionRequestHandler'
  | 'setPermissionCheckHandler'
  | 'setDevicePermissionHandler'
  | 'setDisplayMediaRequestHandler'
>;

/**
 * Coffer's pages need no web permission at all — no camera, notifications, geolocation, HID, USB,
 * serial, screen capture, or clipboard read (copying goes through main). Every request and every
 * synchronous check is answered "no".
 */
export function denyAllPermissions(session: PermissionSession, log: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('permission request denied', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => {
    log.warn('display media request denied');
    callback(null);
  });
}
