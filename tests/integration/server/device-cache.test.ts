import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../server/audit/chain.ts';
import { deviceVaultPath, deviceVaultResponseSchema } from '../../../shared/protocol/device-api.ts';
import { DATABASES } from './support/databases.ts';
import { TestDevice, TestManager, send } from './support/devices.ts';
import type { TestApp, TestFolder } from './support/devices.ts';
import { fakeBlob, startHarness } from './support/harness.ts';
import type { ApiResponse, Harness } from './support/harness.ts';

function expectProblem(response: ApiResponse, status: number, code: string) {
  expect({ status: response.status, code: response.body['code'] }).toEqual({ status, code });
}

/** What a fetch answered, as the device sees it. */
function vaultOf(response: ApiResponse) {
  expect(response.status).toBe(200);
  return deviceVaultResponseSchema.parse(response.body);
}

/**
 * Device fetch answers are kept between requests (server/device/vault-answers.ts; on PostgreSQL
 * admitted in one call, `coffer_admit_cached`). Every change of what an answer is made of must
 * show on the very next fetch, and every check of the device must still run on each request.
 */
describe.each(DATABASES)('kept device fetch answers on $name', (target) => {
  let h: Harness;
  let alice: TestManager;
  let folder: TestFolder;
  let app: TestApp;
  let device: TestDevice;
  const path = deviceVaultPath();
  /** Two fetches: the second is answered from what the first kept. */
  const fetchTwice = async (from = device) => {
    vaultOf(await from.request('GET', path));
    return vaultOf(await from.request('GET', path));
  };

  beforeAll(async () => {
    h = await startHarness(target, { rateLimits: { devicePerMinute: 10_000 } });
    alice = await TestManager.signIn(h, 'alice');
    folder = await alice.folder();
    app = await alice.app();
    expect((await alice.grant(app, folder, 'read-only')).status).toBe(200);
    device = await TestDevice.redeem(
      h,
      (await alice.mint(app, { ipRule: { type: 'first-use' } })).token,
    );
  });
  afterAll(() => h.close());

  it(
    'keeps answering from the database state: ' + 'the kept answer is the one a read gives',
    async () => {
      const id = await alice.record(folder, 'fake-secret-one');
      const first = vaultOf(await device.request('GET', path));
      const second = vaultOf(await device.request('GET', path));
      expect(second.records.map((r) => r.id)).toEqual([id]);
      expect({ ...second, serverTime: 0 }).toEqual({ ...first, serverTime: 0 });
    },
  );

  it('shows a changed, added or deleted record on the next fetch', async () => {
    const id = await alice.record(folder, 'fake-secret-two');
    const before = await fetchTwice();
    const stored = before.records.find((r) => r.id === id);
    const ciphertext = fakeBlob('CHANGED');
    const updated = await alice.api('PUT', `/api/v1/vault/records/${id}`, {
      folderId: folder.id,
      ciphertext,
      revision: 2,
    });
    expect(updated.status).toBe(200);
    const after = vaultOf(await device.request('GET', path));
    expect(after.records.find((r) => r.id === id)).toMatchObject({ ciphertext, revision: 2 });
    expect(stored?.ciphertext).not.toBe(ciphertext);

    const added = await alice.record(folder, 'fake-secret-three');
    expect(vaultOf(await device.request('GET', path)).records.map((r) => r.id)).toContain(added);
    await fetchTwice();
    const deleted = await alice.api('DELETE', `/api/v1/vault/records/${added}?revision=2`);
    expect(deleted.status).toBe(200);
    expect(vaultOf(await device.request('GET', path)).records.map((r) => r.id)).not.toContain(
      added,
    );
  });

  it(
    'shows a change made behind the server, in ' + 'the database itself, on the next fetch',
    async () => {
      // H1: an operator's SQL, a restored backup or another program moves no server counter; the
      // database's own triggers still move the revision kept answers are checked against.
      const id = await alice.record(folder, 'fake-secret-behind');
      await fetchTwice();
      const ciphertext = fakeBlob('BEHIND');
      await h.db.run('UPDATE records SET ciphertext = ? WHERE id = ?', [ciphertext, id]);
      expect(
        vaultOf(await device.request('GET', path)).records.find((r) => r.id === id),
      ).toMatchObject({ ciphertext });
      await fetchTwice();
      await h.db.run("UPDATE app_grants SET mode = 'editable' WHERE app_id = ?", [app.id]);
      expect(vaultOf(await device.request('GET', path)).grants).toMatchObject([
        { mode: 'editable' },
      ]);
      await h.db.run("UPDATE app_grants SET mode = 'read-only' WHERE app_id = ?", [app.id]);
    },
  );

  it(
    'AC-03: a removed grant, a changed mode or ' + 'a deleted folder shows on the next fetch',
    async () => {
      const second = await alice.app('cache-grants');
      const granted = await alice.folder('Granted');
      const kept = await alice.record(granted, 'fake-secret-granted');
      await alice.grant(second, granted, 'read-only');
      const other = await TestDevice.redeem(
        h,
        (await alice.mint(second, { ipRule: { type: 'none' } })).token,
      );
      expect((await fetchTwice(other)).records.map((r) => r.id)).toEqual([kept]);

      await alice.grant(second, granted, 'editable');
      expect((await fetchTwice(other)).grants).toMatchObject([{ mode: 'editable' }]);

      await alice.api('DELETE', `/api/v1/apps/${second.id}/grants/${granted.id}`);
      const removed = vaultOf(await other.request('GET', path));
      expect({ grants: removed.grants, records: removed.records }).toEqual({
        grants: [],
        records: [],
      });

      await alice.grant(second, granted, 'read-only');
      expect((await fetchTwice(other)).records.map((r) => r.id)).toEqual([kept]);
      const deleted = await alice.api('DELETE', `/api/v1/vault/folders/${granted.id}?revision=2`);
      expect(deleted.status).toBe(200);
      const gone = vaultOf(await other.request('GET', path));
      expect({ grants: gone.grants, folders: gone.folders, records: gone.records }).toEqual({
        grants: [],
        folders: [],
        records: [],
      });
    },
  );

  it(
    'refuses a revoked device, a disabled ' + 'application and a replay despite a kept answer',
    async () => {
      const third = await alice.app('cache-refusals');
      await alice.grant(third, folder, 'read-only');
      const mint = () => alice.mint(third, { ipRule: { type: 'none' } });
      const doomed = await TestDevice.redeem(h, (await mint()).token);
      const sibling = await TestDevice.redeem(h, (await mint()).token);
      await fetchTwice(sibling);

      const headers = await sibling.sign('GET', path, new Uint8Array());
      expect((await send(h.server.url, 'GET', path, { headers })).status).toBe(200);
      expectProblem(await send(h.server.url, 'GET', path, { headers }), 401, 'request_replayed');

      await alice.api('PUT', `/api/v1/apps/${third.id}`, { disabled: true });
      expectProblem(await sibling.request('GET', path), 403, 'application_disabled');
      await alice.api('PUT', `/api/v1/apps/${third.id}`, { disabled: false });
      vaultOf(await sibling.request('GET', path));

      await alice.api('POST', `/api/v1/apps/${third.id}/devices/${doomed.profile.deviceId}/revoke`);
      expectProblem(await doomed.request('GET', path), 403, 'device_revoked');
      vaultOf(await sibling.request('GET', path));
      const reasons = (await h.auditRows())
        .filter((row) => row.type === 'device_request_refused' && row.app_id === third.id)
        .map((row) => row.reason);
      expect(reasons).toEqual(['request_replayed', 'application_disabled', 'device_revoked']);
    },
  );

  it(
    'DT-04: refuses another address with both ' + 'addresses audited, despite a kept answer',
    async () => {
      await fetchTwice();
      const elsewhere = await device.request('GET', path, undefined, { localAddress: '127.0.0.2' });
      expectProblem(elsewhere, 403, 'ip_not_allowed');
      const row = (await h.auditRows()).at(-1);
      expect(row).toMatchObject({ reason: 'ip_not_allowed', ip: '127.0.0.2' });
      expect(JSON.parse(row?.details ?? '{}')).toEqual({ boundAddress: '127.0.0.1' });
    },
  );

  it('DT-07: refuses a device past its expiry, despite a kept answer', async () => {
    const expiry = Math.floor(h.clock.now() / 1000) + 600;
    const expiring = await TestDevice.redeem(
      h,
      (await alice.mint(app, { accessExpiry: expiry, ipRule: { type: 'none' } })).token,
    );
    await fetchTwice(expiring);
    try {
      h.clock.offsetMs = expiry * 1000 - h.clock.now();
      expectProblem(
        await expiring.request('GET', path, undefined, { nowSeconds: expiry }),
        403,
        'device_expired',
      );
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  it('audits every answered fetch with its count, in one unbroken chain', async () => {
    const before = (await h.auditRows()).filter((r) => r.type === 'device_fetch').length;
    const answered = await fetchTwice();
    const fetches = (await h.auditRows()).filter((r) => r.type === 'device_fetch');
    expect(fetches.length - before).toBe(2);
    expect(JSON.parse(fetches.at(-1)?.details ?? '{}')).toEqual({
      count: answered.records.length,
    });
    expect(fetches.at(-1)).toMatchObject({
      actor_device_id: device.profile.deviceId,
      app_id: app.id,
      ip: '127.0.0.1',
    });
    expect(await verifyChain(h.db)).toMatchObject({ ok: true });
  });
});

describe.each(DATABASES)('limits on kept device fetch answers on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target, {
      rateLimits: { devicePerMinute: 3, apiPerAddressPerMinute: 1_000_000 },
    });
  });
  afterAll(() => h.close());

  it('DT-05: counts every fetch against the device, kept answer or not', async () => {
    const alice = await TestManager.signIn(h, 'alice');
    const app = await alice.app();
    const device = await TestDevice.redeem(h, (await alice.mint(app)).token);
    const path = deviceVaultPath();
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await device.request('GET', path)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe.each(DATABASES)('the address budget of signed reads on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target, {
      rateLimits: { devicePerMinute: 10_000, apiPerAddressPerMinute: 12 },
    });
  });
  afterAll(() => h.close());

  it('counts signed fetches, kept answer or not, in the general per-address budget', async () => {
    const alice = await TestManager.signIn(h, 'alice');
    const app = await alice.app();
    const device = await TestDevice.redeem(h, (await alice.mint(app)).token, '127.0.0.5');
    const path = deviceVaultPath();
    // Setting up spent nothing from 127.0.0.5 but the redemption.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await device.request('GET', path)).status);
    expect(statuses.filter((s) => s === 200).length).toBe(11);
    expect(statuses.at(-1)).toBe(429);
    // Another address keeps its own budget; the device's own rule lets no other address in.
    const elsewhere = await device.request('GET', path, undefined, { localAddress: '127.0.0.6' });
    expectProblem(elsewhere, 403, 'ip_not_allowed');
  });
});

describe.each(DATABASES)('requests admitted in one batch on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target, { rateLimits: { devicePerMinute: 6 } });
  });
  afterAll(() => h.close());

  it(
    'H6: of one request sent ten times at once ' + 'one succeeds, and the limit counts in order',
    async () => {
      const alice = await TestManager.signIn(h, 'alice');
      const app = await alice.app();
      const device = await TestDevice.redeem(h, (await alice.mint(app)).token);
      const path = deviceVaultPath();
      vaultOf(await device.request('GET', path));

      const headers = await device.sign('GET', path, new Uint8Array());
      const copies = await Promise.all(
        Array.from({ length: 10 }, () => send(h.server.url, 'GET', path, { headers })),
      );
      expect(copies.filter((r) => r.status === 200)).toHaveLength(1);
      for (const copy of copies.filter((r) => r.status !== 200)) {
        expectProblem(copy, 401, 'request_replayed');
      }

      // Two of six spent: four more fit, the other four are over the device's limit.
      const distinct = await Promise.all(
        Array.from({ length: 8 }, async () =>
          send(h.server.url, 'GET', path, {
            headers: await device.sign('GET', path, new Uint8Array()),
          }),
        ),
      );
      expect(distinct.map((r) => r.status).sort()).toEqual([
        200, 200, 200, 200, 429, 429, 429, 429,
      ]);
      const rows = await h.auditRows();
      expect(rows.filter((r) => r.type === 'device_fetch')).toHaveLength(6);
      expect(rows.filter((r) => r.reason === 'request_replayed')).toHaveLength(9);
      expect(await verifyChain(h.db)).toMatchObject({ ok: true, count: rows.length });
    },
  );
});
