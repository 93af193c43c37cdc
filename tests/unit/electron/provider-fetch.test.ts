import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderFetch } from '../../../electron/main/signin/provider-fetch.ts';
import type { FetchLike } from '../../../shared/client/api-client.ts';

/** The bounds on main's identity-provider requests, against a real server on 127.0.0.1. */

let base = '';
let answer: (res: ServerResponse) => void = (res) => res.end('{}');
const sockets = new Set<Socket>();
const server = createServer((_req, res) => answer(res));
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const nodeFetch: FetchLike = (input, init) => fetch(input, init);

describe('main’s fetch for the identity provider', () => {
  it('answers a small body with its status and content type, read in full', async () => {
    answer = (res) => {
      res.writeHead(400, { 'content-type': 'application/json', 'set-cookie': 'a=b' });
      res.end('{"error":"invalid_grant"}');
    };
    const response = await createProviderFetch({ fetch: nodeFetch })(`${base}/token`, {
      method: 'POST',
      credentials: 'include',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.json()).toEqual({ error: 'invalid_grant' });
  });

  it('refuses a declared oversized body before reading it', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-length': String(2048) });
      // Only the headers: a client that waited for the body would hang until the deadline.
      res.flushHeaders();
    };
    const bounded = createProviderFetch({ fetch: nodeFetch, maxBytes: 1024, timeoutMs: 5_000 });
    const started = Date.now();
    await expect(bounded(`${base}/big`, { method: 'GET' })).rejects.toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('1 KiB'),
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses schemes other than http(s) without asking anything', async () => {
    const asked: string[] = [];
    const bounded = createProviderFetch({
      fetch: (input, init) => {
        asked.push(input);
        return fetch(input, init);
      },
    });
    for (const url of ['file:///etc/passwd', 'coffer-app://bundle/index.html', 'not a url']) {
      await expect(bounded(url, { method: 'GET' })).rejects.toMatchObject({
        code: 'config_invalid',
      });
    }
    expect(asked).toEqual([]);
  });

  it('stops at once, as cancelled, when the sign-in attempt is abandoned', async () => {
    answer = () => undefined;
    const attempt = new AbortController();
    const bounded = createProviderFetch({ fetch: nodeFetch, signal: attempt.signal });
    const pending = bounded(`${base}/slow`, { method: 'GET' });
    setTimeout(() => attempt.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'signin_cancelled' });
  });
});
