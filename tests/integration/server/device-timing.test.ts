import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeyPair, randomId } from '../../../shared/crypto/index.ts';
import { signDeviceRequest } from '../../../shared/keys/index.ts';
import { deviceVaultPath } from '../../../shared/protocol/device-api.ts';
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
 * AC-01: a signed request with a bad signature must not tell, by its timing, whether its device
 * id is made up, revoked or live: each is verified against a key (a throwaway one for an unknown
 * id) and refused through the same batch and audit write. The kinds are sampled interleaved, so
 * drift in the machine's load hits all alike; the medians are printed (`npx vitest run --project
 * node tests/integration/server/device-timing.test.ts`) and must lie within a loose band.
 */
describe.each(DATABASES)('device refusal timing on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target, { logLevel: 'warn' });
  });
  afterAll(() => h.close());

  it('AC-01: made-up, revoked and live ids with bad signatures take about as long', async () => {
    const alice = await TestManager.signIn(h, 'alice');
    const app = await alice.app();
    const bind = async () =>
      TestDevice.redeem(h, (await alice.mint(app, { ipRule: { type: 'none' } })).token);
    const live = await bind();
    const revoked = await bind();
    await alice.api('POST', `/api/v1/devices/${revoked.profile.deviceId}/revoke`);
    // Each bound device has been seen once, as a prober's target would have been.
    await live.request('GET', deviceVaultPath());
    // A fresh made-up id each time, as a prober would try; the same revoked and live ones.
    const targets = [randomId, () => revoked.profile.deviceId, () => live.profile.deviceId];
    const wrongKey = await generateSigningKeyPair();
    const path = deviceVaultPath();
    const host = new URL(h.server.url).host;
    const times: number[][] = targets.map(() => []);
    for (let i = 0; i < SAMPLES; i += 1) {
      for (const [kind, target] of targets.entries()) {
        const headers = await signDeviceRequest(
          { deviceId: target(), signingPrivateKey: wrongKey.privateKey },
          { method: 'GET', pathWithQuery: path, host, body: new Uint8Array() },
          Math.floor(Date.now() / 1000),
        );
        const started = process.hrtime.bigint();
        const response = await send(h.server.url, 'GET', path, { headers });
        times[kind]?.push(Number(process.hrtime.bigint() - started) / 1e6);
        expect(response.body['code']).toBe('bad_signature');
      }
    }
    const medians = times.map(median);
    console.info(
      `bad-signature medians on ${target.name} (ms): made-up ${medians[0]?.toFixed(2)}, ` +
        `revoked ${medians[1]?.toFixed(2)}, live ${medians[2]?.toFixed(2)}`,
    );
    const fastest = Math.min(...medians);
    for (const m of medians) expect(m).toBeLessThan(fastest * 2 + 1);
  });
});
