import { describe, expect, it } from 'vitest';
import type { GuardedContents } from '../../../electron/main/navigation-guard.ts';
import { guardWebContents } from '../../../electron/main/navigation-guard.ts';
import { resolveAppOrigin } from '../../../electron/main/app-origin.ts';
import { FakeContents, fakeEvent, recordingLogger } from './fakes.ts';

function setup() {
  const contents = new FakeContents();
  const toGate: string[] = [];
  const log = recordingLogger();
  const origin = resolveAppOrigin({ isPackaged: true });
  guardWebContents(contents as unknown as GuardedContents, {
    isAppUrl: origin.isAppUrl,
    gate: {
      open: async (url) => {
        toGate.push(url);
      },
    },
    log,
  });
  return { contents, toGate, log };
}

const app = 'coffer-app://bundle/index.html#/vault';
const foreign = 'https://evil.example.net/phish';

describe('navigation guard (EL-01, EL-05)', () => {
  it('lets the main frame stay within the app', () => {
    const { contents, toGate } = setup();
    const event = fakeEvent({ url: app, isMainFrame: true });
    contents.emit('will-navigate', event);
    expect(event.prevented).toBe(false);
    expect(toGate).toEqual([]);
  });

  it('stops a main-frame navigation away and hands the link to the gate', () => {
    const { contents, toGate, log } = setup();
    const event = fakeEvent({ url: foreign, isMainFrame: true });
    contents.emit('will-navigate', event);
    expect(event.prevented).toBe(true);
    expect(toGate).toEqual([foreign]);
    expect(log.lines.join('\n')).not.toContain('evil.example.net');
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', foreign])(
    'stops any frame navigating to %s without opening anything',
    (url) => {
      const { contents, toGate } = setup();
      const event = fakeEvent({ url, isMainFrame: false });
      contents.emit('will-frame-navigate', event);
      expect(event.prevented).toBe(true);
      expect(toGate).toEqual([]);
    },
  );

  it('stops redirects out of the app', () => {
    const { contents } = setup();
    const event = fakeEvent({ url: foreign, isMainFrame: true });
    contents.emit('will-redirect', event);
    expect(event.prevented).toBe(true);
  });

  it('refuses to attach any webview, even one asking for Node', () => {
    const { contents } = setup();
    const webPreferences = { nodeIntegration: true, contextIsolation: false };
    const event = fakeEvent({});
    contents.emit('will-attach-webview', event, webPreferences, { src: app });
    expect(event.prevented).toBe(true);
  });

  it('denies every new window and routes foreign links to the gate', () => {
    const { contents, toGate } = setup();
    expect(contents.windowOpenHandler?.({ url: foreign })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: app })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'about:blank' })).toEqual({ action: 'deny' });
    expect(toGate).toEqual([foreign, 'about:blank']);
  });
});
