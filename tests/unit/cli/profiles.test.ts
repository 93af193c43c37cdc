import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  activeDocument,
  decodeConfigVariable,
  encodeConfigVariable,
} from '../../../cli/config/document.ts';
import { configDir } from '../../../cli/config/paths.ts';
import { ProfileStore } from '../../../cli/config/profiles.ts';
import { loadClientConfig } from '../../../cli/sdk/load-config.ts';
import { prepareRedemption } from '../../../shared/keys/redeem.ts';
import { formatDeviceToken } from '../../../shared/protocol/device-token.ts';
import { isCofferError } from '../../../shared/errors.ts';
import {
  generateAeadKeyBytes,
  randomBytes,
  randomId,
  toBase64Url,
} from '../../../shared/crypto/index.ts';

const origin = 'https://vault.example.com';
let root: string;
let store: ProfileStore;

async function pending() {
  return (await prepareRedemption(formatDeviceToken(origin, randomBytes(32)))).pending;
}

function completed(device: Awaited<ReturnType<typeof pending>>) {
  const { protocol, origin, deviceId, signing, encryption } = device;
  return activeDocument(
    {
      protocol,
      origin,
      deviceId,
      signing,
      encryption,
      appId: randomId(),
      appKeyVersion: 1,
      appKey: toBase64Url(generateAeadKeyBytes()),
    },
    {
      appName: 'CI',
      deviceName: 'runner',
      accessExpiry: null,
      ipRule: { type: 'first-use' },
      boundAddress: '127.0.0.1',
      redeemedAt: 1_800_000_000,
    },
  );
}

async function code(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return isCofferError(error) ? error.code : 'foreign';
  }
  return 'none';
}

beforeEach(() => {
  root = join(mkdtempSync(join(tmpdir(), 'coffer-profiles-')), 'coffer');
  store = new ProfileStore(root);
});

describe('the configuration folder', () => {
  it('follows XDG_CONFIG_HOME, else ~/.config, ignoring a relative XDG path', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/x/config', HOME: '/home/alice' })).toBe(
      '/x/config/coffer',
    );
    expect(configDir({ HOME: '/home/alice' })).toBe('/home/alice/.config/coffer');
    expect(configDir({ XDG_CONFIG_HOME: 'rel', HOME: '/home/alice' })).toBe(
      '/home/alice/.config/coffer',
    );
  });
});

describe('profile storage', () => {
  it('writes profiles 0600 in 0700 folders, and tightens a loose folder', async () => {
    await store.savePending('ci', await pending());
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'profiles')).mode & 0o777).toBe(0o700);
    expect(statSync(store.path('ci')).mode & 0o777).toBe(0o600);
    chmodSync(join(root, 'profiles'), 0o755);
    await store.savePending('other', await pending());
    expect(statSync(join(root, 'profiles')).mode & 0o777).toBe(0o700);
  });

  it('reuses an unfinished profile of the same device and refuses any other', async () => {
    const first = await pending();
    await store.savePending('ci', first);
    const retry = { ...first, signing: (await pending()).signing };
    expect(await store.savePending('ci', retry)).toEqual(first);
    expect(await code(async () => store.savePending('ci', await pending()))).toBe('profile_exists');
    const done = completed(first);
    await store.saveActive('ci', done.profile, done.info);
    expect(await code(async () => store.savePending('ci', first))).toBe('profile_exists');
    expect((await store.active('ci')).profile.deviceId).toBe(first.deviceId);
  });

  it('refuses a profile file that others can read, saying how to fix it', async () => {
    await store.savePending('ci', await pending());
    chmodSync(store.path('ci'), 0o644);
    let message = '';
    try {
      await store.read('ci');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/permissions 0644.*chmod 600/);
  });

  it('refuses profile names that could escape the folder or look like options', async () => {
    for (const name of ['../x', '.hidden', '-p', 'a/b', '', 'x'.repeat(65)]) {
      expect(await code(async () => store.path(name))).toBe('cli_usage');
    }
  });

  it('says how to finish a pending profile, and how to make a missing one', async () => {
    await store.savePending('ci', await pending());
    let message = '';
    try {
      await store.active('ci');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/coffer init --profile ci/);
    expect(await code(() => store.active('nope'))).toBe('profile_not_found');
  });

  it('uses, lists and removes profiles', async () => {
    const device = await pending();
    const done = completed(device);
    await store.saveActive('one', done.profile, done.info);
    await store.savePending('two', await pending());
    expect(await store.current()).toBe('default');
    expect(await code(() => store.use('two'))).toBe('profile_not_found');
    await store.use('one');
    expect(
      (await store.list()).map((entry) => [entry.name, entry.current, entry.document.state]),
    ).toEqual([
      ['one', true, 'active'],
      ['two', false, 'pending'],
    ]);
    await store.remove('one');
    expect(await store.current()).toBe('default');
    expect((await store.list()).map((entry) => entry.name)).toEqual(['two']);
  });
});

describe('COFFER_CONFIG', () => {
  it('round-trips in base64url and standard base64, and COFFER_CONFIG wins', async () => {
    const done = completed(await pending());
    const text = encodeConfigVariable(done);
    expect(decodeConfigVariable(text)).toEqual(done);
    const standard = Buffer.from(text, 'base64url').toString('base64');
    expect(decodeConfigVariable(`${standard}\n`)).toEqual(done);
    const loaded = await loadClientConfig({
      env: { COFFER_CONFIG: text, HOME: root, COFFER_SERVER: 'https://Other.Example.com:443/' },
    });
    expect(loaded.source).toBe('COFFER_CONFIG');
    expect(loaded.config.server).toBe('https://other.example.com');
    expect(loaded.config.profile.deviceId).toBe(done.profile.deviceId);
  });

  it('refuses garbage without echoing it', async () => {
    for (const bad of ['not base64!', Buffer.from('{"x":1}').toString('base64url')]) {
      let message = '';
      try {
        decodeConfigVariable(bad);
      } catch (error) {
        expect(isCofferError(error, 'config_invalid')).toBe(true);
        message = (error as Error).message;
      }
      expect(message).not.toContain(bad);
    }
    const text = encodeConfigVariable(completed(await pending()));
    const plainHttp = { COFFER_CONFIG: text, HOME: root, COFFER_SERVER: 'http://example.com' };
    expect(await code(() => loadClientConfig({ env: plainHttp }))).toBe('cli_usage');
  });
});

describe('profile file content', () => {
  it('stores the pending keys before anything else happens', async () => {
    const device = await pending();
    await store.savePending('ci', device);
    const stored = JSON.parse(readFileSync(store.path('ci'), 'utf8'));
    expect(stored).toEqual({
      format: 'coffer-device-config',
      version: 1,
      state: 'pending',
      pending: device,
    });
    writeFileSync(store.path('ci'), '{', { mode: 0o600 });
    expect(await code(() => store.read('ci'))).toBe('config_invalid');
  });
});

describe('a revoked profile', () => {
  it('keeps only a tombstone, and only for the device that was revoked', async () => {
    const device = completed(await pending());
    await store.saveActive('ci', device.profile, device.info);
    await store.revoke('ci', randomId(), 1_800_000_100);
    expect((await store.read('ci'))?.state).toBe('active');
    await store.revoke('ci', device.profile.deviceId, 1_800_000_100);
    const text = readFileSync(store.path('ci'), 'utf8');
    expect(text).not.toContain(device.profile.appKey);
    expect(text).not.toContain(device.profile.signing.privateKey);
    expect(text).not.toContain(device.profile.encryption.privateKey);
    expect(await store.read('ci')).toEqual({
      format: 'coffer-device-config',
      version: 1,
      state: 'revoked',
      origin,
      deviceId: device.profile.deviceId,
      appName: 'CI',
      revokedAt: 1_800_000_100,
    });
    expect(await code(() => store.active('ci'))).toBe('device_revoked');
    expect(await store.usable('ci')).toBe(false);
  });

  it('loses the keys an older version kept beside its revoked mark, when next read', async () => {
    const device = completed(await pending());
    await store.saveActive('ci', device.profile, device.info);
    const legacy = { ...device, revokedAt: 1_800_000_200 };
    writeFileSync(store.path('ci'), JSON.stringify(legacy), { mode: 0o600 });
    const env = { XDG_CONFIG_HOME: join(root, '..') };
    expect(await code(() => loadClientConfig({ env, profile: 'ci' }))).toBe('device_revoked');
    const text = readFileSync(store.path('ci'), 'utf8');
    expect(text).not.toContain(device.profile.appKey);
    expect(JSON.parse(text)).toMatchObject({ state: 'revoked', revokedAt: 1_800_000_200 });
  });
});
