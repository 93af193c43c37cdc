import { CofferError, isCofferError } from '../../shared/errors.ts';
import { flagSet, flagValue, parseArgs } from '../args.ts';
import { clientOptions } from '../context.ts';
import { assertProfileName, encodeConfigVariable } from '../config/document.ts';
import { configDir, ENV } from '../config/paths.ts';
import { ProfileStore } from '../config/profiles.ts';
import { EXIT } from '../exit-codes.ts';
import { printable } from '../format.ts';
import { readStdin, type Io } from '../io.ts';

/**
 * Where the token comes from, most private first: COFFER_TOKEN or stdin (pipe or paste). An
 * argument works but lands in shell history and `ps` output, which the warning says.
 */
async function readToken(operand: string | undefined, io: Io): Promise<string> {
  if (operand !== undefined) {
    io.warn(
      'A token given as an argument is visible in shell history and process lists. Prefer ' +
        `piping it on stdin or setting ${ENV.token}.`,
    );
    return operand;
  }
  const fromEnv = io.env[ENV.token];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv;
  let text: string;
  if (io.stdin.isTTY === true) {
    // At a terminal the token is pasted and Enter pressed: read one line, not until EOF.
    io.out('Paste the device token and press Enter:');
    const { createInterface } = await import('node:readline');
    const lines = createInterface({ input: io.stdin, terminal: false });
    text = '';
    for await (const line of lines) {
      text = line;
      break;
    }
    lines.close();
  } else {
    text = await readStdin(io, 'The device token read from stdin', 4096);
  }
  if (text.trim() === '') {
    throw new CofferError(
      'cli_usage',
      `No device token: pipe it on stdin or set ${ENV.token}. A manager issues one per device ` +
        'in the Coffer app (Applications → the application → Add device).',
    );
  }
  return text;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: { 'print-config': 'boolean' } });
  if (args.operands.length > 1) {
    throw new CofferError('cli_usage', 'coffer init takes at most one token.');
  }
  const name = flagValue(args, 'profile') ?? (io.env[ENV.profile]?.trim() || 'default');
  // Checked before the token is read, parsed or spent.
  assertProfileName(name);
  const store = new ProfileStore(configDir(io.env));
  const existing = await store.read(name);
  if (existing !== undefined && existing.state !== 'pending') {
    const device = existing.state === 'active' ? 'device' : 'revoked device';
    throw new CofferError(
      'profile_exists',
      `Profile "${name}" is already set up for a ${device}; the token was not used. Choose ` +
        `another name with --profile, or run "coffer profile remove ${name}" first.`,
    );
  }
  const token = await readToken(args.operands[0], io);
  const { parseDeviceToken } = await import('../../shared/protocol/device-token.ts');
  // A mistyped token fails here, with token_checksum_mismatch, before anything is sent.
  parseDeviceToken(token).secret.fill(0);
  const { enrollDevice } = await import('../sdk/enroll.ts');
  const options = clientOptions(args, io);
  const server = io.env[ENV.server]?.trim();
  let serverOrigin: string | undefined;
  if (server !== undefined && server !== '') {
    const { normaliseServerOrigin } = await import('../../shared/protocol/origin.ts');
    serverOrigin = normaliseServerOrigin(server);
  }
  const document = await enrollDevice({
    token,
    savePending: (pending) => store.savePending(name, pending),
    dropPending: async () => {
      await store.remove(name);
    },
    ...(serverOrigin === undefined ? {} : { server: serverOrigin }),
    transport: {
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    },
  });
  const { info, profile } = document;
  if (flagSet(args, 'print-config')) {
    io.warn(
      `The line below is this device's credential (private keys and app key). Store it only in ` +
        `a secret store as ${ENV.config}; anyone holding it can read what "${info.appName}" ` +
        'was granted.',
    );
    io.out(encodeConfigVariable(document));
    await store.remove(name);
    return EXIT.ok;
  }
  await store.saveActive(name, profile, info);
  const selection = await selectNewProfile(store, name, io);
  const summary = {
    profile: name,
    current: selection.current,
    server: profile.origin,
    application: info.appName,
    applicationId: profile.appId,
    device: info.deviceName,
    deviceId: profile.deviceId,
    accessExpiry: info.accessExpiry,
    ipRule: info.ipRule.type,
  };
  if (flagSet(args, 'json')) io.out(JSON.stringify(summary));
  else {
    io.out(
      `Device "${printable(info.deviceName)}" of application "${printable(info.appName)}" is ` +
        `ready (profile "${name}", ${store.path(name)}).\n${selection.message}`,
    );
  }
  return EXIT.ok;
}

/**
 * Whether commands will use the new profile, said plainly: a newcomer who ran
 * `init --profile ci` would otherwise not know why `coffer get` says "No Coffer profile
 * "default"". The new profile becomes the current one when the current one cannot be used
 * (absent, never completed, or revoked); a working current profile is never replaced silently.
 */
async function selectNewProfile(
  store: ProfileStore,
  name: string,
  io: Io,
): Promise<{ current: boolean; message: string }> {
  const select = `--profile ${name} or ${ENV.profile}=${name}`;
  const fromEnv = io.env[ENV.profile]?.trim();
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv === name
      ? { current: true, message: `Commands use it while ${ENV.profile}=${name} is set.` }
      : {
          current: false,
          message:
            `${ENV.profile}=${fromEnv} is set, so commands use that profile; use this one with ` +
            `${select}.`,
        };
  }
  // The token is spent and the profile saved by now: a damaged `current` file is replaced, not
  // reported as a failure of the whole init.
  const previous = await store.current().catch((error: unknown) => {
    if (isCofferError(error, 'config_invalid')) return undefined;
    throw error;
  });
  if (previous === undefined) {
    await store.use(name);
    return {
      current: true,
      message:
        `It is the current profile (${store.currentPath} named none, and now names it): ` +
        'commands use it without --profile.',
    };
  }
  if (previous !== name && (await store.usable(previous))) {
    return {
      current: false,
      message:
        `The current profile is still "${previous}". Use this one with ${select}, or make it ` +
        `the current one with "coffer profile use ${name}".`,
    };
  }
  if (previous !== name) await store.use(name);
  const why =
    previous === name ? '' : ` (profile "${previous}" ${await describe(store, previous)})`;
  return {
    current: true,
    message: `It is the current profile${why}: commands use it without --profile.`,
  };
}

async function describe(store: ProfileStore, name: string): Promise<string> {
  const document = await store.read(name).catch(() => undefined);
  if (document === undefined) return 'does not exist';
  if (document.state === 'pending') return 'was never completed';
  return document.state === 'revoked' ? 'holds a revoked device' : 'cannot be read';
}
