import type { Input, PowerMonitor, WebContents } from 'electron';
import type { LockReason } from '../../shared/ipc/contract.ts';
import type { Logger } from './logger.ts';

export interface LockMonitorOptions {
  readonly powerMonitor: Pick<PowerMonitor, 'on' | 'off' | 'getSystemIdleTime'>;
  readonly idleMinutes: () => number;
  readonly onLock: (reason: LockReason) => void;
  readonly log: Logger;
  /** How often idle time is sampled; the lock fires at most this late. */
  readonly pollMilliseconds?: number;
}

/**
 * Asks the renderer to lock when the machine suspends, the OS session locks, or the user has been
 * idle (system-wide, not just in Coffer) for the configured minutes. The idle lock fires once per
 * idle period and re-arms when the user is back.
 */
export function startLockMonitor(options: LockMonitorOptions): () => void {
  const { powerMonitor, onLock, log } = options;
  const onSuspend = () => {
    log.info('lock requested', { reason: 'suspend' });
    onLock('suspend');
  };
  const onLockScreen = () => {
    log.info('lock requested', { reason: 'lock-screen' });
    onLock('lock-screen');
  };
  powerMonitor.on('suspend', onSuspend);
  powerMonitor.on('lock-screen', onLockScreen);

  let firedThisIdlePeriod = false;
  const poll = setInterval(() => {
    const idleSeconds = powerMonitor.getSystemIdleTime();
    if (idleSeconds < options.idleMinutes() * 60) {
      firedThisIdlePeriod = false;
      return;
    }
    if (firedThisIdlePeriod) return;
    firedThisIdlePeriod = true;
    log.info('lock requested', { reason: 'idle' });
    onLock('idle');
  }, options.pollMilliseconds ?? 15_000);

  return () => {
    clearInterval(poll);
    powerMonitor.off('suspend', onSuspend);
    powerMonitor.off('lock-screen', onLockScreen);
  };
}

/** Ctrl+L, or Cmd+L on macOS, with no other modifier. */
export function isLockShortcut(input: Input, platform: NodeJS.Platform): boolean {
  if (input.type !== 'keyDown' || input.key.toLowerCase() !== 'l') return false;
  if (input.alt || input.shift) return false;
  return platform === 'darwin' ? input.meta && !input.control : input.control && !input.meta;
}

/**
 * The lock accelerator is taken before the page sees the key, and only while a Coffer window has
 * focus: a global shortcut would steal Ctrl+L (the address bar) from every other application.
 */
export function installLockShortcut(
  contents: Pick<WebContents, 'on'>,
  platform: NodeJS.Platform,
  onLock: (reason: LockReason) => void,
): void {
  contents.on('before-input-event', (event, input) => {
    if (!isLockShortcut(input, platform)) return;
    event.preventDefault();
    onLock('shortcut');
  });
}
