import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../../support/network-faults.ts';
import type { FaultProxy } from '../../support/network-faults.ts';
import { DATABASES } from './support/databases.ts';
import { startHarness } from './support/harness.ts';
import type { Harness } from './support/harness.ts';

/** How a fetch through the proxy ended: an answer, or the failure's error code. */
async function attempt(url: string, timeoutMs = 1000) {
  try {
    const response = await fetch(`${url}/api/v1/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: await response.text(),
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { failure: cause?.code ?? (error as Error).name };
  }
}

describe('H7 network faults in front of the real server', () => {
  let h: Harness;
  let proxy: FaultProxy;
  beforeAll(async () => {
    h = await startHarness(DATABASES[0]!);
    proxy = await startFaultProxy(h.server.url);
  });
  afterAll(async () => {
    await proxy.close();
    await h.close();
  });

  it('passes answers through unchanged', async () => {
    expect(await attempt(proxy.url)).toMatchObject({ status: 200, body: '{"status":"ok"}' });
  });

  it('goes offline (connection refused) and comes back on the same address', async () => {
    await proxy.setMode({ kind: 'offline' });
    expect(await attempt(proxy.url)).toEqual({ failure: 'ECONNREFUSED' });
    await proxy.setMode({ kind: 'pass' });
    expect(await attempt(proxy.url)).toMatchObject({ status: 200 });
  });

  it('resets connections', async () => {
    await proxy.setMode({ kind: 'reset' });
    expect(await attempt(proxy.url)).toEqual({ failure: 'ECONNRESET' });
  });

  it('stalls until the client gives up', async () => {
    await proxy.setMode({ kind: 'stall' });
    const started = Date.now();
    expect(await attempt(proxy.url, 300)).toEqual({ failure: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers a 5xx, and a captive-portal HTML page with 200', async () => {
    await proxy.setMode({ kind: 'status', status: 503 });
    expect(await attempt(proxy.url)).toMatchObject({ status: 503 });
    await proxy.setMode({ kind: 'html' });
    const portal = await attempt(proxy.url);
    expect(portal).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(portal.body).toContain('<form');
    await proxy.setMode({ kind: 'pass' });
  });
});
