import { describe, expect, it } from 'vitest';
import {
  bridgeListenerOf,
  bridgeMethodOf,
  IPC_CHANNELS,
  IPC_EVENTS,
  isIpcChannel,
} from '../../../../shared/ipc/channels.ts';
import { IPC_CONTRACT, IPC_EVENT_CONTRACT } from '../../../../shared/ipc/contract.ts';
import { ipcFail, ipcOk, ipcResultSchema } from '../../../../shared/ipc/envelope.ts';
import { DEFAULT_SETTINGS, settingsSchema } from '../../../../shared/ipc/settings.ts';
import { z } from 'zod';

const goodSignIn = {
  issuer: 'https://id.example.com',
  pkce: 'advertised',
  clientId: 'coffer-desktop',
  nonce: 'bm9uY2UtdmFsdWUtZm9yLXRlc3Rz',
  desktopRedirect: 'per-attempt-path',
};

describe('IPC contract', () => {
  it('declares a schema pair for exactly the channels the preload exposes', () => {
    expect(Object.keys(IPC_CONTRACT).sort()).toEqual([...IPC_CHANNELS].sort());
    expect(Object.keys(IPC_EVENT_CONTRACT).sort()).toEqual([...IPC_EVENTS].sort());
  });

  it('names every channel and event area:verb in lower-case kebab', () => {
    for (const name of [...IPC_CHANNELS, ...IPC_EVENTS]) {
      expect(name).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
    }
  });

  it('maps channels to bridge functions and events to subscriptions', () => {
    expect(bridgeMethodOf('clipboard:copy-secret')).toEqual(['clipboard', 'copySecret']);
    expect(bridgeMethodOf('settings:get')).toEqual(['settings', 'get']);
    expect(bridgeListenerOf('lock:requested')).toBe('onLockRequested');
    expect(isIpcChannel('links:open')).toBe(true);
    expect(isIpcChannel('shell:exec')).toBe(false);
    expect(isIpcChannel(42)).toBe(false);
  });

  it('accepts a well-formed sign-in request', () => {
    expect(IPC_CONTRACT['signin:authenticate'].request.safeParse(goodSignIn).success).toBe(true);
  });

  it('refuses a sign-in with an unknown PKCE policy, a short nonce or an unknown redirect', () => {
    const schema = IPC_CONTRACT['signin:authenticate'].request;
    expect(schema.safeParse({ ...goodSignIn, pkce: 'plain' }).success).toBe(false);
    expect(schema.safeParse({ ...goodSignIn, nonce: 'short' }).success).toBe(false);
    expect(schema.safeParse({ ...goodSignIn, desktopRedirect: '/callback/*' }).success).toBe(false);
    expect(schema.safeParse({ ...goodSignIn, nonce: 'has spaces and / slashes!!' }).success).toBe(
      false,
    );
  });

  it('lets a page neither hand main a verifier or code nor receive one (issue #4)', () => {
    const contract = IPC_CONTRACT['signin:authenticate'];
    expect(
      contract.request.safeParse({ ...goodSignIn, codeVerifier: 'v'.repeat(43) }).success,
    ).toBe(false);
    expect(contract.result.safeParse({ idToken: 'e30.e30.c2ln' }).success).toBe(true);
    expect(contract.result.safeParse({ idToken: 'e30.e30.c2ln', code: 'c' }).success).toBe(false);
  });

  it('refuses unknown keys, including an own __proto__ key from JSON', () => {
    const schema = IPC_CONTRACT['clipboard:copy-secret'].request;
    const polluted: unknown = JSON.parse('{"text":"x","__proto__":{"admin":true}}');
    expect(schema.safeParse(polluted).success).toBe(false);
    expect(schema.safeParse({ text: 'x', extra: 1 }).success).toBe(false);
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it('refuses wrong types and oversized strings', () => {
    const schema = IPC_CONTRACT['clipboard:copy-secret'].request;
    expect(schema.safeParse({ text: 42 }).success).toBe(false);
    expect(schema.safeParse(null).success).toBe(false);
    expect(schema.safeParse('text').success).toBe(false);
    expect(schema.safeParse({ text: 'a'.repeat(50 * 1024 * 1024) }).success).toBe(false);
    expect(IPC_CONTRACT['links:open'].request.safeParse({ url: 'a'.repeat(10_240) }).success).toBe(
      false,
    );
  });

  it('checks event payloads', () => {
    const schema = IPC_EVENT_CONTRACT['lock:requested'];
    expect(schema.safeParse({ reason: 'suspend' }).success).toBe(true);
    expect(schema.safeParse({ reason: 'because' }).success).toBe(false);
  });
});

describe('result envelope', () => {
  const schema = ipcResultSchema(z.strictObject({ cleared: z.boolean() }));

  it('round-trips success and failure envelopes', () => {
    expect(schema.parse(ipcOk({ cleared: true }))).toEqual({ ok: true, value: { cleared: true } });
    expect(schema.parse(ipcFail('invalid_input', 'bad'))).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'bad' },
    });
  });

  it('refuses an error code outside the shared enumeration', () => {
    const bogus = { ok: false, error: { code: 'made_up', message: 'x' } };
    expect(schema.safeParse(bogus).success).toBe(false);
  });
});

describe('settings schema', () => {
  it('accepts the defaults', () => {
    expect(settingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
  });

  it.each([
    'javascript:alert(1)',
    'https://alice:pw@vault.example.com',
    'https://vault.example.com/path',
    'https://vault.example.com/?q=1',
    'file:///etc/passwd',
    'not a url',
  ])('refuses the server URL %s', (serverUrl) => {
    expect(settingsSchema.safeParse({ ...DEFAULT_SETTINGS, serverUrl }).success).toBe(false);
  });

  it('refuses out-of-range auto-lock and clipboard times', () => {
    expect(settingsSchema.safeParse({ ...DEFAULT_SETTINGS, autoLockMinutes: 0 }).success).toBe(
      false,
    );
    expect(
      settingsSchema.safeParse({ ...DEFAULT_SETTINGS, clipboardClearSeconds: 1.5 }).success,
    ).toBe(false);
  });
});

describe('IPC names', () => {
  it('refuses a name that is not area:verb', () => {
    expect(() => bridgeMethodOf('nocolon' as never)).toThrow(/area:verb/);
    expect(() => bridgeListenerOf('a:b:c' as never)).toThrow(/area:verb/);
  });
});
