import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url, fromUtf8, randomId, utf8 } from '../../../shared/crypto/index.ts';
import { decryptRecord, importDeviceAppKey, openFolderGrant } from '../../../shared/keys/index.ts';
import {
  DEVICE_ROUTES,
  deviceRedeemResponseSchema,
  deviceStatusResponseSchema,
  deviceVaultPath,
  deviceVaultResponseSchema,
} from '../../../shared/protocol/device-api.ts';
import { DATABASES } from './support/databases.ts';
import { expectProblem, mintAndRedeem, startDeviceApi } from './support/device-api.ts';
import type { DeviceApiWorld } from './support/device-api.ts';
import { TestDevice, TestManager, send } from './support/devices.ts';
import type { TestApp, TestFolder } from './support/devices.ts';
import { startHarness } from './support/harness.ts';
import type { ApiResponse, Harness } from './support/harness.ts';

// Device API, part one: minting and redeeming tokens, address binding and rate limits.
describe.each(DATABASES)('device API on $name', (target) => {
  let world: DeviceApiWorld;
  let h: Harness;
  let alice: TestManager;
  let folder: TestFolder;
  let app: TestApp;
  beforeAll(async () => {
    world = await startDeviceApi(target);
    ({ h, alice, folder, app } = world);
  });
  afterAll(() => h.close());

  function boundDevice(
    options: Parameters<TestManager['mint']>[1] = {},
    theApp = app,
    localAddress?: string,
  ) {
    return mintAndRedeem(world, options, theApp, localAddress);
  }

  it('binds a real device, which opens its grant and decrypts the records it fetches', async () => {
    const secret = `db-password-${randomId()}`;
    const recordId = await alice.record(folder, secret);
    const device = await boundDevice();
    expect(deviceRedeemResponseSchema.parse(device.redeemed.body)).toMatchObject({
      appId: app.id,
      appName: 'GitHub Actions',
      deviceName: 'ci-runner-1',
      boundAddress: '127.0.0.1',
      ipRule: { type: 'first-use' },
      accessExpiry: null,
    });
    const fetched = await device.request('GET', deviceVaultPath());
    expect(fetched.status).toBe(200);
    const vault = deviceVaultResponseSchema.parse(fetched.body);
    const grant = vault.grants.find((g) => g.folderId === folder.id);
    if (!grant) throw new Error('grant missing');
    const appKey = await importDeviceAppKey(device.profile);
    const folderKey = await openFolderGrant(
      appKey,
      { appId: app.id, appKeyVersion: 1, folderId: folder.id, folderKeyVersion: 1 },
      fromBase64Url(grant.wrappedFolderKey),
    );
    const record = vault.records.find((r) => r.id === recordId);
    if (!record) throw new Error('record missing');
    const plain = await decryptRecord(
      folderKey,
      {
        folderId: record.folderId,
        recordId,
        keyVersion: record.keyVersion,
        revision: record.revision,
        schemaVersion: record.schemaVersion,
      },
      fromBase64Url(record.ciphertext),
    );
    expect(fromUtf8(plain)).toBe(secret);
    const status = await device.request('GET', DEVICE_ROUTES.status.path);
    expect(deviceStatusResponseSchema.parse(status.body).grants).toEqual([
      { folderId: folder.id, mode: 'read-only' },
    ]);
  });

  it('H6/DT-01: of 20 concurrent redemptions of one token exactly one succeeds', async () => {
    const minted = await alice.mint(app);
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () => TestDevice.attempt(h, minted.token)),
    );
    const statuses = attempts.map((a) => a.response.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    const failures = attempts.filter((a) => a.response.status !== 200);
    expect(failures).toHaveLength(19);
    for (const failure of failures) expectProblem(failure.response, 400, 'redemption_failed');
    const again = await TestDevice.attempt(h, minted.token);
    expectProblem(again.response, 400, 'redemption_failed');
    const audited = (await h.auditRows()).filter(
      (row) => row.device_id === minted.registration.deviceId,
    );
    expect(audited.filter((row) => row.type === 'device_redeemed')).toHaveLength(1);
    const replays = audited.filter((row) => row.reason === 'token_already_used');
    expect(replays).toHaveLength(20);
    expect(replays.every((row) => row.ip === '127.0.0.1')).toBe(true);
  });

  it(
    'DT-03/DT-05: every failed redemption gets ' + 'one identical answer; the reason is audited',
    async () => {
      const nowSeconds = () => Math.floor(h.clock.now() / 1000);
      const expired = await alice.mint(app, { firstAccessDeadline: nowSeconds() + 60 });
      const revoked = await alice.mint(app);
      await alice.api('POST', `/api/v1/devices/${revoked.registration.deviceId}/revoke`);
      const wrongIp = await alice.mint(app, { ipRule: { type: 'cidr', allow: ['192.0.2.0/24'] } });
      const used = await alice.mint(app);
      await TestDevice.redeem(h, used.token);
      const unknown = await alice.mint(app);
      await h.db.run('DELETE FROM devices WHERE id = ?', [unknown.registration.deviceId]);
      h.clock.offsetMs = 61_000;
      const answers: ApiResponse[] = [];
      try {
        for (const token of [expired, revoked, wrongIp, used, unknown].map((m) => m.token)) {
          answers.push((await TestDevice.attempt(h, token)).response);
        }
      } finally {
        h.clock.offsetMs = 0;
      }
      // A proof made with the wrong key: a device id that exists, keys that are not its token's.
      const real = await alice.mint(app);
      const other = await alice.mint(app);
      const forged = await TestDevice.attempt(h, other.token);
      const request = { ...JSON.parse(JSON.stringify(forged.prepared.request)) };
      request.deviceId = real.registration.deviceId;
      answers.push(
        await send(h.server.url, 'POST', DEVICE_ROUTES.redeem.path, {
          body: utf8(JSON.stringify(request)),
        }),
      );
      const first = answers[0];
      if (!first) throw new Error('no answers');
      for (const answer of answers) {
        expect(answer.status).toBe(400);
        expect(answer.text).toBe(first.text);
      }
      expect(first.body['code']).toBe('redemption_failed');
      const reasons = new Map(
        (await h.auditRows())
          .filter((row) => row.type === 'device_redemption_failed')
          .map((row) => [row.device_id, row.reason]),
      );
      expect(reasons.get(expired.registration.deviceId)).toBe('deadline_passed');
      expect(reasons.get(revoked.registration.deviceId)).toBe('device_revoked');
      expect(reasons.get(wrongIp.registration.deviceId)).toBe('ip_not_allowed');
      expect(reasons.get(used.registration.deviceId)).toBe('token_already_used');
      expect(reasons.get(unknown.registration.deviceId)).toBe('unknown_device');
      expect(reasons.get(real.registration.deviceId)).toBe('bad_proof');
      // The real token still works after a forged attempt on its id.
      expect((await TestDevice.attempt(h, real.token)).response.status).toBe(200);
    },
  );

  it('DT-03: a token redeems one second before its deadline and not at it', async () => {
    const deadline = Math.floor(h.clock.now() / 1000) + 120;
    const early = await alice.mint(app, { firstAccessDeadline: deadline });
    const late = await alice.mint(app, { firstAccessDeadline: deadline });
    const base = h.clock.now();
    try {
      h.clock.offsetMs = (deadline - 1) * 1000 - base;
      expect((await TestDevice.attempt(h, early.token)).response.status).toBe(200);
      h.clock.offsetMs = deadline * 1000 - base;
      expectProblem((await TestDevice.attempt(h, late.token)).response, 400, 'redemption_failed');
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  it('DT-03: refuses zero, negative and over-long lifetimes at minting', async () => {
    const now = Math.floor(h.clock.now() / 1000);
    const minted = await alice.mint(app);
    const register = (change: Record<string, unknown>) =>
      alice.api('POST', `/api/v1/apps/${app.id}/devices`, {
        ...minted.registration,
        deviceId: randomId(),
        ...change,
      });
    for (const deadline of [now, now - 10, now + 86_401]) {
      expectProblem(await register({ firstAccessDeadline: deadline }), 400, 'invalid_input');
    }
    expectProblem(await register({ accessExpiry: now - 1 }), 400, 'invalid_input');
    expectProblem(await register({ accessExpiry: now + 20 * 366 * 86_400 }), 400, 'invalid_input');
    expect((await register({ firstAccessDeadline: now + 86_400 })).status).toBe(201);
  });

  it('DT-04: first-use binds the redeeming address; another address is refused', async () => {
    const device = await boundDevice({}, app, '127.0.0.2');
    expect(device.redeemed.body['boundAddress']).toBe('127.0.0.2');
    expect((await device.request('GET', DEVICE_ROUTES.status.path)).status).toBe(200);
    const moved = await device.request('GET', DEVICE_ROUTES.status.path, undefined, {
      localAddress: '127.0.0.1',
    });
    expectProblem(moved, 403, 'ip_not_allowed');
    const spoofed = await send(h.server.url, 'GET', DEVICE_ROUTES.status.path, {
      headers: {
        ...(await device.sign('GET', DEVICE_ROUTES.status.path, new Uint8Array())),
        'x-forwarded-for': '127.0.0.2',
      },
      localAddress: '127.0.0.1',
    });
    expectProblem(spoofed, 403, 'ip_not_allowed');
    const refusal = (await h.auditRows()).filter(
      (row) => row.device_id === device.profile.deviceId && row.reason === 'ip_not_allowed',
    );
    expect(refusal).toHaveLength(2);
    expect(refusal[0]?.ip).toBe('127.0.0.1');
    expect(JSON.parse(refusal[0]?.details ?? '{}')).toEqual({ boundAddress: '127.0.0.2' });
  });

  it(
    'DT-04: a CIDR allow-list admits its block ' + 'and refuses others, at redemption and after',
    async () => {
      const ipRule = { type: 'cidr' as const, allow: ['127.0.0.2/32', '10.0.0.0/8'] };
      const denied = await alice.mint(app, { ipRule });
      expectProblem((await TestDevice.attempt(h, denied.token)).response, 400, 'redemption_failed');
      const device = await boundDevice({ ipRule }, app, '127.0.0.2');
      expect((await device.request('GET', deviceVaultPath())).status).toBe(200);
      expectProblem(
        await device.request('GET', deviceVaultPath(), undefined, { localAddress: '127.0.0.3' }),
        403,
        'ip_not_allowed',
      );
      const open = await boundDevice({ ipRule: { type: 'none' } }, app, '127.0.0.4');
      const elsewhere = await open.request('GET', deviceVaultPath(), undefined, {
        localAddress: '127.0.0.5',
      });
      expect(elsewhere.status).toBe(200);
    },
  );
});

describe.each(DATABASES)('device rate limits on $name', (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target, {
      rateLimits: { redeemPerAddressPerMinute: 3, redeemPerMinute: 100, devicePerMinute: 2 },
    });
  });
  afterAll(() => h.close());

  it(
    'DT-05: limits redemption attempts per address ' + 'and requests per device (429, Retry-After)',
    async () => {
      const alice = await TestManager.signIn(h, 'alice');
      const app = await alice.app();
      const device = await TestDevice.redeem(h, (await alice.mint(app)).token);
      expect((await device.request('GET', DEVICE_ROUTES.status.path)).status).toBe(200);
      expect((await device.request('GET', DEVICE_ROUTES.status.path)).status).toBe(200);
      const limited = await device.request('GET', DEVICE_ROUTES.status.path);
      expectProblem(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const other = await alice.mint(app);
      await TestDevice.attempt(h, other.token);
      const third = await TestDevice.attempt(h, other.token);
      expectProblem(third.response, 400, 'redemption_failed');
      const fourth = await TestDevice.attempt(h, (await alice.mint(app)).token);
      expectProblem(fourth.response, 429, 'rate_limited');
      const elsewhere = await TestDevice.attempt(h, (await alice.mint(app)).token, '127.0.0.2');
      expect(elsewhere.response.status).toBe(200);
    },
  );
});
