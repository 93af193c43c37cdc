import { describe, expect, it } from 'vitest';
import { judgeHistory, VaultClient } from '../../../shared/client/index.ts';
import type { Platform } from '../../../renderer/src/platform/index.ts';
import {
  loadVerifiedHead,
  saveVerifiedHead,
  VERIFIED_HEADS_KEY,
} from '../../../renderer/src/audit/verified-head.ts';
import { createAppStore } from '../../../renderer/src/state/store.ts';

const hash = (c: string) => c.repeat(64);

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (name: string) => items.get(name) ?? null,
    setItem: (name: string, value: string) => void items.set(name, value),
    removeItem: (name: string) => void items.delete(name),
  };
}

describe('judging the audit chain against the head verified last time', () => {
  const lookup = (rows: Record<number, string>) => (seq: number) =>
    Promise.resolve(rows[seq] === undefined ? undefined : { hash: rows[seq] });

  it('says first, consistent, or changed', async () => {
    const head = { seq: 5, hash: hash('a') };
    expect(await judgeHistory(null, head, lookup({}))).toBe('first');
    expect(await judgeHistory(head, head, lookup({}))).toBe('consistent');
    expect(await judgeHistory(head, { seq: 5, hash: hash('b') }, lookup({}))).toBe('changed');
    expect(await judgeHistory(head, { seq: 4, hash: hash('a') }, lookup({}))).toBe('changed');
    const longer = { seq: 9, hash: hash('c') };
    expect(await judgeHistory(head, longer, lookup({ 5: hash('a') }))).toBe('consistent');
    expect(await judgeHistory(head, longer, lookup({ 5: hash('d') }))).toBe('changed');
    expect(await judgeHistory(head, longer, lookup({}))).toBe('changed');
  });
});

describe('the remembered audit head in local storage', () => {
  const server = 'https://vault.example.com';

  it('keeps seq, hash and time per server and nothing else', () => {
    const storage = memoryStorage();
    saveVerifiedHead(storage, server, { seq: 3, hash: hash('e') }, 1_700_000_000_000);
    expect(loadVerifiedHead(storage, server)).toEqual({
      seq: 3,
      hash: hash('e'),
      verifiedAt: 1_700_000_000_000,
    });
    expect(loadVerifiedHead(storage, 'https://other.example.com')).toBeNull();
    expect(JSON.parse(storage.items.get(VERIFIED_HEADS_KEY) ?? '')).toEqual({
      [server]: { seq: 3, hash: hash('e'), verifiedAt: 1_700_000_000_000 },
    });
  });

  it('ignores edited or malformed entries instead of trusting them', () => {
    const storage = memoryStorage();
    for (const text of [
      'not json',
      JSON.stringify({ [server]: { seq: -1, hash: hash('e'), verifiedAt: 1 } }),
      JSON.stringify({ [server]: { seq: 1, hash: 'short', verifiedAt: 1 } }),
      JSON.stringify({ [server]: { seq: 1, hash: hash('e'), verifiedAt: 1, token: 'x' } }),
      JSON.stringify({ 'not a url': { seq: 1, hash: hash('e'), verifiedAt: 1 } }),
    ]) {
      storage.items.set(VERIFIED_HEADS_KEY, text);
      expect(loadVerifiedHead(storage, server)).toBeNull();
    }
  });
});

describe('the admin slice on lock', () => {
  it('drops issued tokens and application data when the vault locks', () => {
    const storage = memoryStorage();
    const platform = {
      settingsStorage: storage,
      clearClipboard: () => Promise.resolve(),
    } as unknown as Platform;
    const store = createAppStore({
      platform,
      createClient: (serverUrl) => new VaultClient({ serverUrl }),
    });
    const token = `coffer-token-${Math.random().toString(36).slice(2)}`;
    store.setState({
      phase: 'vault',
      view: 'apps',
      issuedTokens: [{ token, device: {} as never }],
      applications: [{ id: 'x' } as never],
    });
    store.getState().lock();
    const state = store.getState();
    expect(state.phase).toBe('unlock');
    expect(state.issuedTokens).toBeNull();
    expect(state.applications).toEqual([]);
    expect(state.view).toBe('vault');
    expect(JSON.stringify([...storage.items.values()])).not.toContain(token);
  });
});
