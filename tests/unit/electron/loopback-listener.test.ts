import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startLoopbackListener,
  type LoopbackListener,
} from '../../../electron/main/signin/loopback-listener.ts';
import { isCofferError } from '../../../shared/errors.ts';
import type { DesktopRedirectMode } from '../../../shared/protocol/identity-provider.ts';
import { isPerAttemptLoopbackRedirect } from '../../../shared/protocol/identity-provider.ts';
import { recordingLogger } from './fakes.ts';
import { connectOutcome, httpRequest } from './http-client.ts';

const STATE = 'c3RhdGUtZm9yLXRoZS1yZWFsLWF0dGVtcHQ';
const open: LoopbackListener[] = [];

async function listen(timeoutMs = 10_000, redirect?: DesktopRedirectMode) {
  const log = recordingLogger();
  const listener = await startLoopbackListener({
    expectedState: STATE,
    log,
    timeoutMs,
    ...(redirect === undefined ? {} : { redirect }),
  });
  open.push(listener);
  return { listener, log };
}

function callback(listener: LoopbackListener, query: string, path?: string): string {
  const url = new URL(listener.redirectUri);
  if (path !== undefined) url.pathname = path;
  return `${url.href}?${query}`;
}

afterEach(() => {
  for (const listener of open.splice(0)) listener.abort();
});

describe('loopback sign-in listener (OA-02, OA-03)', () => {
  it('listens on the IPv4 loopback literal, OS-chosen port, unguessable path', async () => {
    const { listener } = await listen();
    const { listener: other } = await listen();
    const url = new URL(listener.redirectUri);
    expect(url.protocol).toBe('http:');
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    expect(url.pathname).toMatch(/^\/callback\/[A-Za-z0-9_-]{22}$/);
    expect(new URL(other.redirectUri).pathname).not.toBe(url.pathname);
    // The form the development provider (and shared/protocol) accepts for the desktop client.
    expect(isPerAttemptLoopbackRedirect(listener.redirectUri)).toBe(true);
  });

  it('listens on the fixed /callback for a provider that compares the path exactly', async () => {
    const { listener } = await listen(10_000, 'fixed-path');
    expect(listener.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const stray = await httpRequest(callback(listener, `code=x&state=${STATE}`, '/callback/x'));
    expect(stray.status).toBe(404);
    await httpRequest(callback(listener, 'code=attacker&state=forged'));
    await httpRequest(callback(listener, `code=real&state=${STATE}`));
    await expect(listener.result).resolves.toEqual({ code: 'real' });
    expect(await connectOutcome(listener.redirectUri)).toBe('ECONNREFUSED');
  });

  it('cannot be reached on any other interface of this machine', async (context) => {
    const { listener } = await listen();
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    if (addresses.length === 0) context.skip('this machine has no non-loopback IPv4 interface');
    for (const address of addresses) {
      expect(await connectOutcome(callback(listener, `state=${STATE}&code=x`), address)).toBe(
        'ECONNREFUSED',
      );
    }
    expect(await connectOutcome(callback(listener, `state=${STATE}&code=x`), '::1')).not.toBe(
      'connected',
    );
  });

  it('returns the code of the one callback with the exact state, then closes', async () => {
    const { listener } = await listen();
    const reply = await httpRequest(callback(listener, `code=auth-code-1&state=${STATE}`));
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('Signed in to Coffer');
    expect(reply.body).not.toContain('auth-code-1');
    expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['cache-control']).toBe('no-store');
    await expect(listener.result).resolves.toEqual({ code: 'auth-code-1' });

    const again = await connectOutcome(callback(listener, `code=attacker&state=${STATE}`));
    expect(again).toBe('ECONNREFUSED');
  });

  it('passes the RFC 9207 issuer through for the caller to compare', async () => {
    const { listener } = await listen();
    await httpRequest(callback(listener, `code=c&state=${STATE}&iss=https%3A%2F%2Fid.example.com`));
    await expect(listener.result).resolves.toEqual({ code: 'c', iss: 'https://id.example.com' });
  });

  it.each([
    ['no state', 'code=attacker'],
    ['a wrong state', 'code=attacker&state=c3RhdGUtZm9yLWFub3RoZXItYXR0ZW1wdA'],
    ['a state that is a prefix', `code=attacker&state=${STATE.slice(0, -1)}`],
    ['the state twice', `code=attacker&state=${STATE}&state=${STATE}`],
    ['error= without state', 'error=access_denied'],
  ])('answers %s neutrally and keeps waiting for the real callback', async (_name, query) => {
    const { listener, log } = await listen();
    const stray = await httpRequest(callback(listener, query));
    expect(stray.status).toBe(404);
    expect(stray.body).toContain('Nothing to see here');
    expect(log.lines.join('\n')).not.toContain('attacker');

    await httpRequest(callback(listener, `code=real&state=${STATE}`));
    await expect(listener.result).resolves.toEqual({ code: 'real' });
  });

  it('ignores the right state on the wrong path or with another method', async () => {
    const { listener } = await listen();
    expect(
      (await httpRequest(callback(listener, `code=x&state=${STATE}`, '/callback'))).status,
    ).toBe(404);
    expect((await httpRequest(callback(listener, `code=x&state=${STATE}`), 'POST')).status).toBe(
      404,
    );
    await httpRequest(callback(listener, `code=real&state=${STATE}`));
    await expect(listener.result).resolves.toEqual({ code: 'real' });
  });

  it('refuses an oversized request without finishing the attempt', async () => {
    const { listener } = await listen();
    const huge = await httpRequest(callback(listener, `state=${STATE}&code=${'a'.repeat(9_000)}`));
    expect([404, 431]).toContain(huge.status);
    await httpRequest(callback(listener, `code=real&state=${STATE}`));
    await expect(listener.result).resolves.toEqual({ code: 'real' });
  });

  it('reports a provider error that carries the right state, then closes', async () => {
    const { listener } = await listen();
    const reply = await httpRequest(callback(listener, `error=access_denied&state=${STATE}`));
    expect(reply.status).toBe(400);
    const error = await listener.result.catch((caught: unknown) => caught);
    expect(isCofferError(error, 'signin_provider_error')).toBe(true);
    expect(await connectOutcome(listener.redirectUri)).toBe('ECONNREFUSED');
  });

  it('refuses a callback with the right state but no code', async () => {
    const { listener } = await listen();
    await httpRequest(callback(listener, `state=${STATE}`));
    await expect(listener.result).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('times out and closes', async () => {
    const { listener } = await listen(200);
    const error = await listener.result.catch((caught: unknown) => caught);
    expect(isCofferError(error, 'signin_timeout')).toBe(true);
    expect(await connectOutcome(listener.redirectUri)).toBe('ECONNREFUSED');
  });

  it('closes when aborted', async () => {
    const { listener } = await listen();
    listener.abort();
    await expect(listener.result).rejects.toMatchObject({ code: 'signin_cancelled' });
    expect(await connectOutcome(listener.redirectUri)).toBe('ECONNREFUSED');
  });
});
