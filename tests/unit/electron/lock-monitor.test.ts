import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Input } from 'electron';
import {
  installLockShortcut,
  isLockShortcut,
  startLockMonitor,
} from '../../../electron/main/lock-monitor.ts';
import type { LockReason } from '../../../shared/ipc/contract.ts';
import { fakeEvent, recordingLogger } from './fakes.ts';

class FakePowerMonitor extends EventEmitter {
  idleSeconds = 0;
  getSystemIdleTime() {
    return this.idleSeconds;
  }
}

function setup(idleMinutes = 5) {
  const powerMonitor = new FakePowerMonitor();
  const locks: LockReason[] = [];
  const stop = startLockMonitor({
    powerMonitor: powerMonitor as never,
    idleMinutes: () => idleMinutes,
    onLock: (reason) => locks.push(reason),
    log: recordingLogger(),
    pollMilliseconds: 1_000,
  });
  return { powerMonitor, locks, stop };
}

describe('lock monitor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks for a lock when the machine suspends', () => {
    const { powerMonitor, locks } = setup();
    powerMonitor.emit('suspend');
    expect(locks).toEqual(['suspend']);
  });

  it('asks for a lock when the OS session locks', () => {
    const { powerMonitor, locks } = setup();
    powerMonitor.emit('lock-screen');
    expect(locks).toEqual(['lock-screen']);
  });

  it('asks for a lock once the system has been idle for the configured minutes', () => {
    const { powerMonitor, locks } = setup(5);
    powerMonitor.idleSeconds = 299;
    vi.advanceTimersByTime(1_000);
    expect(locks).toEqual([]);
    powerMonitor.idleSeconds = 300;
    vi.advanceTimersByTime(1_000);
    expect(locks).toEqual(['idle']);
  });

  it('fires once per idle period and re-arms when the user comes back', () => {
    const { powerMonitor, locks } = setup(1);
    powerMonitor.idleSeconds = 120;
    vi.advanceTimersByTime(5_000);
    expect(locks).toEqual(['idle']);
    powerMonitor.idleSeconds = 3;
    vi.advanceTimersByTime(1_000);
    powerMonitor.idleSeconds = 61;
    vi.advanceTimersByTime(1_000);
    expect(locks).toEqual(['idle', 'idle']);
  });

  it('stops listening when stopped', () => {
    const { powerMonitor, locks, stop } = setup(1);
    stop();
    powerMonitor.emit('suspend');
    powerMonitor.idleSeconds = 3600;
    vi.advanceTimersByTime(10_000);
    expect(locks).toEqual([]);
    expect(powerMonitor.listenerCount('suspend')).toBe(0);
  });
});

function key(fields: Partial<Input>): Input {
  return {
    type: 'keyDown',
    key: 'l',
    code: 'KeyL',
    isAutoRepeat: false,
    isComposing: false,
    shift: false,
    control: false,
    alt: false,
    meta: false,
    location: 0,
    modifiers: [],
    ...fields,
  } as Input;
}

describe('lock shortcut', () => {
  it('is Ctrl+L on Windows and Linux and Cmd+L on macOS', () => {
    expect(isLockShortcut(key({ control: true }), 'linux')).toBe(true);
    expect(isLockShortcut(key({ control: true, key: 'L' }), 'win32')).toBe(true);
    expect(isLockShortcut(key({ meta: true }), 'darwin')).toBe(true);
  });

  it('ignores other chords, key-ups and plain typing', () => {
    expect(isLockShortcut(key({}), 'linux')).toBe(false);
    expect(isLockShortcut(key({ meta: true }), 'linux')).toBe(false);
    expect(isLockShortcut(key({ control: true }), 'darwin')).toBe(false);
    expect(isLockShortcut(key({ control: true, shift: true }), 'linux')).toBe(false);
    expect(isLockShortcut(key({ control: true, alt: true }), 'linux')).toBe(false);
    expect(isLockShortcut(key({ control: true, type: 'keyUp' }), 'linux')).toBe(false);
    expect(isLockShortcut(key({ control: true, key: 'k' }), 'linux')).toBe(false);
  });

  it('locks and keeps the key from the page', () => {
    const contents = new EventEmitter();
    const locks: LockReason[] = [];
    installLockShortcut(contents as never, 'linux', (reason) => locks.push(reason));
    const chord = fakeEvent({});
    contents.emit('before-input-event', chord, key({ control: true }));
    const typing = fakeEvent({});
    contents.emit('before-input-event', typing, key({}));
    expect(locks).toEqual(['shortcut']);
    expect(chord.prevented).toBe(true);
    expect(typing.prevented).toBe(false);
  });
});
