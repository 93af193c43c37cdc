import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One JSON answer on its way back to the client, as a rewrite sees it. */
export interface Exchange {
  method: string;
  /** Path with query, as the client sent it. */
  path: string;
  status: number;
  body: unknown;
}

/** Returns the body to send instead, or undefined to pass the answer through untouched. */
export type Rewrite = (exchange: Exchange) => unknown;

export interface HostileProxy {
  url: string;
  /** Replaced at will between requests; none passes everything through. */
  rewrite: Rewrite | undefined;
  close(): Promise<void>;
}

function collect(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * H1 (SECURITY-CASES.md): a compromised server, played by a proxy on 127.0.0.1 in front of the
 * real one. Requests go through untouched (Host included, so signed device requests made for the
 * proxy's address still verify); every JSON answer can be rewritten — any field changed, items
 * dropped, added or swapped — before the client sees it. Content-Length is recomputed.
 */
export async function startHostileProxy(target: string): Promise<HostileProxy> {
  const upstream = new URL(target);
  const proxy: HostileProxy = { url: '', rewrite: undefined, close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await collect(req);
      const out = httpRequest({
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      });
      out.on('response', (answer) => {
        void collect(answer).then((raw) => {
          const headers = { ...answer.headers };
          let payload = raw;
          const type = String(headers['content-type'] ?? '');
          if (proxy.rewrite && type.includes('json') && raw.length > 0) {
            const replaced = proxy.rewrite({
              method: req.method ?? 'GET',
              path: req.url ?? '/',
              status: answer.statusCode ?? 0,
              body: JSON.parse(raw.toString('utf8')) as unknown,
            });
            if (replaced !== undefined) payload = Buffer.from(JSON.stringify(replaced));
          }
          headers['content-length'] = String(payload.length);
          res.writeHead(answer.statusCode ?? 502, headers).end(payload);
        });
      });
      out.on('error', () => res.destroy());
      out.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  proxy.url = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
