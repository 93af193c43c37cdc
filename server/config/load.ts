import { readFileSync } from 'node:fs';
import { CofferError } from '../../shared/errors.ts';
import { describeIssues, issueMessage } from '../zod-issues.ts';
import { configSchema } from './schema.ts';
import type { Config, ConfigInput } from './schema.ts';

type Env = Record<string, string | undefined>;

/** Environment variables and the setting each one fills; a start-up error names the variable. */
const ENV_SETTINGS: Record<string, string> = {
  COFFER_LISTEN: 'listen',
  COFFER_PUBLIC_URL: 'publicUrl',
  COFFER_DATABASE_URL: 'database',
  COFFER_IDENTITY_PROVIDERS: 'identityProviders',
  COFFER_TRUSTED_PROXIES: 'trustedProxies',
  COFFER_ALLOWED_ORIGINS: 'allowedOrigins',
  COFFER_SESSION_TTL_SECONDS: 'sessionTtlSeconds',
  COFFER_DEV_IDP: 'devIdentityProvider',
  COFFER_LOG_LEVEL: 'logLevel',
};

/**
 * Validates a configuration object. Every problem is reported at once, each naming its setting
 * (and the environment variable it came from), so a bad deployment fails with one clear message.
 */
export function parseConfig(
  input: unknown,
  sources: ReadonlyMap<string, string> = new Map(),
): Config {
  const result = configSchema.safeParse(input, { error: issueMessage });
  if (result.success) return result.data;
  const problems = describeIssues(result.error.issues).map(({ at, path, message }) => {
    const source = sources.get(String(at[0] ?? ''));
    return `${path || '(root)'}${source ? ` (from ${source})` : ''}: ${message}`;
  });
  throw new CofferError('config_invalid', `Invalid configuration: ${problems.join('; ')}`);
}

/**
 * Reads the configuration: the JSON file named by COFFER_SERVER_CONFIG (if any), then environment
 * variables on top of it.
 */
export function loadConfig(env: Env): Config {
  const sources = new Map<string, string>();
  let input: Record<string, unknown> = {};
  const file = env['COFFER_SERVER_CONFIG'];
  if (file) {
    input = readConfigFile(file);
    for (const key of Object.keys(input)) sources.set(key, `COFFER_SERVER_CONFIG file`);
  }
  for (const [name, setting] of Object.entries(ENV_SETTINGS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    input[setting] = fromEnv(name, setting, raw, input[setting]);
    sources.set(setting, name);
  }
  return parseConfig(input, sources);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new CofferError('config_invalid', 'COFFER_SERVER_CONFIG: the file cannot be read', {
      cause,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new CofferError('config_invalid', 'COFFER_SERVER_CONFIG: the file is not valid JSON', {
      cause,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CofferError(
      'config_invalid',
      'COFFER_SERVER_CONFIG: the file must hold a JSON object',
    );
  }
  return parsed as Record<string, unknown>;
}

function fromEnv(name: string, setting: string, raw: string, current: unknown): unknown {
  switch (setting) {
    case 'listen':
      return parseListen(name, raw);
    case 'identityProviders':
      return parseJson(name, raw);
    case 'trustedProxies':
    case 'allowedOrigins':
      return raw
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
    case 'sessionTtlSeconds':
      return /^\d+$/.test(raw) ? Number(raw) : raw;
    case 'devIdentityProvider':
      return parseDevIdp(name, raw, current);
    default:
      return raw;
  }
}

/** `host:port`, `[v6]:port`, or a bare port (host stays loopback). */
function parseListen(name: string, raw: string): unknown {
  const match =
    /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(raw) ?? /^()()(\d{1,5})$/.exec(raw);
  if (!match) {
    throw new CofferError('config_invalid', `${name}: expected host:port such as 127.0.0.1:8787`);
  }
  return { host: match[1] || match[2] || '127.0.0.1', port: Number(match[3]) };
}

function parseJson(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (cause) {
    throw new CofferError('config_invalid', `${name}: expected JSON`, { cause });
  }
}

function parseDevIdp(
  name: string,
  raw: string,
  current: unknown,
): ConfigInput['devIdentityProvider'] {
  const base = (typeof current === 'object' && current !== null ? current : {}) as object;
  if (raw === '0' || raw === 'false') return { ...base, enabled: false };
  if (raw === '1' || raw === 'true') return { ...base, enabled: true };
  if (/^\d{1,5}$/.test(raw)) return { ...base, enabled: true, port: Number(raw) };
  throw new CofferError('config_invalid', `${name}: expected true, false or a port number`);
}
