import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';

/**
 * CPU profiles of a bench page through the DevTools protocol: the page's main thread and every
 * dedicated worker it starts (the Argon2 worker, the decrypt pool). Workers are reached through
 * Target auto-attach without flattening, so their Profiler commands travel inside
 * Target.sendMessageToTarget on this session and never disturb Playwright's own sessions.
 */

interface WorkerTarget {
  readonly sessionId: string;
  readonly title: string;
}

/** Microseconds between samples: fine enough for a pipeline measured in hundreds of ms. */
const SAMPLING_INTERVAL_US = 200;

export interface Profiling {
  /** Stops every profiler and writes `<dir>/<name>.<thread>.cpuprofile`; call before a lock. */
  stop(dir: string, name: string): Promise<void>;
}

export async function startProfiling(page: Page): Promise<Profiling> {
  const session = await page.context().newCDPSession(page);
  const workers: WorkerTarget[] = [];
  const waiting = new Map<number, (result: unknown) => void>();
  let nextId = 1;

  const sendToWorker = (sessionId: string, method: string, params: object = {}) => {
    const id = nextId++;
    const answered = new Promise<unknown>((resolve) => waiting.set(id, resolve));
    // A worker that has ended (the Argon2 worker after the KDF) answers nothing.
    session
      .send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id, method, params }),
      })
      .catch(() => waiting.get(id)?.(null));
    return answered;
  };
  session.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  session.on('Target.detachedFromTarget', (event) => {
    const at = workers.findIndex((w) => w.sessionId === event.sessionId);
    if (at >= 0) workers.splice(at, 1);
  });
  session.on('Target.attachedToTarget', (event) => {
    if (event.targetInfo.type !== 'worker') return;
    const worker = { sessionId: event.sessionId, title: event.targetInfo.title || 'worker' };
    workers.push(worker);
    void (async () => {
      await sendToWorker(worker.sessionId, 'Profiler.enable');
      await sendToWorker(worker.sessionId, 'Profiler.setSamplingInterval', {
        interval: SAMPLING_INTERVAL_US,
      });
      await sendToWorker(worker.sessionId, 'Profiler.start');
      await sendToWorker(worker.sessionId, 'Runtime.runIfWaitingForDebugger');
    })();
  });
  await session.send('Target.setAutoAttach', {
    autoAttach: true,
    waitForDebuggerOnStart: true,
    flatten: false,
  });
  await startMain(session);

  return {
    async stop(dir, name) {
      await mkdir(dir, { recursive: true });
      const { profile } = await session.send('Profiler.stop');
      await writeFile(join(dir, `${name}.main.cpuprofile`), JSON.stringify(profile));
      for (const [n, worker] of workers.entries()) {
        const result = (await sendToWorker(worker.sessionId, 'Profiler.stop')) as {
          profile?: unknown;
        } | null;
        if (result?.profile === undefined) continue;
        const file = `${name}.${worker.title.replace(/\W+/g, '-')}-${n}.cpuprofile`;
        await writeFile(join(dir, file), JSON.stringify(result.profile));
      }
      await session.detach();
    },
  };
}

async function startMain(session: CDPSession): Promise<void> {
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await session.send('Profiler.start');
}
