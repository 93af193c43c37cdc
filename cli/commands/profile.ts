import { CofferError, isCofferError } from '../../shared/errors.ts';
import { flagSet, parseArgs } from '../args.ts';
import { assertProfileName } from '../config/document.ts';
import type { ConfigDocument } from '../config/document.ts';
import { cacheDir, configDir, ENV } from '../config/paths.ts';
import { ProfileStore, deviceIdOf } from '../config/profiles.ts';
import { EXIT } from '../exit-codes.ts';
import { table } from '../format.ts';
import type { Io } from '../io.ts';

/** Where the device's server is, whatever the state of its profile. */
function originOf(document: ConfigDocument): string {
  if (document.state === 'active') return document.profile.origin;
  if (document.state === 'pending') return document.pending.origin;
  return document.origin;
}

/**
 * The profiles, with the one commands use marked: COFFER_PROFILE when set, else `current`
 * (the same choice cli/sdk/load-config.ts makes).
 */
async function listProfiles(store: ProfileStore, json: boolean, io: Io): Promise<void> {
  const entries = await store.list();
  const fromEnv = io.env[ENV.profile]?.trim();
  let inUse: string | undefined;
  let currentProblem: string | undefined;
  if (fromEnv !== undefined && fromEnv !== '') inUse = fromEnv;
  else {
    try {
      inUse = await store.current();
    } catch (error) {
      // Listing is how one looks into the problem: show the profiles, and what is wrong.
      if (!isCofferError(error, 'config_invalid')) throw error;
      currentProblem = error.message;
    }
  }
  const rows = entries.map((entry) => {
    const document = entry.document;
    return {
      name: entry.name,
      current: entry.name === inUse,
      state: document.state,
      server: originOf(document),
      application:
        document.state === 'active'
          ? document.info.appName
          : document.state === 'revoked'
            ? document.appName
            : '',
      deviceId: document.state === 'pending' ? '' : deviceIdOf(document),
      ...(document.state === 'revoked' ? { revokedAt: document.revokedAt } : {}),
    };
  });
  if (json) {
    io.out(JSON.stringify(rows));
    return;
  }
  if (rows.length === 0) {
    const none = 'No profiles yet. Run "coffer init" with a device token.';
    io.out(currentProblem === undefined ? none : `${none}\n${currentProblem}`);
    return;
  }
  const lines = [
    table(
      ['CURRENT', 'PROFILE', 'STATE', 'SERVER', 'APPLICATION'],
      rows.map((row) => [row.current ? '*' : '', row.name, row.state, row.server, row.application]),
    ),
    '',
    rows.some((row) => row.current)
      ? `* is the profile commands use${fromEnv ? ` (${ENV.profile})` : ''}; choose another ` +
        'with --profile NAME or "coffer profile use NAME".'
      : (currentProblem ??
        `No profile is current ("${inUse}" does not exist): run "coffer profile use NAME".`),
  ];
  if (rows.some((row) => row.state === 'revoked')) {
    lines.push(
      'A revoked device cannot be used again: remove its profile, and ask a manager for a new ' +
        'device token for "coffer init".',
    );
  }
  if ((io.env[ENV.config] ?? '') !== '') {
    lines.push(`${ENV.config} is set: commands without --profile use it, not these profiles.`);
  }
  io.out(lines.join('\n'));
}

/** `coffer profile list | use NAME | remove NAME`. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: {} });
  const [action, name, ...extra] = args.operands;
  const store = new ProfileStore(configDir(io.env));
  if (action === 'list' && name === undefined) {
    await listProfiles(store, flagSet(args, 'json'), io);
    return EXIT.ok;
  }
  if ((action === 'use' || action === 'remove') && name !== undefined && extra.length === 0) {
    assertProfileName(name);
    if (action === 'use') {
      await store.use(name);
      io.out(`Profile "${name}" is now the current profile.`);
      if (!(await store.usable(name))) {
        io.warn(`Profile "${name}" holds a device the server reported as revoked.`);
      }
      return EXIT.ok;
    }
    const removed = await store.remove(name);
    if (removed === undefined) {
      throw new CofferError('profile_not_found', `No Coffer profile "${name}" to remove.`);
    }
    const deviceId = deviceIdOf(removed);
    const { rm } = await import('node:fs/promises');
    await rm(`${cacheDir(store.root)}/${deviceId}.cache`, { force: true });
    io.out(
      removed.state === 'revoked'
        ? `Profile "${name}" (a revoked device, its keys already erased) was removed.`
        : `Profile "${name}" and its offline cache were removed. The device is still bound on ` +
            'the server: ask a manager to revoke it if it will not be used again.',
    );
    return EXIT.ok;
  }
  throw new CofferError('cli_usage', 'Usage: coffer profile list | use NAME | remove NAME.');
}
