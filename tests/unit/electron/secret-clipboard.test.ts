import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createSecretClipboard,
  historyExclusionFormats,
  rawFormat,
  type ClipboardItemConstructor,
} from '../../../electron/main/secret-clipboard.ts';
import { recordingLogger } from './fakes.ts';

/** Stands in for Electron's ClipboardItem: keeps the MIME-type record it was built from. */
class FakeClipboardItem {
  constructor(readonly items: Record<string, string | Blob>) {}
  get types() {
    return Object.keys(this.items);
  }
}

/** A system clipboard holding one entry, written atomically like Electron's clipboard.write. */
function fakeClipboard() {
  const state = { entry: {} as Record<string, string | Blob>, writes: 0, clears: 0 };
  return {
    state,
    api: {
      write: async (items: FakeClipboardItem[]) => {
        state.writes += 1;
        state.entry = Object.assign({}, ...items.map((item) => item.items));
      },
      readText: async () => {
        const text = state.entry['text/plain'];
        return typeof text === 'string' ? text : '';
      },
      clear: () => {
        state.clears += 1;
        state.entry = {};
      },
    },
    /** Another application copies something. */
    userCopies(text: string) {
      state.entry = { 'text/plain': text };
    },
  };
}

function setup(platform: NodeJS.Platform = 'linux', seconds = 30) {
  const board = fakeClipboard();
  const log = recordingLogger();
  const secretClipboard = createSecretClipboard({
    clipboard: board.api as never,
    ClipboardItem: FakeClipboardItem as unknown as ClipboardItemConstructor,
    platform,
    clearAfterSeconds: () => seconds,
    log,
  });
  return { board, secretClipboard, log };
}

const SECRET = 'SENTINEL-pa55w0rd-91e2';

describe('secret clipboard (LS-02)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the secret and the Linux password-manager hint in one write', async () => {
    const { board, secretClipboard } = setup('linux');
    await secretClipboard.copySecret(SECRET);
    expect(board.state.writes).toBe(1);
    expect(board.state.entry['text/plain']).toBe(SECRET);
    expect(board.state.entry[rawFormat('x-kde-passwordManagerHint')]).toBe('secret');
  });

  it('writes the macOS concealed type', async () => {
    const { board, secretClipboard } = setup('darwin');
    await secretClipboard.copySecret(SECRET);
    expect(board.state.entry[rawFormat('org.nspasteboard.ConcealedType')]).toBeDefined();
    expect(board.state.entry[rawFormat('x-kde-passwordManagerHint')]).toBeUndefined();
  });

  it('writes the three Windows history and cloud exclusion formats, DWORD 0', async () => {
    const { board, secretClipboard } = setup('win32');
    await secretClipboard.copySecret(SECRET);
    for (const name of [
      'ExcludeClipboardContentFromMonitorProcessing',
      'CanIncludeInClipboardHistory',
      'CanUploadToCloudClipboard',
    ]) {
      const payload = board.state.entry[rawFormat(name)];
      expect(payload).toBeInstanceOf(Blob);
      expect([...new Uint8Array(await (payload as Blob).arrayBuffer())]).toEqual([0, 0, 0, 0]);
    }
    expect(board.state.entry['text/plain']).toBe(SECRET);
  });

  it('spells raw formats the way Electron 45 expects', () => {
    expect(rawFormat('CanUploadToCloudClipboard')).toBe(
      'electron application/osclipboard;format="CanUploadToCloudClipboard"',
    );
    expect(Object.keys(historyExclusionFormats('freebsd'))).toEqual([
      rawFormat('x-kde-passwordManagerHint'),
    ]);
  });

  it('clears after the configured seconds when the clipboard still holds the secret', async () => {
    const { board, secretClipboard } = setup('linux', 20);
    expect(await secretClipboard.copySecret(SECRET)).toEqual({ clearsInSeconds: 20 });
    await vi.advanceTimersByTimeAsync(19_000);
    expect(board.state.clears).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(board.state.clears).toBe(1);
    expect(board.state.entry).toEqual({});
  });

  it('leaves the clipboard alone when the user copied something else meanwhile', async () => {
    const { board, secretClipboard } = setup('linux', 20);
    await secretClipboard.copySecret(SECRET);
    board.userCopies('alice@example.com');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(board.state.clears).toBe(0);
    expect(board.state.entry['text/plain']).toBe('alice@example.com');
  });

  it('restarts the countdown for a newer copy and clears only once', async () => {
    const { board, secretClipboard } = setup('linux', 20);
    await secretClipboard.copySecret(SECRET);
    await vi.advanceTimersByTimeAsync(15_000);
    await secretClipboard.copySecret('second-secret');
    await vi.advanceTimersByTimeAsync(15_000);
    expect(board.state.clears).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(board.state.clears).toBe(1);
  });

  it('clears on demand (lock) only if the secret is still there, and reports it', async () => {
    const { board, secretClipboard } = setup();
    expect(await secretClipboard.clearIfOurs()).toBe(false);
    await secretClipboard.copySecret(SECRET);
    expect(await secretClipboard.clearIfOurs()).toBe(true);
    expect(await secretClipboard.clearIfOurs()).toBe(false);
    expect(board.state.clears).toBe(1);
  });

  it('keeps a digest, not the secret, and never logs it', async () => {
    const { secretClipboard, log } = setup();
    await secretClipboard.copySecret(SECRET);
    await secretClipboard.clearIfOurs();
    expect(log.lines.join('\n')).not.toContain(SECRET);
  });
});
