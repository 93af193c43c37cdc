import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { enforceSingleInstance, focusWindow } from '../../../electron/main/single-instance.ts';

function fakeApp(gotLock: boolean) {
  const app = Object.assign(new EventEmitter(), {
    quits: 0,
    requestSingleInstanceLock: () => gotLock,
    quit: () => {
      app.quits += 1;
    },
  });
  return app;
}

describe('single-instance lock', () => {
  it('quits a second instance at once', () => {
    const app = fakeApp(false);
    expect(enforceSingleInstance(app as never, () => {})).toBe(false);
    expect(app.quits).toBe(1);
  });

  it('brings the first instance to the front when another starts', () => {
    const app = fakeApp(true);
    let focused = 0;
    expect(enforceSingleInstance(app as never, () => (focused += 1))).toBe(true);
    app.emit('second-instance', {}, ['--anything'], '/tmp');
    expect(focused).toBe(1);
    expect(app.quits).toBe(0);
  });

  it('restores a minimised window before focusing it', () => {
    const calls: string[] = [];
    focusWindow({
      isMinimized: () => true,
      restore: () => calls.push('restore'),
      show: () => calls.push('show'),
      focus: () => calls.push('focus'),
    });
    expect(calls).toEqual(['restore', 'show', 'focus']);
    expect(() => focusWindow(undefined)).not.toThrow();
  });
});
