import { CofferError, isCofferError } from '../../shared/errors.ts';
import type { DeviceTokenRegistration, IpRule } from '../../shared/protocol/bodies.ts';
import { checkFirstAccessDeadline } from '../../shared/protocol/token-lifetime.ts';
import type { Queryable } from '../db/types.ts';
import { managedApp } from './access.ts';
import type { Manager } from './access.ts';

/** An access expiry further out than this is a mistake, not a policy (DT-03 "huge lifetimes"). */
export const ACCESS_EXPIRY_MAX_SECONDS = 10 * 366 * 24 * 3600;

export interface DeviceRow extends Record<string, unknown> {
  id: string;
  app_id: string;
  name: string;
  first_access_deadline: number;
  access_expiry: number | null;
  ip_rule: string;
  created_at: number;
  redeemed_at: number | null;
  bound_address: string | null;
  last_access_at: number | null;
  last_address: string | null;
  revoked_at: number | null;
}

/** Never the bind-proof key, the token-wrapped app key or the device's public keys. */
const DEVICE_LIST_COLUMNS =
  'id, app_id, name, first_access_deadline, access_expiry, ip_rule, created_at, redeemed_at, ' +
  'bound_address, last_access_at, last_address, revoked_at';

export type DeviceState = 'pending' | 'unredeemed_expired' | 'active' | 'expired' | 'revoked';

function deviceState(row: DeviceRow, nowSeconds: number): DeviceState {
  if (row.revoked_at !== null) return 'revoked';
  if (row.redeemed_at === null) {
    return nowSeconds < row.first_access_deadline ? 'pending' : 'unredeemed_expired';
  }
  if (row.access_expiry !== null && nowSeconds >= row.access_expiry) return 'expired';
  return 'active';
}

/** What a manager's device list shows (DESIGN.md "Applications, one-time tokens and devices"). */
export function deviceView(row: DeviceRow, nowSeconds: number) {
  return {
    id: row.id,
    shortId: row.id.slice(0, 8),
    appId: row.app_id,
    name: row.name,
    createdAt: row.created_at,
    firstAccessDeadline: row.first_access_deadline,
    firstAccessAt: row.redeemed_at,
    lastAccessAt: row.last_access_at,
    boundAddress: row.bound_address,
    lastAddress: row.last_address,
    ipRule: JSON.parse(row.ip_rule) as IpRule,
    accessExpiry: row.access_expiry,
    state: deviceState(row, nowSeconds),
    revoked: row.revoked_at !== null,
    revokedAt: row.revoked_at,
  };
}

/**
 * Registers freshly minted device tokens: only the device id, bind-proof key, token-wrapped app
 * key, name, deadline, expiry and IP rule arrive; the token itself never does. Deadlines are
 * checked against the server clock only (DT-03).
 */
export async function mintDevices(
  tx: Queryable,
  who: Manager,
  appId: string,
  registrations: readonly DeviceTokenRegistration[],
  now: number,
) {
  const app = await managedApp(tx, who, appId);
  const nowSeconds = Math.floor(now / 1000);
  const seen = new Set<string>();
  for (const [i, reg] of registrations.entries()) {
    const which = registrations.length === 1 ? 'Device' : `Device ${i + 1}`;
    if (reg.appId !== appId) {
      throw new CofferError('invalid_input', `${which}: appId must be this application's id`);
    }
    if (reg.appKeyVersion !== app.key_version) {
      throw new CofferError('conflict', `${which}: the app key version is not the current one`);
    }
    try {
      checkFirstAccessDeadline(reg.firstAccessDeadline, nowSeconds);
    } catch (error) {
      const message = error instanceof Error ? error.message : 'First-access deadline is invalid.';
      throw new CofferError('invalid_input', `${which}: ${message}`);
    }
    if (
      reg.accessExpiry !== undefined &&
      (reg.accessExpiry <= nowSeconds || reg.accessExpiry - nowSeconds > ACCESS_EXPIRY_MAX_SECONDS)
    ) {
      throw new CofferError(
        'invalid_input',
        `${which}: access expiry must be in the future and at most 10 years ahead`,
      );
    }
    if (
      seen.has(reg.deviceId) ||
      (await tx.get('SELECT id FROM devices WHERE id = ?', [reg.deviceId]))
    ) {
      throw new CofferError('conflict', `${which}: this device id is already registered`);
    }
    seen.add(reg.deviceId);
    await tx.run(
      `INSERT INTO devices (id, app_id, name, bind_proof_key, app_key_version, wrapped_app_key,
         first_access_deadline, access_expiry, ip_rule, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        reg.deviceId,
        appId,
        reg.name,
        reg.bindProofKey,
        reg.appKeyVersion,
        reg.wrappedAppKey,
        reg.firstAccessDeadline,
        reg.accessExpiry ?? null,
        JSON.stringify(reg.ipRule),
        who.userId,
        now,
      ],
    );
  }
  const rows = await tx.all<DeviceRow>(
    `SELECT ${DEVICE_LIST_COLUMNS} FROM devices WHERE id IN (${registrations.map(() => '?').join(', ')})`,
    registrations.map((reg) => reg.deviceId),
  );
  return { devices: rows.map((row) => deviceView(row, nowSeconds)) };
}

export async function listDevices(db: Queryable, who: Manager, appId: string, now: number) {
  await managedApp(db, who, appId);
  const rows = await db.all<DeviceRow>(
    `SELECT ${DEVICE_LIST_COLUMNS} FROM devices WHERE app_id = ? ORDER BY created_at, id`,
    [appId],
  );
  return { devices: rows.map((row) => deviceView(row, Math.floor(now / 1000))) };
}

const deviceNotFound = () => new CofferError('not_found', 'Device not found');

/**
 * Revokes a device at once: its next request answers `device_revoked`. Its bind-proof key and
 * token-wrapped app key are erased, so an unredeemed token can never be redeemed. `appId`
 * undefined revokes the device wherever the caller manages it (a device id found on a machine).
 */
export async function revokeDevice(
  tx: Queryable,
  who: Manager,
  deviceId: string,
  appId: string | undefined,
  now: number,
) {
  const row = await tx.get<DeviceRow>(`SELECT ${DEVICE_LIST_COLUMNS} FROM devices WHERE id = ?`, [
    deviceId,
  ]);
  if (!row || (appId !== undefined && row.app_id !== appId)) throw deviceNotFound();
  try {
    await managedApp(tx, who, row.app_id);
  } catch (error) {
    // Another manager's device answers exactly like a missing one (AC-01).
    if (isCofferError(error, 'not_found')) throw deviceNotFound();
    throw error;
  }
  await tx.run(
    `UPDATE devices SET revoked_at = COALESCE(revoked_at, ?), bind_proof_key = NULL,
       wrapped_app_key = NULL WHERE id = ?`,
    [now, deviceId],
  );
  const updated = await tx.get<DeviceRow>(
    `SELECT ${DEVICE_LIST_COLUMNS} FROM devices WHERE id = ?`,
    [deviceId],
  );
  if (!updated) throw deviceNotFound();
  return deviceView(updated, Math.floor(now / 1000));
}
