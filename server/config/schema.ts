import { isIP } from 'node:net';
import { z } from 'zod';
import { DESKTOP_APP_ORIGIN } from '../../shared/protocol/desktop-app-origin.ts';
import { DESKTOP_REDIRECT_MODES, PKCE_POLICIES } from '../../shared/protocol/identity-provider.ts';
import { trustedProxyProblem } from './trusted-proxies.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * An issuer is compared exactly (OIDC Core §3.1.3.7 step 2) and its JWKS is fetched from it, so
 * it must be https; plain http is tolerated only on loopback, for the development provider.
 */
const issuerUrl = z
  .string()
  .url()
  .refine((value) => {
    const url = new URL(value);
    return (
      url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
    );
  }, 'must be an https URL (http is allowed only on a loopback address)');

const origin = z
  .string()
  .refine(
    (value) => value !== DESKTOP_APP_ORIGIN,
    `${DESKTOP_APP_ORIGIN} (the desktop app) is always allowed; leave it out`,
  )
  .pipe(
    z
      .string()
      .url()
      .refine(
        (value) => new URL(value).origin === value,
        'must be an origin: scheme://host[:port]',
      ),
  );

/** A proxy's address or block (config/trusted-proxies.ts says which are refused, and why). */
const trustedProxy = z.string().superRefine((value, context) => {
  const problem = trustedProxyProblem(value);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

const emailDomain = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, {
    message: 'must be a lower-case domain name such as example.com',
  });

/** Longest display name: fits one sign-in button ("Sign in with …") at the narrowest width. */
export const PROVIDER_NAME_MAX = 64;

/**
 * What the sign-in screen shows on the provider's button ("Okta", "Entra ID"). Plain text: no
 * control or invisible formatting characters (line breaks, bidi overrides, zero-width joiners),
 * so one provider cannot be made to read as another or spill out of its button.
 */
const providerName = z
  .string()
  .trim()
  .min(1)
  .max(PROVIDER_NAME_MAX)
  .refine(
    (value) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(value),
    'must be plain text: no control or formatting characters',
  );

const identityProvider = z
  .object({
    name: providerName.optional(),
    issuer: issuerUrl,
    clientIds: z.array(z.string().min(1).max(256)).min(1),
    allowedEmailDomains: z.array(emailDomain).default([]),
    groupsClaim: z.string().min(1).max(128).default('groups'),
    allowedGroups: z.array(z.string().min(1).max(256)).default([]),
    adminSubjects: z.array(z.string().min(1).max(256)).default([]),
    adminGroups: z.array(z.string().min(1).max(256)).default([]),
    desktopRedirect: z.enum(DESKTOP_REDIRECT_MODES).default('per-attempt-path'),
    pkce: z.enum(PKCE_POLICIES).default('advertised'),
  })
  .strict()
  .refine(
    (p) =>
      p.allowedEmailDomains.length + p.allowedGroups.length + p.adminSubjects.length > 0 ||
      p.adminGroups.length > 0,
    'names nobody who may sign in: set allowedEmailDomains, allowedGroups or admins',
  );

const listen = z
  .object({
    host: z.string().refine((h) => isIP(h) !== 0, 'must be an IP address'),
    port: z.number().int().min(0).max(65535),
  })
  .strict();

export const configSchema = z
  .object({
    listen: listen.default({ host: '127.0.0.1', port: 8787 }),
    publicUrl: z.string().url().optional(),
    database: z.string().min(1).default('data/coffer.sqlite'),
    identityProviders: z.array(identityProvider).default([]),
    trustedProxies: z.array(trustedProxy).default([]),
    allowedOrigins: z.array(origin).default([]),
    sessionTtlSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .default(8 * 3600),
    loginNonceTtlSeconds: z.number().int().min(30).max(3600).default(600),
    devIdentityProvider: z
      .object({
        enabled: z.boolean().default(false),
        port: z.number().int().min(0).max(65535).default(8788),
        demoEmail: z.string().email().default('alice@example.com'),
        demoPassword: z.string().min(12).max(256).optional(),
      })
      .strict()
      .default({ enabled: false, port: 8788, demoEmail: 'alice@example.com' }),
    /**
     * Counters kept in the database (so every replica counts the same hits). Redemption is
     * throttled per address and overall (DT-05); each bound device per device. Per address,
     * before any authentication: every API request, and tighter budgets for what an anonymous
     * caller can make the server do for free (login nonces, ID-token checks, and signed requests
     * that do not verify: `unknownDevicePerAddressPerMinute` counts those of unknown devices and
     * bad signatures of known ones alike, so that running out of it cannot tell the two apart).
     */
    rateLimits: z
      .object({
        redeemPerAddressPerMinute: z.number().int().min(1).max(100_000).default(20),
        redeemPerMinute: z.number().int().min(1).max(1_000_000).default(600),
        devicePerMinute: z.number().int().min(1).max(1_000_000).default(1200),
        apiPerAddressPerMinute: z.number().int().min(1).max(10_000_000).default(6000),
        signInPerAddressPerMinute: z.number().int().min(1).max(100_000).default(30),
        noncePerAddressPerMinute: z.number().int().min(1).max(100_000).default(60),
        unknownDevicePerAddressPerMinute: z.number().int().min(1).max(100_000).default(60),
      })
      .strict()
      .default({
        redeemPerAddressPerMinute: 20,
        redeemPerMinute: 600,
        devicePerMinute: 1200,
        apiPerAddressPerMinute: 6000,
        signInPerAddressPerMinute: 30,
        noncePerAddressPerMinute: 60,
        unknownDevicePerAddressPerMinute: 60,
      }),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .strict();

/** What a caller writes: every setting optional, as in the JSON file. */
export type ConfigInput = z.input<typeof configSchema>;
/** The validated configuration, defaults filled in. */
export type Config = z.output<typeof configSchema>;
export type IdentityProviderConfig = Config['identityProviders'][number];
