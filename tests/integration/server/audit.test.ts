import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId } from '../../../shared/crypto/index.ts';
import { DEVICE_ROUTES, deviceVaultPath } from '../../../shared/protocol/device-api.ts';
import { startServer } from '../../../server/start.ts';
import { DATABASES } from './support/databases.ts';
import { TestDevice, TestManager } from './support/devices.ts';
import { fakeBlob, startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

/** RFC 5424 §6: HEADER SP STRUCTURED-DATA, no MSG; SD-PARAM values escape `"`, `\` and `]`. */
const SD_NAME = '[^ =\\]"\\x00-\\x20\\x7f-\\uffff]{1,32}';
const SD_PARAM = `${SD_NAME}="(?:[^"\\\\\\]]|\\\\["\\\\\\]])*"`;
const SYSLOG_5424 = new RegExp(
  '^<(\\d{1,3})>1 ' +
    '(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?Z) ' +
    '([\\x21-\\x7e]{1,255}) ([\\x21-\\x7e]{1,48}) ([\\x21-\\x7e]{1,128}) ([\\x21-\\x7e]{1,32}) ' +
    `(\\[${SD_NAME}(?: ${SD_PARAM})*\\])+$`,
);

describe.each(DATABASES)('audit log on $name', (target) => {
  let h: Harness;
  let alice: TestManager;
  let bob: TestManager;
  let admin: TestManager;
  beforeAll(async () => {
    h = await startHarness(target);
    alice = await TestManager.signIn(h, 'alice');
    bob = await TestManager.signIn(h, 'bob');
    admin = await TestManager.signIn(h, 'admin-subject');
  });
  afterAll(() => h.close());

  /** Exports are not JSON documents, so they are read as text. */
  async function exported(format: string, extra = '') {
    const response = await fetch(`${h.server.url}/api/v1/audit/export?format=${format}${extra}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(response.status).toBe(200);
    return { text: await response.text(), headers: response.headers };
  }

  it('records every step of a device scenario, and the chain verifies', async () => {
    const folder = await alice.folder();
    const app = await alice.app();
    await alice.grant(app, folder);
    const minted = await alice.mint(app);
    const device = await TestDevice.redeem(h, minted.token);
    await device.request('GET', deviceVaultPath());
    await alice.api('POST', `/api/v1/devices/${device.profile.deviceId}/revoke`);
    await device.request('GET', deviceVaultPath());
    const events = await alice.api('GET', `/api/v1/audit?app=${app.id}`);
    expect(events.body['events'].map((e: { type: string }) => e.type)).toEqual([
      'app_created',
      'grant_set',
      'device_token_issued',
      'device_redeemed',
      'device_fetch',
      'device_revoked',
      'device_request_refused',
    ]);
    expect(events.body['events'].at(-1)).toMatchObject({
      outcome: 'failure',
      reason: 'device_revoked',
      actorDeviceId: device.profile.deviceId,
      ip: '127.0.0.1',
    });
    const verified = await admin.api('GET', '/api/v1/audit/verify');
    expect(verified.body).toMatchObject({ ok: true });
    expect(verified.body['count']).toBe((await h.auditRows()).length);
  });

  it('shows others only what they did and what they manage; only admins verify', async () => {
    const app = await alice.app();
    await bob.folder();
    const bobs = await bob.api('GET', '/api/v1/audit?limit=1000');
    const actors = new Set(bobs.body['events'].map((e: { actorUserId?: string }) => e.actorUserId));
    expect([...actors]).toEqual([bob.userId]);
    expect((await bob.api('GET', `/api/v1/audit?app=${app.id}`)).body['events']).toEqual([]);
    const adminView = await admin.api('GET', `/api/v1/audit?app=${app.id}`);
    expect(adminView.body['events']).toHaveLength(1);
    const refused = await bob.api('GET', '/api/v1/audit/verify');
    expect({ status: refused.status, code: refused.body['code'] }).toEqual({
      status: 403,
      code: 'forbidden',
    });
  });

  it('pages with a cursor and filters by actor, event and time', async () => {
    for (let i = 0; i < 5; i += 1) await alice.folder();
    const all = await alice.api(`GET`, `/api/v1/audit?actor=${alice.userId}&event=folder_created`);
    const seqs = all.body['events'].map((e: { seq: number }) => e.seq);
    const paged: number[] = [];
    let after = 0;
    for (;;) {
      const page = await alice.api(
        'GET',
        `/api/v1/audit?actor=${alice.userId}&event=folder_created&limit=2&after=${after}`,
      );
      paged.push(...page.body['events'].map((e: { seq: number }) => e.seq));
      if (page.body['nextAfter'] === null) break;
      after = page.body['nextAfter'] as number;
    }
    expect(paged).toEqual(seqs);
    const future = h.clock.now() + 3_600_000;
    expect((await alice.api('GET', `/api/v1/audit?since=${future}`)).body['events']).toEqual([]);
    const bad = await alice.api('GET', '/api/v1/audit?event=made_up');
    expect(bad.body['code']).toBe('invalid_input');
  });

  it('exports JSON lines and RFC 5424 syslog, one line per event', async () => {
    const rows = await h.auditRows();
    const json = await exported('jsonl');
    const lines = json.text.trimEnd().split('\n');
    expect(lines).toHaveLength(rows.length);
    expect(lines.map((line) => (JSON.parse(line) as { hash: string }).hash)).toEqual(
      rows.map((row) => row.hash),
    );
    const syslog = await exported('syslog');
    const entries = syslog.text.trimEnd().split('\n');
    expect(entries).toHaveLength(rows.length);
    for (const entry of entries) {
      const match = SYSLOG_5424.exec(entry);
      expect(match, entry).not.toBeNull();
      expect(Number(match?.[1])).toBeLessThanOrEqual(191);
    }
    const page = await exported('jsonl', '&limit=2');
    expect(page.headers.get('coffer-audit-next-after')).toBe(String(rows[1]?.seq));
  });

  it('H6: concurrent appends through two replicas keep one unbroken chain', async () => {
    const replica = await startServer(
      {
        ...h.server.config,
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: h.server.config.identityProviders,
      },
      { now: h.clock.now },
    );
    try {
      const before = (await h.auditRows()).length;
      // Applications take no other lock (vault writes also queue on the sequence counter), so
      // only the chain head's lock keeps these appends apart.
      const create = (url: string) =>
        fetch(`${url}/api/v1/apps`, {
          method: 'POST',
          headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            id: randomId(),
            name: 'replica test',
            keyVersion: 1,
            wrappedAppKey: fakeBlob('ak'),
          }),
        });
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => create(i % 2 === 0 ? h.server.url : replica.url)),
      );
      expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
      const rows = await h.auditRows();
      expect(rows).toHaveLength(before + 30);
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      expect((await admin.api('GET', '/api/v1/audit/verify')).body['ok']).toBe(true);
    } finally {
      await replica.close();
    }
  });

  it(
    'AU-01: no token, bind-proof key, wrapped key or ' +
      'ciphertext reaches audit rows, exports or logs',
    async () => {
      const folder = await alice.folder();
      const marker = `AUDITSENTINEL${randomId()}`;
      const recordId = await alice.record(folder, marker);
      const app = await alice.app();
      await alice.grant(app, folder);
      const minted = await alice.mint(app);
      const device = await TestDevice.redeem(h, minted.token);
      const vault = await device.request('GET', deviceVaultPath({ ids: [recordId] }));
      const ciphertext = vault.body['records'][0].ciphertext as string;
      const headers = await device.sign('GET', DEVICE_ROUTES.status.path, new Uint8Array());
      const secrets = [
        minted.token.slice(10, 53),
        minted.registration.bindProofKey,
        minted.registration.wrappedAppKey,
        device.redeemed.body['wrappedAppKey'] as string,
        ciphertext,
        headers['coffer-signature'] ?? 'missing',
        alice.token,
        marker,
      ];
      const rows = JSON.stringify(await h.auditRows());
      const json = (await exported('jsonl')).text;
      const syslog = (await exported('syslog')).text;
      for (const secret of secrets) {
        for (const [where, text] of Object.entries({ rows, json, syslog, logs: h.logs() })) {
          expect(text.includes(secret), `${where} holds a secret`).toBe(false);
        }
      }
    },
  );

  it('AU-03: the database refuses to rewrite audit rows', async () => {
    await expect(h.db.run("UPDATE audit_events SET reason = 'x' WHERE seq = 1")).rejects.toThrow(
      /append-only/,
    );
    await expect(h.db.run('DELETE FROM audit_events WHERE seq = 1')).rejects.toThrow(/append-only/);
  });

  // Last: it lifts the append-only guard to tamper with history, as a database admin could.
  it('reports a tampered row and a deleted row at their index', async () => {
    const rows = await h.auditRows();
    expect(rows.length).toBeGreaterThan(10);
    if (target.name === 'sqlite') {
      await h.db.run('DROP TRIGGER audit_events_no_update');
      await h.db.run('DROP TRIGGER audit_events_no_delete');
    } else {
      await h.db.run('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    }
    const victim = rows[6];
    if (!victim) throw new Error('no row');
    await h.db.run("UPDATE audit_events SET ip = '203.0.113.7' WHERE seq = ?", [victim.seq]);
    const edited = await admin.api('GET', '/api/v1/audit/verify');
    expect(edited.body).toMatchObject({
      ok: false,
      index: 6,
      seq: victim.seq,
      problem: 'hash_mismatch',
    });
    await h.db.run('UPDATE audit_events SET ip = ? WHERE seq = ?', [victim.ip, victim.seq]);
    expect((await admin.api('GET', '/api/v1/audit/verify')).body['ok']).toBe(true);
    await h.db.run('DELETE FROM audit_events WHERE seq = 4');
    const deleted = await admin.api('GET', '/api/v1/audit/verify');
    expect(deleted.body).toMatchObject({ ok: false, index: 3, seq: 4, problem: 'missing_row' });
  });
});
