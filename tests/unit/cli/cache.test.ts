import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CacheLocationError, DeviceCache, describeAge } from '../../../cli/sdk/cache.ts';
import {
  generateAeadKeyBytes,
  generateEcdhKeyPair,
  generateSigningKeyPair,
  randomId,
  toBase64Url,
} from '../../../shared/crypto/index.ts';
import type { DeviceProfile } from '../../../shared/keys/device-profile.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { sealedVault } from './support/sealed-vault.ts';

async function profile(
  appKey = toBase64Url(generateAeadKeyBytes()),
  appId = randomId(),
): Promise<DeviceProfile> {
  const [signing, encryption] = await Promise.all([
    generateSigningKeyPair(),
    generateEcdhKeyPair(),
  ]);
  return {
    protocol: 1,
    origin: 'https://vault.example.com',
    deviceId: randomId(),
    appId,
    appKeyVersion: 1,
    appKey,
    signing: {
      publicKey: toBase64Url(signing.publicKey),
      privateKey: toBase64Url(signing.privateKey),
    },
    encryption: {
      publicKey: toBase64Url(encryption.publicKey),
      privateKey: toBase64Url(encryption.privateKey),
    },
  };
}

async function loadCode(cache: DeviceCache, now: number): Promise<string> {
  try {
    await cache.load(now);
  } catch (error) {
    return isCofferError(error) ? error.code : 'foreign';
  }
  return 'none';
}

const NOW = 1_800_000_000;
let dir: string;
let device: DeviceProfile;
let payload: Awaited<ReturnType<typeof makePayload>>;

async function makePayload() {
  const vault = await sealedVault(
    [{ label: 'prod', name: 'Production' }],
    [
      {
        label: 'pg',
        folder: 'prod',
        content: { type: 'login', title: 'Mail', password: 'hunter2-sentinel' },
      },
    ],
  );
  return { snapshot: vault.snapshot, revisions: { [vault.id('pg')]: 1 } };
}

beforeEach(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'coffer-cache-')), 'cache');
  device = await profile();
  payload = await makePayload();
});

describe('the offline cache file', () => {
  it('round-trips the snapshot and revisions with its timestamp, owner-only', async () => {
    const cache = new DeviceCache(dir, device);
    await cache.save(payload, NOW);
    expect(await cache.load(NOW + 10)).toEqual({ ...payload, savedAt: NOW });
    expect(statSync(cache.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(await new DeviceCache(join(dir, 'none'), device).load(NOW)).toBeUndefined();
  });

  it('holds nothing readable but its header', async () => {
    const cache = new DeviceCache(dir, device);
    await cache.save(payload, NOW);
    const bytes = readFileSync(cache.path);
    expect(bytes.subarray(0, 4).toString()).toBe('CFRC');
    for (const text of [
      'Production',
      'Mail',
      'hunter2',
      Object.keys(payload.revisions)[0] as string,
    ]) {
      expect(bytes.includes(Buffer.from(text))).toBe(false);
    }
  });

  it('refuses every flipped byte after the magic', async () => {
    const cache = new DeviceCache(dir, device);
    await cache.save(payload, NOW);
    const original = readFileSync(cache.path);
    const positions = [4, 5, 12, 13, 20, Math.floor(original.length / 2), original.length - 1];
    for (const at of positions) {
      const copy = Buffer.from(original);
      copy[at] = (copy[at] ?? 0) ^ 0x01;
      writeFileSync(cache.path, copy);
      expect(await loadCode(cache, NOW + 60)).toBe('cache_invalid');
    }
    writeFileSync(cache.path, original.subarray(0, 30));
    expect(await loadCode(cache, NOW)).toBe('cache_invalid');
    writeFileSync(cache.path, 'not a cache at all');
    expect(await loadCode(cache, NOW)).toBe('cache_invalid');
  });

  it(
    'refuses a cache from the future and one ' + 'written for another device of the same app',
    async () => {
      const cache = new DeviceCache(dir, device);
      await cache.save(payload, NOW + 3600);
      expect(await loadCode(cache, NOW)).toBe('cache_invalid');
      await cache.save(payload, NOW);
      const sibling = await profile(device.appKey, device.appId);
      const stolen = new DeviceCache(dir, sibling);
      writeFileSync(stolen.path, readFileSync(cache.path));
      expect(await loadCode(stolen, NOW)).toBe('cache_invalid');
    },
  );

  it(
    'carries records an online command does not read, ' +
      'and still checks them before answering offline',
    async () => {
      const cache = new DeviceCache(dir, device);
      const [record] = payload.snapshot.records;
      if (record === undefined) throw new Error('no record');
      // Authentic but not a valid record (a lone base64 character cannot be canonical).
      const odd = { ...record, ciphertext: 'A' };
      await cache.save({ ...payload, snapshot: { ...payload.snapshot, records: [odd] } }, NOW);
      const carried = await cache.loadCarried(NOW);
      expect(carried?.snapshot?.records).toEqual([odd]);
      expect(carried?.snapshot?.appKeyVersion).toBe(payload.snapshot.appKeyVersion);
      expect(carried?.revisions).toEqual(payload.revisions);
      expect(await loadCode(cache, NOW)).toBe('cache_invalid');

      await cache.save(
        { ...payload, snapshot: { ...payload.snapshot, records: [{ ...record, id: 'x' }] } },
        NOW,
      );
      await expect(cache.loadCarried(NOW)).rejects.toMatchObject({ code: 'cache_invalid' });
      await cache.save({ ...payload, revisions: { [record.id]: 0 } }, NOW);
      await expect(cache.loadCarried(NOW)).rejects.toMatchObject({ code: 'cache_invalid' });

      await cache.save(payload, NOW);
      const original = readFileSync(cache.path);
      const copy = Buffer.from(original);
      copy[original.length - 1] = (copy[original.length - 1] ?? 0) ^ 0x01;
      writeFileSync(cache.path, copy);
      await expect(cache.loadCarried(NOW)).rejects.toMatchObject({ code: 'cache_invalid' });
    },
  );

  it('seals what it last opened again under a new timestamp', async () => {
    const cache = new DeviceCache(dir, device);
    await expect(cache.saveUnchanged(NOW)).rejects.toThrow(/loadCarried/);
    await cache.save(payload, NOW);
    const before = readFileSync(cache.path);
    await cache.loadCarried(NOW + 60);
    await cache.saveUnchanged(NOW + 60);
    expect(readFileSync(cache.path).equals(before)).toBe(false);
    expect(await cache.load(NOW + 61)).toEqual({ ...payload, savedAt: NOW + 60 });
  });

  it('is gone after a wipe', async () => {
    const cache = new DeviceCache(dir, device);
    await cache.save(payload, NOW);
    await cache.wipe();
    expect(await cache.load(NOW)).toBeUndefined();
  });

  it(
    'names its path when a folder stands where it ' +
      'should be, or a file where its folder should',
    async () => {
      const cache = new DeviceCache(dir, device);
      mkdirSync(cache.path, { recursive: true });
      const inFolder = join(dir, 'elsewhere');
      writeFileSync(inFolder, 'not a folder');
      const underFile = new DeviceCache(inFolder, device);
      const attempts: [string, () => Promise<unknown>, RegExp][] = [
        ['load', () => cache.load(NOW), /is a folder, not a file/],
        ['save', () => cache.save(payload, NOW), /is a folder, not a file/],
        ['wipe', () => cache.wipe(), /is a folder, not a file/],
        [
          'load under a file',
          () => underFile.load(NOW),
          /is inside something that is not a folder/,
        ],
      ];
      for (const [what, attempt, why] of attempts) {
        let failure: unknown;
        try {
          await attempt();
        } catch (error) {
          failure = error;
        }
        expect(failure, what).toBeInstanceOf(CacheLocationError);
        expect(isCofferError(failure, 'cache_invalid'), what).toBe(true);
        const message = (failure as Error).message;
        expect(message).toMatch(why);
        expect(message).toContain(what === 'load under a file' ? underFile.path : cache.path);
      }
      expect(statSync(cache.path).isDirectory()).toBe(true);
    },
  );

  it('describes ages for people', () => {
    expect(describeAge(30)).toBe('30 s');
    expect(describeAge(600)).toBe('10 min');
    expect(describeAge(3 * 3600 + 1200)).toBe('3 h 20 min');
    expect(describeAge(8 * 86_400)).toBe('8 days 0 h');
  });
});
