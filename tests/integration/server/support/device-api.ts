import { expect } from 'vitest';
import { problemDetailsSchema } from '../../../../shared/protocol/problem-details.ts';
import type { DatabaseTarget } from './databases.ts';
import { TestDevice, TestManager } from './devices.ts';
import type { TestApp, TestFolder } from './devices.ts';
import { startHarness } from './harness.ts';
import type { ApiResponse, Harness } from './harness.ts';

/** Limits high enough that only the rate-limit tests, which set their own, ever meet them. */
export const RATE_LIMITS = {
  rateLimits: {
    redeemPerAddressPerMinute: 10_000,
    redeemPerMinute: 10_000,
    devicePerMinute: 10_000,
  },
};

export function expectProblem(response: ApiResponse, status: number, code: string) {
  expect({ status: response.status, code: response.body['code'] }).toEqual({ status, code });
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(problemDetailsSchema.safeParse(response.body).success).toBe(true);
}

export interface DeviceApiWorld {
  h: Harness;
  alice: TestManager;
  folder: TestFolder;
  app: TestApp;
}

/** A server with alice, one folder and one application granted it read-only. */
export async function startDeviceApi(target: DatabaseTarget): Promise<DeviceApiWorld> {
  const h = await startHarness(target, RATE_LIMITS);
  const alice = await TestManager.signIn(h, 'alice');
  const folder = await alice.folder();
  const app = await alice.app();
  expect((await alice.grant(app, folder, 'read-only')).status).toBe(200);
  return { h, alice, folder, app };
}

/** Mints a token for `app` and redeems it, from `localAddress` if given. */
export async function mintAndRedeem(
  world: DeviceApiWorld,
  options: Parameters<TestManager['mint']>[1] = {},
  app = world.app,
  localAddress?: string,
) {
  const minted = await world.alice.mint(app, options);
  expect(minted.response?.status).toBe(201);
  return TestDevice.redeem(world.h, minted.token, localAddress);
}
