import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../server/audit/audit.ts';
import { appendEvents, verifyChain } from '../../../server/audit/chain.ts';
import { MIGRATIONS, migrate } from '../../../server/db/migrations.ts';
import { openSqlite } from '../../../server/db/sqlite.ts';
import type { Database } from '../../../server/db/types.ts';
import { admissionStore, nonceExpiry } from '../../../server/device/admission-store.ts';
import type { NonceRow } from '../../../server/device/admission-store.ts';

// Migration 5 rebuilds the SQLite tables every device request writes; a database that ran
// migrations 1 to 4 must come through it with its audit chain, its append-only guard, its spent
// nonces and its counters intact.
describe('migration 5 on an existing SQLite database', () => {
  let dir: string;
  let db: Database;
  const store = admissionStore('sqlite');
  const start = Date.parse('2026-12-04T10:00:00Z');

  const events = (n: number, offset: number): AuditEvent[] =>
    Array.from({ length: n }, (_, i) => ({
      type: i % 2 === 0 ? 'device_fetch' : 'record_updated',
      outcome: 'success',
      ip: '192.0.2.10',
      ...(i % 2 === 0
        ? { actorDeviceId: 'dev-1', deviceId: 'dev-1', appId: 'app-1' }
        : { userId: 'user-alice', folderId: 'folder-1', recordId: `rec-${offset + i}` }),
    }));
  const consume = (rows: NonceRow[], now: number) =>
    db.transaction((tx) => store.consumeNonces(tx, rows, now));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-migration-5-'));
    db = openSqlite(join(dir, 'coffer.sqlite'));
    expect(await migrate(db, MIGRATIONS.slice(0, 4))).toEqual([1, 2, 3, 4]);
    await db.transaction((tx) => appendEvents(tx, 'sqlite', events(6, 0), start));
    // A nonce spent under migration 4: kept by the server's clock, keyed by device and nonce.
    await db.run('INSERT INTO device_nonces (device_id, nonce, expires_at) VALUES (?, ?, ?)', [
      'dev-1',
      'nonce-before',
      start + 600_000,
    ]);
    await db.run('INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, ?)', [
      'device:dev-1',
      start,
      7,
    ]);
    expect(await migrate(db)).toEqual([5]);
  });

  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the audit chain whole, append-only, and appendable', async () => {
    expect(await verifyChain(db)).toMatchObject({ ok: true, count: 6 });
    await expect(
      db.run("UPDATE audit_events SET ip = '203.0.113.1' WHERE seq = 2"),
    ).rejects.toThrow(/append-only/);
    await expect(db.run('DELETE FROM audit_events WHERE seq = 6')).rejects.toThrow(/append-only/);
    await db.transaction((tx) => appendEvents(tx, 'sqlite', events(4, 6), start + 1000));
    expect(await verifyChain(db)).toMatchObject({ ok: true, count: 10, head: { seq: 10 } });
  });

  it(
    'makes seq the rowid and serves folder ' + 'and user filters from the partial indexes',
    async () => {
      // A `BIGINT PRIMARY KEY` would show here as a sixth index, `sqlite_autoindex_audit_events_1`.
      const indexes = await db.all<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events'",
      );
      expect(indexes.map((i) => i.name).sort()).toEqual([
        'audit_events_actor',
        'audit_events_app',
        'audit_events_at',
        'audit_events_device',
        'audit_events_folder',
      ]);
      const plan = async (sql: string) =>
        (await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ['x'])).map((r) => r.detail);
      expect(await plan('SELECT seq FROM audit_events WHERE folder_id = ?')).toEqual([
        expect.stringContaining('audit_events_folder'),
      ]);
      expect(await plan('SELECT seq FROM audit_events WHERE actor_user_id = ?')).toEqual([
        expect.stringContaining('audit_events_actor'),
      ]);
      const folderRows = await db.all('SELECT seq FROM audit_events WHERE folder_id = ?', [
        'folder-1',
      ]);
      expect(folderRows).toHaveLength(3);
    },
  );

  it('still refuses a nonce spent before the migration until it expires', async () => {
    const signedAt = Math.floor(start / 1000);
    const replay = { deviceId: 'dev-1', nonce: 'nonce-before', expiresAt: nonceExpiry(signedAt) };
    expect(await consume([replay], start + 1000)).toEqual(new Set());

    const fresh = { deviceId: 'dev-1', nonce: 'nonce-after', expiresAt: nonceExpiry(signedAt) };
    expect([...(await consume([fresh], start + 1000))]).toEqual(['dev-1 nonce-after']);
    expect(await consume([fresh], start + 2000)).toEqual(new Set());

    // Past its keep the old nonce is swept, the legacy table found empty and no longer read.
    const later = start + 600_001;
    const again = { ...replay, expiresAt: nonceExpiry(Math.floor(later / 1000)) };
    expect([...(await consume([again], later))]).toEqual(['dev-1 nonce-before']);
    expect(await db.get('SELECT 1 AS left FROM device_nonces_legacy')).toBeUndefined();
  });

  it('keeps the rate counters and goes on counting them', async () => {
    const totals = await db.transaction((tx) =>
      store.countHits(tx, [{ bucket: 'device:dev-1', windowStart: start, hits: 2 }]),
    );
    expect(totals.get(`device:dev-1 ${start}`)).toBe(9);
  });
});
