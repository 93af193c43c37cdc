import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../../shared/crypto/index.ts';
import { DEVICE_ROUTES } from '../../../shared/protocol/device-api.ts';
import { DATABASES } from './support/databases.ts';
import { TestDevice, TestManager, send } from './support/devices.ts';
import { startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

const SAMPLES = 60;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * DT-05: an unknown device id, a used token and a token refused by its IP rule must not be told
 * apart by timing. Each kind is sampled interleaved, so drift in the machine's load hits all
 * alike; the medians are printed (`npx vitest run --project node
 * tests/integration/server/redeem-timing.test.ts`) and must lie within a loose band of each other.
 */
describe.each(DATABASES)('redemption timing on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target, {
      logLevel: 'warn',
      rateLimits: {
        redeemPerAddressPerMinute: 100_000,
        redeemPerMinute: 100_000,
        devicePerMinute: 10,
      },
    });
  });
  afterAll(() => h.close());

  it('DT-05: unknown, used and IP-refused redemptions take about as long', async () => {
    const alice = await TestManager.signIn(h, 'alice');
    const app = await alice.app();
    const used = await alice.mint(app);
    await TestDevice.redeem(h, used.token);
    const wrongIp = await alice.mint(app, { ipRule: { type: 'cidr', allow: ['192.0.2.0/24'] } });
    const unknown = await alice.mint(app, { register: false });
    const bodies = await Promise.all(
      [unknown, used, wrongIp].map(async (m) => {
        const { prepared } = await TestDevice.attempt(h, m.token);
        return utf8(JSON.stringify(prepared.request));
      }),
    );
    const times: number[][] = bodies.map(() => []);
    for (let i = 0; i < SAMPLES; i += 1) {
      for (const [kind, body] of bodies.entries()) {
        const started = process.hrtime.bigint();
        const response = await send(h.server.url, 'POST', DEVICE_ROUTES.redeem.path, { body });
        times[kind]?.push(Number(process.hrtime.bigint() - started) / 1e6);
        expect(response.body['code']).toBe('redemption_failed');
      }
    }
    const medians = times.map(median);
    console.info(
      `redemption failure medians (ms): unknown ${medians[0]?.toFixed(2)}, ` +
        `used ${medians[1]?.toFixed(2)}, ip-refused ${medians[2]?.toFixed(2)}`,
    );
    const fastest = Math.min(...medians);
    for (const m of medians) expect(m).toBeLessThan(fastest * 2 + 1);
  });
});
