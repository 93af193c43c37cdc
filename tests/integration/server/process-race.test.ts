import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareRedemption } from '../../../shared/keys/index.ts';
import { DEVICE_ROUTES } from '../../../shared/protocol/device-api.ts';
import { raceAcrossProcesses } from '../../support/concurrency.ts';
import { DATABASES } from './support/databases.ts';
import { TestManager } from './support/devices.ts';
import { startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

const PROCESSES = 8;

describe.each(DATABASES)('H6 redemptions racing across processes on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target, {
      rateLimits: { redeemPerAddressPerMinute: 10_000, redeemPerMinute: 10_000 },
    });
  });
  afterAll(() => h.close());

  it(`lets exactly one of ${PROCESSES} processes redeem one token`, async () => {
    const alice = await TestManager.signIn(h, 'alice');
    const app = await alice.app();
    const minted = await alice.mint(app);
    expect(minted.response?.status).toBe(201);
    // Each process brings its own device keys, as separate machines holding one token would.
    const jobs = [];
    for (let i = 0; i < PROCESSES; i += 1) {
      const prepared = await prepareRedemption(minted.token);
      jobs.push({
        url: h.server.url,
        method: 'POST',
        path: DEVICE_ROUTES.redeem.path,
        body: JSON.stringify(prepared.request),
      });
    }
    const statuses = await raceAcrossProcesses(jobs);
    expect(statuses.filter((s) => s === '200')).toHaveLength(1);
    expect(statuses.filter((s) => s !== '200').every((s) => Number(s) >= 400)).toBe(true);
    const rows = await h.auditRows();
    const outcomes = rows
      .filter((r) => r.type === 'device_redeemed' || r.type === 'device_redemption_failed')
      .map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'success')).toHaveLength(1);
  });
});
