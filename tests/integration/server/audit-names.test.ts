import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namesFor } from '../../../server/audit/names.ts';
import { deviceVaultPath } from '../../../shared/protocol/device-api.ts';
import { DATABASES } from './support/databases.ts';
import { TestDevice, TestManager } from './support/devices.ts';
import { startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

interface EventBody {
  seq: number;
  type: string;
  hash: string;
  actorUserId?: string;
}

/** The audit view's newest-first pages and the names they mention (server/audit/names.ts). */
describe.each(DATABASES)('readable audit pages on $name', (target) => {
  let h: Harness;
  let alice: TestManager;
  let bob: TestManager;
  const named = (manager: TestManager, email: string) => ({
    email,
    issuer: h.issuer.issuer,
    shortId: manager.userId.slice(0, 8),
  });

  beforeAll(async () => {
    h = await startHarness(target);
    alice = await TestManager.signIn(h, 'alice');
    bob = await TestManager.signIn(h, 'bob');
  });
  afterAll(() => h.close());

  it('names the users, devices and applications of a page, and nothing else', async () => {
    const folder = await alice.folder();
    const app = await alice.app('CI pipeline');
    await alice.grant(app, folder);
    const minted = await alice.mint(app, { name: 'deploy-runner' });
    const device = await TestDevice.redeem(h, minted.token);
    await device.request('GET', deviceVaultPath());
    const deviceId = device.profile.deviceId;

    const page = await alice.api('GET', `/api/v1/audit?app=${app.id}&order=newest`);
    expect(page.status).toBe(200);
    expect(page.body['events'].map((e: EventBody) => e.type)).toEqual([
      'device_fetch',
      'device_redeemed',
      'device_token_issued',
      'grant_set',
      'app_created',
    ]);
    expect(page.body['names']).toEqual({
      users: { [alice.userId]: named(alice, 'alice@example.com') },
      devices: { [deviceId]: { name: 'deploy-runner', appId: app.id } },
      apps: { [app.id]: { name: 'CI pipeline' } },
    });

    // Another user's page names only what that user may see: bob never learns the device.
    await bob.folder();
    const bobs = await bob.api('GET', '/api/v1/audit?order=newest&limit=1000');
    expect(bobs.body['names']).toEqual({
      users: { [bob.userId]: named(bob, 'bob@example.com') },
      devices: {},
      apps: {},
    });
  });

  it('tells apart accounts with one e-mail by their provider and short id', async () => {
    // A second account with alice's e-mail at the same provider (another subject), and a third
    // at another provider, written as sign-in would write it: users are keyed by (iss, sub).
    const twin = await TestManager.signIn(h, 'alice-again', 'alice@example.com');
    const otherId = 'o'.repeat(22);
    await h.db.run(
      `INSERT INTO users (id, issuer, subject, email, is_admin, created_at, last_sign_in_at)
       VALUES (?, ?, ?, ?, 0, ?, ?)`,
      [otherId, 'https://okta.example.com', 'alice', 'alice@example.com', 1, 1],
    );
    const signIn = (await h.auditRows()).find((row) => row.actor_user_id === alice.userId);
    if (signIn === undefined) throw new Error('alice has no audit row');
    const rows = [alice.userId, twin.userId, otherId].map((id) => ({
      ...signIn,
      actor_user_id: id,
    }));

    const names = await namesFor(h.db, rows);
    expect(names.users).toEqual({
      [alice.userId]: named(alice, 'alice@example.com'),
      [twin.userId]: named(twin, 'alice@example.com'),
      [otherId]: {
        email: 'alice@example.com',
        issuer: 'https://okta.example.com',
        shortId: 'oooooooo',
      },
    });
    expect(new Set(Object.values(names.users).map((u) => u.shortId)).size).toBe(3);
  });

  it('pages newest first over the same rows, unchanged, as chain order', async () => {
    for (let i = 0; i < 5; i += 1) await alice.folder();
    const query = `actor=${alice.userId}&event=folder_created`;
    const chain = await alice.api('GET', `/api/v1/audit?${query}&limit=1000`);
    expect(chain.body['nextBefore']).toBeNull();
    const paged: EventBody[] = [];
    let before = '';
    for (;;) {
      const page = await alice.api('GET', `/api/v1/audit?${query}&order=newest&limit=2${before}`);
      expect(page.body['nextAfter']).toBeNull();
      paged.push(...(page.body['events'] as EventBody[]));
      if (page.body['nextBefore'] === null) break;
      before = `&before=${page.body['nextBefore'] as number}`;
    }
    // The decorated page leaves each row as stored, hash included, so it still verifies.
    expect(paged).toEqual([...(chain.body['events'] as EventBody[])].reverse());
    expect(paged.length).toBeGreaterThanOrEqual(5);
  });

  it('refuses a before cursor in chain order', async () => {
    const bad = await alice.api('GET', '/api/v1/audit?before=10');
    expect({ status: bad.status, code: bad.body['code'] }).toEqual({
      status: 400,
      code: 'invalid_input',
    });
  });
});
