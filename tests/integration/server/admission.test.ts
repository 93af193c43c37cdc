import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChainedAudit } from '../../../server/audit/audit.ts';
import { verifyChain } from '../../../server/audit/chain.ts';
import type { Admission, CachedAnswer } from '../../../server/device/admission.ts';
import { AdmissionBatcher } from '../../../server/device/admission.ts';
import { BoundDevices } from '../../../server/device/bound-devices.ts';
import type { BoundDevice } from '../../../server/device/bound-devices.ts';
import { randomId } from '../../../shared/crypto/index.ts';
import { DATABASES } from './support/databases.ts';
import { TestDevice, TestManager } from './support/devices.ts';
import { silentLogger, startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

/**
 * The batches of device/admission.ts, driven directly so that every request of a test is
 * certain to share one batch (over HTTP, arrival decides): requests submitted in one turn of
 * the event loop are admitted together, on PostgreSQL through `coffer_admit_cached` when they
 * carry a cached answer.
 */
describe.each(DATABASES)('batched admission on $name', (target) => {
  let h: Harness;
  let device: BoundDevice;
  let batcher: AdmissionBatcher;
  beforeAll(async () => {
    h = await startHarness(target);
    const alice = await TestManager.signIn(h, 'alice');
    const app = await alice.app();
    const redeemed = await TestDevice.redeem(h, (await alice.mint(app)).token);
    const bound = await new BoundDevices(h.db).find(redeemed.profile.deviceId);
    if (!bound) throw new Error('the device did not bind');
    device = bound;
    batcher = new AdmissionBatcher(h.db, createChainedAudit(h.db, silentLogger, Date.now), {
      devicePerMinute: 1_000,
      apiPerAddressPerMinute: 1_000,
    });
  });
  afterAll(() => h.close());

  /** Where the device's application stands now: what a cached answer must match. */
  async function current(): Promise<Omit<CachedAnswer<string>, 'value' | 'event'>> {
    const app = await h.db.get<{ key_version: number; access_revision: number }>(
      'SELECT key_version, access_revision FROM applications WHERE id = ?',
      [device.appId],
    );
    const seq = await h.db.get<{ value: number }>(
      "SELECT value FROM counters WHERE name = 'vault_revision'",
    );
    return {
      appKeyVersion: app?.key_version ?? 0,
      revision: { accessRevision: app?.access_revision ?? 0, vaultRevision: seq?.value ?? 0 },
    };
  }

  function request(
    nonce: string,
    options: { cached?: CachedAnswer<string>; ip?: string } = {},
  ): Admission<string> {
    const ip = options.ip ?? '127.0.0.1';
    const now = Date.now();
    return {
      device,
      nonce,
      signedAt: Math.floor(now / 1000),
      ip,
      now,
      countsAddress: true,
      read: () => Promise.resolve('read'),
      audit: (actor, value) => ({
        type: 'device_fetch',
        outcome: 'success',
        ip: actor.ip,
        actorDeviceId: actor.deviceId,
        appId: actor.appId,
        details: { count: value.length },
      }),
      cached: () => options.cached,
    };
  }

  const settle = (admissions: Admission<string>[]) =>
    Promise.all(
      admissions.map((a) =>
        batcher.admit(a).then(
          (value) => value,
          (error: { code?: string }) => `refused:${error.code ?? 'unknown'}`,
        ),
      ),
    );

  it(
    'admits one of ten copies of a nonce in ' + 'one batch, with or without a cached answer',
    async () => {
      const stamp = await current();
      for (const cached of [undefined, { ...stamp, value: 'kept', event: undefined }]) {
        const nonce = randomId();
        const outcomes = await settle(
          Array.from({ length: 10 }, () => request(nonce, cached ? { cached } : {})),
        );
        // SQLite reads every answer in its transaction; only PostgreSQL answers from what was kept.
        expect(outcomes[0]).toBe(cached && target.name === 'postgres' ? 'kept' : 'read');
        expect(outcomes.slice(1)).toEqual(Array(9).fill('refused:request_replayed'));
      }
      expect(await verifyChain(h.db)).toMatchObject({ ok: true });
    },
  );

  it('reads afresh when a cached answer no longer stands, and uses it while it does', async () => {
    const stamp = await current();
    const moved = { ...stamp, revision: { ...stamp.revision, vaultRevision: -1 } };
    const outcomes = await settle([
      request(randomId(), { cached: { ...moved, value: 'stale', event: undefined } }),
      request(randomId(), { cached: { ...stamp, value: 'kept', event: undefined } }),
    ]);
    expect(outcomes).toEqual(['read', target.name === 'postgres' ? 'kept' : 'read']);
  });

  it("appends a batch's audit rows in the order its requests are admitted", async () => {
    const before = (await h.auditRows()).length;
    const stamp = await current();
    const replayed = randomId();
    const event = (count: number) => ({
      type: 'device_fetch' as const,
      outcome: 'success' as const,
      ip: '127.0.0.1',
      actorDeviceId: device.deviceId,
      appId: device.appId,
      details: { count },
    });
    await settle([
      request(replayed),
      request(randomId(), { cached: { ...stamp, value: 'kept', event: event(1) } }),
      request(replayed, { cached: { ...stamp, value: 'kept', event: event(2) } }),
      request(randomId(), { cached: { ...stamp, value: 'kept', event: event(3) } }),
    ]);
    const rows = (await h.auditRows()).slice(before);
    expect(rows.map((r) => [r.type, r.reason ?? r.details])).toEqual(
      target.name === 'postgres'
        ? // The cached requests are admitted first, in one call; the read one after them.
          [
            ['device_fetch', '{"count":1}'],
            ['device_fetch', '{"count":2}'],
            ['device_fetch', '{"count":3}'],
            ['device_request_refused', 'request_replayed'],
          ]
        : [
            ['device_fetch', '{"count":4}'],
            ['device_fetch', '{"count":4}'],
            ['device_request_refused', 'request_replayed'],
            ['device_fetch', '{"count":4}'],
          ],
    );
    expect(await verifyChain(h.db)).toMatchObject({ ok: true });
  });
});
