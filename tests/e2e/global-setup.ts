import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../server/start.ts';

/** A port the OS reports free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the vault server (SQLite in a temporary folder) with the development identity provider,
 * both on free loopback ports, and hands their addresses to the tests through the environment.
 * The server's port is fixed before it starts because the provider's web client is registered
 * with the server's own origin as redirect URI.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-e2e-'));
  const demoPassword = `demo-${randomBytes(9).toString('base64url')}`;
  const server = await startServer({
    listen: { host: '127.0.0.1', port: await freePort() },
    database: join(dir, 'coffer.sqlite'),
    logLevel: 'warn',
    devIdentityProvider: {
      enabled: true,
      port: await freePort(),
      demoEmail: 'alice@example.com',
      demoPassword,
    },
  });
  process.env['COFFER_E2E_URL'] = server.url;
  process.env['COFFER_E2E_EMAIL'] = 'alice@example.com';
  process.env['COFFER_E2E_IDP_PASSWORD'] = demoPassword;
  return async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
