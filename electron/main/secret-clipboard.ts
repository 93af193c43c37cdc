import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clipboard, ClipboardItem } from 'electron';
import type { Logger } from './logger.ts';

/**
 * Raw OS clipboard formats that ask clipboard managers and the OS history to leave a copied secret
 * alone. Electron 45 writes raw formats as `electron application/osclipboard;format="…"` entries
 * of one ClipboardItem, committed atomically with the text — separate raw writes would each wipe
 * the previous one (electron/electron#11838).
 *
 * - Windows: clipboard formats doc, "Cloud Clipboard and Clipboard History Formats". The two
 *   `Can…` formats are DWORD 0; the exclusion format's mere presence counts.
 * - macOS: nspasteboard.org `org.nspasteboard.ConcealedType`.
 * - Linux: KDE Klipper's `x-kde-passwordManagerHint` with the value `secret`, also honoured by
 *   CopyQ and GNOME clipboard-history extensions.
 */
export function rawFormat(name: string): string {
  return `electron application/osclipboard;format="${name}"`;
}

type Payload = string | Blob;

function dwordZero(): Blob {
  return new Blob([new Uint8Array(4)]);
}

export function historyExclusionFormats(platform: NodeJS.Platform): Record<string, Payload> {
  switch (platform) {
    case 'win32':
      return {
        [rawFormat('ExcludeClipboardContentFromMonitorProcessing')]: dwordZero(),
        [rawFormat('CanIncludeInClipboardHistory')]: dwordZero(),
        [rawFormat('CanUploadToCloudClipboard')]: dwordZero(),
      };
    case 'darwin':
      return { [rawFormat('org.nspasteboard.ConcealedType')]: 'secret' };
    default:
      return { [rawFormat('x-kde-passwordManagerHint')]: 'secret' };
  }
}

export type ClipboardItemConstructor = new (items: Record<string, Payload>) => ClipboardItem;

export interface SecretClipboardOptions {
  readonly clipboard: Pick<Clipboard, 'write' | 'readText' | 'clear'>;
  readonly ClipboardItem: ClipboardItemConstructor;
  readonly platform: NodeJS.Platform;
  readonly clearAfterSeconds: () => number;
  readonly log: Logger;
}

export interface SecretClipboard {
  /** Writes the secret with the history-exclusion markers and schedules its removal. */
  copySecret(text: string): Promise<{ clearsInSeconds: number }>;
  /** Clears the clipboard only if it still holds what Coffer put there; reports whether it did. */
  clearIfOurs(): Promise<boolean>;
  /** Cancels the pending timer (on quit, after clearing). */
  dispose(): void;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Copy with auto-clear. Only a SHA-256 of what was copied is kept, never the secret itself, and
 * the clipboard is cleared only if it still hashes the same: if the user copied something else in
 * the meantime, it is theirs and stays.
 */
export function createSecretClipboard(options: SecretClipboardOptions): SecretClipboard {
  const { clipboard, log } = options;
  let ownedDigest: Buffer | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const cancelTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  async function clearIfOurs(): Promise<boolean> {
    cancelTimer();
    const expected = ownedDigest;
    ownedDigest = undefined;
    if (expected === undefined) return false;
    const current = digest(await clipboard.readText());
    if (!timingSafeEqual(current, expected)) {
      log.info('clipboard changed since copy; left alone');
      return false;
    }
    clipboard.clear();
    log.info('clipboard cleared');
    return true;
  }

  return {
    async copySecret(text) {
      const seconds = options.clearAfterSeconds();
      cancelTimer();
      const item = new options.ClipboardItem({
        'text/plain': text,
        ...historyExclusionFormats(options.platform),
      });
      await clipboard.write([item]);
      ownedDigest = digest(text);
      timer = setTimeout(() => {
        clearIfOurs().catch((error: unknown) => {
          log.warn('clipboard clear failed', { type: error instanceof Error ? error.name : '?' });
        });
      }, seconds * 1000);
      log.info('secret copied', { clearsInSeconds: seconds });
      return { clearsInSeconds: seconds };
    },
    clearIfOurs,
    dispose: cancelTimer,
  };
}
