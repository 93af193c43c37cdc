import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import { CofferError } from '../shared/errors.ts';
import { applicationRoutes } from './apps/routes.ts';
import { createChainedAudit } from './audit/audit.ts';
import { auditRoutes } from './audit/routes.ts';
import { createIdTokenVerifier } from './auth/id-token.ts';
import { authRoutes } from './auth/routes.ts';
import { authenticateSession } from './auth/sessions.ts';
import { explainListenError } from './config/listen-error.ts';
import { parseConfig } from './config/load.ts';
import type { Config, ConfigInput } from './config/schema.ts';
import type { ServerContext } from './context.ts';
import { migrate } from './db/migrations.ts';
import { openDatabase } from './db/open.ts';
import { deviceApi } from './device/routes.ts';
import type { DevIdentityProvider } from './devidp/provider.ts';
import { installAddressLimits } from './http/address-limits.ts';
import { answerClientError } from './http/client-errors.ts';
import { installHeaders } from './http/headers.ts';
import { notFoundHandler, problemHandler } from './http/problem.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { defineRoute, registerRoutes } from './http/route.ts';
import { registerWebApp } from './http/web-app.ts';
import { keyRoutes } from './keys/routes.ts';
import { loggerOptions, subsystemLogger } from './log.ts';
import { vaultRoutes } from './vault/routes.ts';

export interface StartOptions {
  /** Where log lines go (tests capture them to prove nothing secret is written). */
  logStream?: Writable;
  /** The server clock in milliseconds (H4: tests run it apart from the client's). */
  now?: () => number;
  /** See IdTokenVerifierOptions; tests shorten it to exercise key rotation. */
  jwksCooldownMs?: number;
}

export interface RunningServer {
  url: string;
  config: Config;
  devIdentityProvider: DevIdentityProvider | undefined;
  /** Every route registered, with its body limit: tests prove that each one has a bound. */
  routes: readonly RegisteredRoute[];
  close(): Promise<void>;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  bodyLimit: number | undefined;
}

/**
 * Starts the vault service: validates the configuration, opens the database and applies pending
 * migrations, starts the development identity provider if configured, and listens.
 */
export async function startServer(
  input: ConfigInput,
  options: StartOptions = {},
): Promise<RunningServer> {
  let config = parseConfig(input);
  const now = options.now ?? Date.now;
  const app = createApp(config, options);
  const log = app.log;
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, bodyLimit: route.bodyLimit });
    }
  });
  const db = openDatabase(config.database, subsystemLogger(log, 'db'));
  let devIdentityProvider: DevIdentityProvider | undefined;
  try {
    const applied = await migrate(db);
    subsystemLogger(log, 'db').info({ applied }, 'migrate');
    if (config.devIdentityProvider.enabled) {
      // Loaded only when configured: the provider library has no business in production.
      const { startDevIdentityProvider, devProviderConfig } = await import('./devidp/provider.ts');
      const { port } = config.devIdentityProvider;
      devIdentityProvider = await startDevIdentityProvider({
        port,
        demoEmail: config.devIdentityProvider.demoEmail,
        demoPassword: config.devIdentityProvider.demoPassword,
        webOrigin: publicOrigin(config),
        log: subsystemLogger(log, 'dev-idp'),
      }).catch((error: unknown) => {
        throw explainListenError(error, 'devIdentityProvider', '127.0.0.1', port);
      });
      config = {
        ...config,
        identityProviders: [...config.identityProviders, devProviderConfig(devIdentityProvider)],
      };
    }
    const context: ServerContext = {
      config,
      db,
      audit: createChainedAudit(db, subsystemLogger(log, 'audit'), now),
      log,
      now,
    };
    const verifier = createIdTokenVerifier(config.identityProviders, {
      now,
      maxAgeSeconds: config.loginNonceTtlSeconds,
      ...(options.jwksCooldownMs === undefined ? {} : { jwksCooldownMs: options.jwksCooldownMs }),
    });

    const devices = deviceApi({ ...context, log: subsystemLogger(log, 'device') });
    installHeaders(app, config.allowedOrigins);
    installAddressLimits(app, new RateLimiter(db), config.rateLimits, now, (request) =>
      devices.countsAddressItself(request),
    );
    app.setErrorHandler(problemHandler);
    app.setNotFoundHandler(notFoundHandler);
    registerRoutes(app, (request) => authenticateSession(db, request, now()), [
      defineRoute({
        method: 'GET',
        url: '/api/v1/health',
        auth: 'none',
        handler: () => Promise.resolve({ status: 'ok' }),
      }),
      ...authRoutes(context, {
        db,
        audit: context.audit,
        verify: (token) => verifier.verify(token),
        now,
        sessionTtlSeconds: config.sessionTtlSeconds,
      }),
      ...keyRoutes(context),
      ...vaultRoutes(context),
      ...applicationRoutes(context),
      ...auditRoutes(context),
      ...devices.routes,
    ]);
    devices.register(app);
    await registerWebApp(app, {
      identityProviderIssuers: config.identityProviders.map((p) => p.issuer),
    });
    const { host, port } = config.listen;
    await app.listen({ host, port }).catch((error: unknown) => {
      throw explainListenError(error, 'server', host, port);
    });
  } catch (error) {
    await app.close().catch(() => undefined);
    await devIdentityProvider?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
  const { address, port } = app.server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    config,
    devIdentityProvider,
    routes,
    close: async () => {
      await app.close();
      await devIdentityProvider?.close();
      await db.close();
    },
  };
}

function createApp(config: Config, options: StartOptions) {
  try {
    return Fastify({
      logger: loggerOptions(config.logLevel, options.logStream),
      // X-Forwarded-For is believed only from configured proxies (DT-04).
      trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
      requestIdHeader: false,
      bodyLimit: 64 * 1024,
      clientErrorHandler: answerClientError,
    });
  } catch (cause) {
    // config/trusted-proxies.ts refuses what proxy-addr would throw on; should the two ever
    // disagree, start-up still fails with the setting named rather than a bare TypeError.
    if (config.trustedProxies.length === 0 || !(cause instanceof TypeError)) throw cause;
    throw new CofferError('config_invalid', `trustedProxies: ${cause.message}`, { cause });
  }
}

function publicOrigin(config: Config): string {
  if (config.publicUrl) return new URL(config.publicUrl).origin;
  const { host, port } = config.listen;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
