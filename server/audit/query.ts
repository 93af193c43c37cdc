import type { Queryable, SqlValue } from '../db/types.ts';
import { AUDIT_COLUMNS } from './chain.ts';
import type { AuditRow } from './chain.ts';

export interface AuditFilter {
  /** A user id or a device id: events that user or device performed. */
  actor?: string | undefined;
  app?: string | undefined;
  device?: string | undefined;
  folder?: string | undefined;
  event?: string | undefined;
  /** Unix milliseconds, inclusive. */
  since?: number | undefined;
  /** Unix milliseconds, exclusive. */
  until?: number | undefined;
  /** Sequence number after which the page starts (oldest first). */
  after?: number | undefined;
  /** Sequence number before which the page starts; set, the page runs newest first. */
  before?: number | undefined;
  limit: number;
}

export interface AuditViewer {
  userId: string;
  isAdmin: boolean;
}

/**
 * Admins see every event. Anyone else sees what they did themselves and the events of the
 * applications they manage and of the folders they are members of (a record's event names the
 * folder it is in, so sub-folders count through their top-level folder).
 */
function visibility(viewer: AuditViewer): { sql: string; params: SqlValue[] } {
  if (viewer.isAdmin) return { sql: '', params: [] };
  return {
    sql: ` AND (actor_user_id = ?
      OR app_id IN (SELECT app_id FROM app_managers WHERE user_id = ?)
      OR folder_id IN (SELECT f.id FROM folders f
        JOIN folder_members m ON m.folder_id = f.root_id WHERE m.user_id = ?))`,
    params: [viewer.userId, viewer.userId, viewer.userId],
  };
}

export interface AuditPageRows {
  rows: AuditRow[];
  /** The next page's `after` (oldest first) or `before` (newest first); null on the last. */
  next: number | null;
}

/**
 * One page of events in chain order, or newest first when `before` is set (what people reading
 * the log expect), with the cursor of the next page.
 */
export async function queryAudit(
  db: Queryable,
  viewer: AuditViewer,
  filter: AuditFilter,
): Promise<AuditPageRows> {
  const newestFirst = filter.before !== undefined;
  const where: string[] = newestFirst ? ['seq < ?', 'seq > ?'] : ['seq > ?'];
  const params: SqlValue[] = newestFirst
    ? [filter.before ?? 0, filter.after ?? 0]
    : [filter.after ?? 0];
  const add = (sql: string, ...values: SqlValue[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (filter.actor !== undefined) {
    add('(actor_user_id = ? OR actor_device_id = ?)', filter.actor, filter.actor);
  }
  if (filter.app !== undefined) add('app_id = ?', filter.app);
  if (filter.device !== undefined) {
    add('(device_id = ? OR actor_device_id = ?)', filter.device, filter.device);
  }
  if (filter.folder !== undefined) add('folder_id = ?', filter.folder);
  if (filter.event !== undefined) add('type = ?', filter.event);
  if (filter.since !== undefined) add('at >= ?', filter.since);
  if (filter.until !== undefined) add('at < ?', filter.until);
  const visible = visibility(viewer);
  const rows = await db.all<AuditRow>(
    `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE ${where.join(' AND ')}${visible.sql}
     ORDER BY seq ${newestFirst ? 'DESC' : 'ASC'} LIMIT ?`,
    [...params, ...visible.params, filter.limit + 1],
  );
  const more = rows.length > filter.limit;
  const page = more ? rows.slice(0, filter.limit) : rows;
  return { rows: page, next: more ? (page.at(-1)?.seq ?? null) : null };
}

/** An event as the API and the JSON-lines export show it: empty fields left out. */
export function auditView(row: AuditRow): Record<string, unknown> {
  const view: Record<string, unknown> = {
    seq: row.seq,
    time: new Date(row.at).toISOString(),
    type: row.type,
    outcome: row.outcome,
  };
  const optional: [string, string | null][] = [
    ['actorUserId', row.actor_user_id],
    ['actorDeviceId', row.actor_device_id],
    ['appId', row.app_id],
    ['deviceId', row.device_id],
    ['folderId', row.folder_id],
    ['recordId', row.record_id],
    ['targetUserId', row.target_user_id],
    ['reason', row.reason],
  ];
  for (const [key, value] of optional) if (value !== null) view[key] = value;
  view['ip'] = row.ip;
  if (row.details !== null) view['details'] = JSON.parse(row.details) as unknown;
  view['prevHash'] = row.prev_hash;
  view['hash'] = row.hash;
  return view;
}
