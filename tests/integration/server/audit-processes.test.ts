import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../server/audit/chain.ts';
import { deviceVaultPath } from '../../../shared/protocol/device-api.ts';
import { burstAcrossProcesses } from '../../support/concurrency.ts';
import type { RequestJob } from '../../support/concurrency.ts';
import { DATABASES } from './support/databases.ts';
import { TestDevice, TestManager } from './support/devices.ts';
import { startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';
import { buildServer, removeServerBuild, startServerProcess } from './support/server-process.ts';
import type { ServerProcess } from './support/server-process.ts';

const SERVERS = 3;
const FETCHES_PER_SERVER = 16;
const SIGN_INS_PER_SERVER = 2;
/** Signed requests sent to every server at once: one copy may succeed, the rest are replays. */
const REPLAYED = 4;
/** Replicas behind one load balancer: a device signs for this host whichever replica answers. */
const PUBLIC_URL = 'https://vault.example.com';
const PUBLIC_HOST = new URL(PUBLIC_URL).host;

let bundle: string;
beforeAll(async () => {
  bundle = await buildServer();
}, 120_000);
afterAll(() => removeServerBuild(bundle));

/**
 * H6 across server processes: several replicas of the real server on one database append audit
 * rows at the same instant — device fetches, replays refused on another replica, sign-ins — and
 * the chain must still verify end to end, every row extending a distinct predecessor.
 */
describe.each(DATABASES)(`H6 audit appends from ${SERVERS} server processes on $name`, (target) => {
  let h: Harness;
  let servers: ServerProcess[] = [];
  beforeAll(async () => {
    h = await startHarness(target, {
      publicUrl: PUBLIC_URL,
      rateLimits: { devicePerMinute: 100_000 },
    });
    const config = {
      ...h.server.config,
      listen: { host: '127.0.0.1', port: 0 },
      logLevel: 'warn' as const,
    };
    servers = await Promise.all(
      Array.from({ length: SERVERS }, () => startServerProcess(bundle, config)),
    );
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await h.close();
  });

  it('keeps one unbroken chain while every process appends at once', async () => {
    const alice = await TestManager.signIn(h, 'alice');
    const folder = await alice.folder();
    await alice.record(folder, 'fake-secret-for-the-race');
    const app = await alice.app();
    expect((await alice.grant(app, folder)).status).toBe(200);
    const devices = [
      await TestDevice.redeem(h, (await alice.mint(app, { ipRule: { type: 'none' } })).token),
      await TestDevice.redeem(h, (await alice.mint(app, { ipRule: { type: 'none' } })).token),
    ];
    const path = deviceVaultPath();
    const signedFetch = async (i: number): Promise<Omit<RequestJob, 'url'>> => ({
      method: 'GET',
      path,
      headers: await devices[i % devices.length]!.sign(
        'GET',
        path,
        new Uint8Array(),
        undefined,
        PUBLIC_HOST,
      ),
    });
    const signIn = async (subject: string): Promise<Omit<RequestJob, 'url'>> => {
      const idToken = await h.issuer.mint(await h.nonce(), {
        claims: { sub: subject, email: `${subject}@example.com` },
      });
      return { method: 'POST', path: '/api/v1/auth/session', body: JSON.stringify({ idToken }) };
    };
    const replayed = await Promise.all(Array.from({ length: REPLAYED }, (_, i) => signedFetch(i)));

    // One client process per server; each also sends its copy of every replayed request, so the
    // copies race each other across processes on both sides.
    const groups = await Promise.all(
      servers.map(async (server, s) => ({
        fetches: await Promise.all(
          Array.from({ length: FETCHES_PER_SERVER }, (_, i) => signedFetch(i)),
        ),
        signIns: await Promise.all(
          Array.from({ length: SIGN_INS_PER_SERVER }, (_, i) => signIn(`user-${s}-${i}`)),
        ),
        url: server.url,
      })),
    );
    const statuses = await burstAcrossProcesses(
      groups.map((group) =>
        [...group.fetches, ...group.signIns, ...replayed].map((job) => ({
          ...job,
          url: group.url,
        })),
      ),
    );

    for (const answered of statuses) {
      expect(answered.slice(0, FETCHES_PER_SERVER)).toEqual(Array(FETCHES_PER_SERVER).fill('200'));
      expect(answered.slice(FETCHES_PER_SERVER, FETCHES_PER_SERVER + SIGN_INS_PER_SERVER)).toEqual(
        Array(SIGN_INS_PER_SERVER).fill('201'),
      );
    }
    const replayStart = FETCHES_PER_SERVER + SIGN_INS_PER_SERVER;
    for (let r = 0; r < REPLAYED; r += 1) {
      const copies = statuses.map((answered) => answered[replayStart + r]);
      expect(copies.filter((status) => status === '200')).toHaveLength(1);
      expect(copies.filter((status) => status === '401')).toHaveLength(SERVERS - 1);
    }

    const rows = await h.auditRows();
    expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => i + 1));
    // A fork is two rows chained to one predecessor; every prev_hash must be distinct.
    expect(new Set(rows.map((row) => row.prev_hash)).size).toBe(rows.length);
    expect(await verifyChain(h.db)).toMatchObject({ ok: true, count: rows.length });
    const count = (type: string, reason?: string) =>
      rows.filter((row) => row.type === type && (reason === undefined || row.reason === reason))
        .length;
    expect(count('device_fetch')).toBe(SERVERS * FETCHES_PER_SERVER + REPLAYED);
    expect(count('device_request_refused', 'request_replayed')).toBe(REPLAYED * (SERVERS - 1));
    expect(count('sign_in')).toBe(1 + SERVERS * SIGN_INS_PER_SERVER);
  });
});
