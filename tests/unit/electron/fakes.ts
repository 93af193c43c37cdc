import { EventEmitter } from 'node:events';
import type { Logger, LogFields } from '../../../electron/main/logger.ts';

/** A logger that keeps every line, so tests can assert what was (and was not) logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (message: string, fields?: LogFields) =>
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, info: write('info'), warn: write('warn') };
}

/** A navigation-style event: records whether a guard called preventDefault. */
export function fakeEvent<T extends object>(
  fields: T,
): T & { prevented: boolean; preventDefault(): void } {
  const event = {
    ...fields,
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
}

/** An EventEmitter standing in for WebContents, with a captured window-open handler. */
export class FakeContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}
