import { isCofferError } from '../shared/errors.ts';
import { loadConfig } from './config/load.ts';
import { startServer } from './start.ts';

/**
 * `node dist/server/main.js`: configuration from the environment (and COFFER_SERVER_CONFIG), a clear
 * one-line error naming the setting when it is wrong. The development provider's demo
 * credentials go to the terminal only, never to the log.
 */
async function main(): Promise<void> {
  const server = await startServer(loadConfig(process.env));
  process.stdout.write(`Coffer server listening on ${server.url}\n`);
  const idp = server.devIdentityProvider;
  if (idp) {
    process.stdout.write(
      [
        '',
        '  DEVELOPMENT IDENTITY PROVIDER: for development only, never for real accounts.',
        `  Issuer:   ${idp.issuer}`,
        `  Demo user: ${idp.demo.email}`,
        `  Password:  ${idp.demo.password}`,
        '',
      ].join('\n') + '\n',
    );
  }
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = isCofferError(error) ? `${error.code}: ${error.message}` : String(error);
  process.stderr.write(`Coffer server failed to start: ${message}\n`);
  process.exit(1);
});
