import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

/**
 * H7 (SECURITY-CASES.md): a stand-in for the network between a client and the server, on
 * 127.0.0.1. In `pass` it forwards to the target unchanged; the other modes are the failures a
 * client must survive: `offline` refuses connections, `reset` accepts and resets, `stall` accepts
 * and never answers, `status` answers a 5xx, `html` answers a captive-portal page with 200.
 */
export type FaultMode =
  | { kind: 'pass' }
  | { kind: 'offline' }
  | { kind: 'reset' }
  | { kind: 'stall' }
  | { kind: 'status'; status: number }
  | { kind: 'html' };

export interface FaultProxy {
  /** Stays the same across modes, `offline` included. */
  url: string;
  mode: FaultMode;
  setMode(mode: FaultMode): Promise<void>;
  close(): Promise<void>;
}

const CAPTIVE_PORTAL =
  '<!doctype html><html><head><title>Sign in to the network</title></head>' +
  '<body><form action="/login">Accept the terms to continue</form></body></html>';

export async function startFaultProxy(target: string, port = 0): Promise<FaultProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let boundPort = port;
  let mode: FaultMode = { kind: 'pass' };

  function forward(req: IncomingMessage, res: ServerResponse) {
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  }

  function onConnection(socket: Socket) {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (mode.kind === 'reset') {
      socket.resetAndDestroy();
      return;
    }
    if (mode.kind === 'stall') return;
    // One tiny HTTP server per connection keeps parsing to Node while the mode decides.
    httpServer.emit('connection', socket);
  }

  const httpServer = createHttpServer((req, res) => {
    if (mode.kind === 'status') {
      res.writeHead(mode.status, { 'content-type': 'text/plain' }).end('upstream unavailable');
    } else if (mode.kind === 'html') {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(CAPTIVE_PORTAL);
    } else {
      forward(req, res);
    }
  });

  async function listen() {
    server = createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(boundPort, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') boundPort = address.port;
  }

  async function stop() {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  }

  await listen();
  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${boundPort}`,
    get mode() {
      return mode;
    },
    async setMode(next) {
      const wasOffline = mode.kind === 'offline';
      mode = next;
      if (next.kind === 'offline' && !wasOffline) await stop();
      if (next.kind !== 'offline' && wasOffline) await listen();
      // Reset and stall act on new connections; a kept-alive one must not slip past them.
      if (next.kind === 'reset' || next.kind === 'stall') {
        for (const socket of sockets) socket.destroy();
      }
    },
    close: stop,
  };
  return proxy;
}
