import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../../shared/crypto/index.ts';
import { DEVICE_ROUTES } from '../../../shared/protocol/device-api.ts';
import { DATABASES } from './support/databases.ts';
import { TestDevice, TestManager, send } from './support/devices.ts';
import type { TestApp } from './support/devices.ts';
import { startHarness } from './support/harness.ts';
import type { ApiResponse, Harness } from './support/harness.ts';

/** Planted where a secret might be pasted by mistake: it must never come back. */
const MARKER = 'hunter2-SENTINEL-7c41';

function expectInvalid(response: ApiResponse, detail: string) {
  expect({ status: response.status, code: response.body['code'] }).toEqual({
    status: 400,
    code: 'invalid_input',
  });
  expect(response.body['detail']).toBe(detail);
  expect(response.text).not.toContain(MARKER);
}

/**
 * Every route's refusal of a bad body, query or path names the field and what is wrong with it
 * (server/zod-issues.ts), never "Invalid input" alone, and never the submitted value.
 */
describe.each(DATABASES)('input refusals on $name', (target) => {
  let h: Harness;
  let alice: TestManager;
  let app: TestApp;
  let registration: Record<string, unknown>;
  beforeAll(async () => {
    h = await startHarness(target);
    alice = await TestManager.signIn(h, 'alice');
    app = await alice.app();
    registration = (await alice.mint(app, { register: false })).registration as never;
  });
  afterAll(() => h.close());

  const mint = (body: unknown) => alice.api('POST', `/api/v1/apps/${app.id}/devices`, body);

  it('names the field of a bad device-token registration, alone or in a batch', async () => {
    const badCidr = { ...registration, ipRule: { type: 'cidr', allow: ['10.0.0.0/33'] } };
    expectInvalid(
      await mint(badCidr),
      'Invalid body: ipRule.allow[0]: must be a canonical IPv4 or IPv6 CIDR block',
    );
    expectInvalid(
      await mint({ devices: [registration, badCidr] }),
      'Invalid body: devices[1].ipRule.allow[0]: must be a canonical IPv4 or IPv6 CIDR block',
    );
    expectInvalid(
      await mint({ ...registration, ipRule: { type: 'everyone' } }),
      'Invalid body: ipRule.type: must be one of "first-use", "cidr", "none"',
    );
    expectInvalid(
      await mint({ ...registration, deviceId: undefined }),
      'Invalid body: deviceId: is required',
    );
    expectInvalid(
      await mint({ ...registration, wrappedAppKey: `${MARKER}!`, note: MARKER }),
      'Invalid body: wrappedAppKey: must be base64url; wrappedAppKey: must be canonical ' +
        'base64url; has unknown member "note"',
    );
    expect((await alice.api('GET', `/api/v1/apps/${app.id}/devices`)).body['devices']).toEqual([]);
  });

  it('names the field on the other routes that validate bodies, queries and paths', async () => {
    expectInvalid(
      await alice.api('PUT', `/api/v1/apps/${app.id}`, { disabled: MARKER }),
      'Invalid body: disabled: must be a boolean, not a string',
    );
    expectInvalid(
      await alice.api('GET', '/api/v1/apps/not-an-id'),
      'Invalid path: id: must be a 22-character Coffer id',
    );
    const minted = await alice.mint(app, { ipRule: { type: 'none' } });
    const device = await TestDevice.redeem(h, minted.token);
    expectInvalid(
      await device.request('GET', `${DEVICE_ROUTES.vault.path}?limit=${MARKER}`),
      'Invalid query: limit: must be a whole number',
    );
    const signedBody = await device.request('POST', DEVICE_ROUTES.createRecord.path, {
      protocol: 1,
      ciphertext: MARKER,
    });
    expectInvalid(
      signedBody,
      'Invalid body: folderId: is required; keyVersion: is required; schemaVersion: is ' +
        'required; ciphertext: must be canonical base64url; id: is required; and 1 more',
    );
    const raw = await send(h.server.url, 'POST', '/api/v1/auth/nonce', { body: utf8('{}') });
    expectInvalid(raw, 'Invalid body: this route takes no body');
  });
});
