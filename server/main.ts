import { isCofferError } from '../shared/errors.ts';
import { loadConfig } from './config/load.ts';
import { requireSomeoneCanSignIn } from './config/sign-in.ts';
import { startServer } from './start.ts';

/**
 * `node dist/server/main.js`: configuration from the environment (and COFFER_SERVER_CONFIG), a
 * clear one-line error naming the setting when it is wrong. The development provider's demo
 * credentials go to the terminal only, never to the log.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  requireSomeoneCanSignIn(config);
  const server = await startServer(config);
  // One write, so that a launcher reading the output (scripts/start.mjs) gets the whole
  // announcement together, after any log line written during start-up.
  const lines = [`Coffer server listening on ${server.url}`];
  const idp = server.devIdentityProvider;
  if (idp) {
    lines.push(
      '',
      '  DEVELOPMENT IDENTITY PROVIDER: for development only, never for real accounts.',
      `  Issuer:    ${idp.issuer}`,
      `  Demo user: ${idp.demo.email}`,
      `  Password:  ${idp.demo.password}`,
      '',
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
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
