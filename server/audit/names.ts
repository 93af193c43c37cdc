import type { Queryable } from '../db/types.ts';
import type { AuditRow } from './chain.ts';

/**
 * Who and what a page of events names, so the app can say "alice@example.com" and
 * "deploy-runner (CI pipeline)" instead of ids. Access-control metadata the server keeps in the
 * clear anyway (sign-in e-mail, issuer, device and application names); never vault content.
 * Kept apart from the events so the rows stay exactly as stored and hashed.
 *
 * An e-mail does not identify an account: users are keyed by (issuer, subject), so two
 * providers may each have an alice@example.com. Each user therefore comes with its issuer and
 * the short id the app shows for devices too (the first 8 characters of the id), so the app can
 * tell them apart. The e-mail is the current one, as the last sign-in left it.
 */
export interface AuditNames {
  users: Record<string, { email: string | null; issuer: string; shortId: string }>;
  devices: Record<string, { name: string; appId: string }>;
  apps: Record<string, { name: string }>;
}

/** Only the ids the page's rows mention: a viewer learns no name beyond the events it may see. */
export async function namesFor(db: Queryable, rows: readonly AuditRow[]): Promise<AuditNames> {
  const userIds = new Set<string>();
  const deviceIds = new Set<string>();
  const appIds = new Set<string>();
  for (const row of rows) {
    for (const id of [row.actor_user_id, row.target_user_id]) if (id !== null) userIds.add(id);
    for (const id of [row.actor_device_id, row.device_id]) if (id !== null) deviceIds.add(id);
    if (row.app_id !== null) appIds.add(row.app_id);
  }
  const names: AuditNames = { users: {}, devices: {}, apps: {} };
  for (const user of await byIds<{ id: string; email: string | null; issuer: string }>(
    db,
    'SELECT id, email, issuer FROM users',
    userIds,
  )) {
    names.users[user.id] = { email: user.email, issuer: user.issuer, shortId: shortId(user.id) };
  }
  for (const device of await byIds<{ id: string; name: string; app_id: string }>(
    db,
    'SELECT id, name, app_id FROM devices',
    deviceIds,
  )) {
    names.devices[device.id] = { name: device.name, appId: device.app_id };
    appIds.add(device.app_id);
  }
  for (const app of await byIds<{ id: string; name: string }>(
    db,
    'SELECT id, name FROM applications',
    appIds,
  )) {
    names.apps[app.id] = { name: app.name };
  }
  return names;
}

/** The id's first 8 characters, as devices are shown (server/apps/devices.ts). */
function shortId(id: string): string {
  return id.slice(0, 8);
}

async function byIds<T extends { id: string }>(
  db: Queryable,
  select: string,
  ids: ReadonlySet<string>,
): Promise<T[]> {
  if (ids.size === 0) return [];
  const marks = Array.from(ids, () => '?').join(', ');
  return db.all<T>(`${select} WHERE id IN (${marks})`, [...ids]);
}
