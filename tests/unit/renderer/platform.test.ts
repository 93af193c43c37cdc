import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutoClearingClipboard } from '../../../renderer/src/platform/clipboard.ts';
import {
  CALLBACK_PATH,
  savePendingSignIn,
  takeReturnedSignIn,
} from '../../../renderer/src/platform/web-signin.ts';
import type { SignInAttempt } from '../../../shared/client/index.ts';

function fakeClipboard(options: { readable?: boolean } = {}) {
  const board = {
    text: '',
    writeText: async (text: string) => {
      board.text = text;
    },
    readText: async () => {
      if (options.readable === false) throw new Error('NotAllowedError');
      return board.text;
    },
  };
  return board;
}

describe('the auto-clearing clipboard (LS-02)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('clears the copied secret after the set time', async () => {
    const board = fakeClipboard();
    await new AutoClearingClipboard(board).copy('s3cret', 30);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(board.text).toBe('s3cret');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(board.text).toBe('');
  });

  it('leaves alone what the user copied since', async () => {
    const board = fakeClipboard();
    await new AutoClearingClipboard(board).copy('s3cret', 30);
    board.text = 'something the user copied';
    await vi.advanceTimersByTimeAsync(30_000);
    expect(board.text).toBe('something the user copied');
  });

  it('restarts the timer for a second copy and clears only the latest secret', async () => {
    const board = fakeClipboard();
    const clipboard = new AutoClearingClipboard(board);
    await clipboard.copy('first', 30);
    await vi.advanceTimersByTimeAsync(20_000);
    await clipboard.copy('second', 30);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(board.text).toBe('second');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(board.text).toBe('');
  });

  it('clears at once on lock, and does not clear what it cannot verify', async () => {
    const board = fakeClipboard();
    const clipboard = new AutoClearingClipboard(board);
    await clipboard.copy('s3cret', 30);
    expect(await clipboard.clearIfUnchanged()).toBe(true);
    expect(board.text).toBe('');

    const unreadable = fakeClipboard({ readable: false });
    const blind = new AutoClearingClipboard(unreadable);
    await blind.copy('s3cret', 30);
    expect(await blind.clearIfUnchanged()).toBe(false);
  });
});

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

const attempt: SignInAttempt = {
  issuer: 'https://login.example.com',
  clientId: 'coffer-web',
  redirectUri: 'https://vault.example.com/signin/callback',
  state: 'state-0123456789abcdefghij',
  nonce: 'nonce-0123456789abcdefghij',
  codeVerifier: 'verifier-0123456789abcdefghijklmnopqrstuvwxyz',
  codeChallenge: 'challenge',
  tokenEndpoint: 'https://login.example.com/token',
  authorizationEndpoint: 'https://login.example.com/auth',
};

describe('the web sign-in redirect', () => {
  function at(path: string) {
    const replaced: string[] = [];
    const url = new URL(path, 'https://vault.example.com');
    const location = { pathname: url.pathname, search: url.search } as Location;
    const history = {
      replaceState: (_d: unknown, _t: string, to: string) => void replaced.push(to),
    } as History;
    return { location, history, replaced };
  }

  it('hands back the pending attempt once, and wipes the code from the address bar', () => {
    const storage = memoryStorage();
    savePendingSignIn(storage, attempt, 'https://vault.example.com');
    const page = at(`${CALLBACK_PATH}?code=abc&state=${attempt.state}`);
    const returned = takeReturnedSignIn(storage, page.location, page.history);
    expect(returned?.attempt).toEqual(attempt);
    expect(returned?.params.get('code')).toBe('abc');
    expect(page.replaced).toEqual(['/']);
    expect(storage.length).toBe(0);

    const again = takeReturnedSignIn(storage, page.location, page.history);
    expect(again?.attempt).toBeNull();
  });

  it('ignores pages other than the callback and keeps the attempt for it', () => {
    const storage = memoryStorage();
    savePendingSignIn(storage, attempt, 'https://vault.example.com');
    const page = at('/');
    expect(takeReturnedSignIn(storage, page.location, page.history)).toBeNull();
    expect(storage.length).toBe(1);
  });

  it('treats a tampered stored attempt as none', () => {
    const storage = memoryStorage();
    storage.setItem('coffer.signin.attempt', JSON.stringify({ attempt: { state: 'x' } }));
    const page = at(`${CALLBACK_PATH}?code=abc&state=x`);
    expect(takeReturnedSignIn(storage, page.location, page.history)?.attempt).toBeNull();
  });
});
