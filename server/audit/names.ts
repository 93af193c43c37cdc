import type { Queryable } from '../db/types.ts';
import type { AuditRow } from './chain.ts';

/**
 * Who and what a page of events names, so the app can say "alice@example.com" and
 * "deploy-runner (CI pipeline)" instead of ids. Access-control metadata the server keeps in the
 * clear anyway (sign-in e-mail, device and application names); never vault content. Kept apart
 * from the events so the rows stay exactly as stored and hashed.
 */
export interface AuditNames {
  users: Record<string, { email: string | null }>;
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
  for (const user of await byIds<{ id: string; email: string | null }>(
    db,
    'SELECT id, email FROM users',
    userIds,
  )) {
    names.users[user.id] = { email: user.email };
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

async function byIds<T extends { id: string }>(
  db: Queryable,
  select: string,
  ids: ReadonlySet<string>,
): Promise<T[]> {
  if (ids.size === 0) return [];
  const marks = Array.from(ids, () => '?').join(', ');
  return db.all<T>(`${select} WHERE id IN (${marks})`, [...ids]);
}
