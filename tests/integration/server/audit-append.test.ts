import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../server/audit/audit.ts';
import { AUDIT_COLUMNS, appendEvent, rowHash, verifyChain } from '../../../server/audit/chain.ts';
import type { AuditRow } from '../../../server/audit/chain.ts';
import { migrate } from '../../../server/db/migrations.ts';
import { openPostgres } from '../../../server/db/postgres.ts';
import { openSqlite } from '../../../server/db/sqlite.ts';
import type { Database } from '../../../server/db/types.ts';
import { DATABASES } from './support/databases.ts';

/**
 * Text that JSON encodes with escapes, or that a careless encoder would: quotes, backslashes,
 * slashes, non-ASCII, astral-plane characters, line and paragraph separators, and controls
 * (which the chain replaces before hashing).
 */
const AWKWARD = [
  'alice "the admin" \\ example.com/path',
  'Zoë 名前 🔑 \u2028\u2029 end',
  'tab\there\nnewline\u0000nul\u007fdel',
  '',
];

function open(name: string, location: string): Database {
  return name === 'sqlite'
    ? openSqlite(location)
    : openPostgres(location, (error) => {
        throw error;
      });
}

describe.each(DATABASES)('audit append on $name', (target) => {
  it('stores rows whose hash is the one chain.ts computes, for awkward text too', async () => {
    const test = await target.create();
    const db = open(target.name, test.location);
    try {
      await migrate(db);
      const events: AuditEvent[] = AWKWARD.map((text, i) => ({
        type: 'device_request_refused',
        outcome: 'failure',
        ip: i === 0 ? '2001:db8::1' : '198.51.100.7',
        userId: text,
        actorDeviceId: `device-${i}`,
        appId: text,
        reason: text,
        issuer: `https://idp.example.com/${text}`,
        details: { boundAddress: text, count: i * 1_000_003 },
      }));
      events.push({ type: 'device_fetch', outcome: 'success', ip: '127.0.0.1' });
      const at = Date.now();
      const seqs: number[] = [];
      for (const [i, event] of events.entries()) {
        seqs.push(await db.transaction((tx) => appendEvent(tx, db.dialect, event, at + i)));
      }
      expect(seqs).toEqual(events.map((_, i) => i + 1));
      const rows = await db.all<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_events ORDER BY seq`);
      expect(rows).toHaveLength(events.length);
      for (const row of rows) expect(row.hash).toBe(rowHash(row));
      expect(rows[1]?.actor_user_id).toContain('🔑');
      expect(await verifyChain(db)).toMatchObject({ ok: true, count: events.length });
    } finally {
      await db.close();
      await test.drop();
    }
  });
});
