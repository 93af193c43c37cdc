import { CofferError } from '../../shared/errors.ts';
import { flagSet, parseArgs } from '../args.ts';
import { assertProfileName } from '../config/document.ts';
import { cacheDir, configDir } from '../config/paths.ts';
import { ProfileStore } from '../config/profiles.ts';
import { EXIT } from '../exit-codes.ts';
import { table } from '../format.ts';
import type { Io } from '../io.ts';

/** `coffer profile list | use NAME | remove NAME`. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: {} });
  const [action, name, ...extra] = args.operands;
  const store = new ProfileStore(configDir(io.env));
  if (action === 'list' && name === undefined) {
    const entries = await store.list();
    const rows = entries.map((entry) => {
      const active = entry.document.state === 'active' ? entry.document : undefined;
      return {
        name: entry.name,
        current: entry.current,
        state: entry.document.state,
        server:
          active?.profile.origin ??
          (entry.document.state === 'pending' ? entry.document.pending.origin : ''),
        application: active?.info.appName ?? '',
        deviceId: active?.profile.deviceId ?? '',
      };
    });
    if (flagSet(args, 'json')) io.out(JSON.stringify(rows));
    else if (rows.length === 0) io.out('No profiles yet. Run "coffer init" with a device token.');
    else {
      io.out(
        table(
          ['', 'PROFILE', 'STATE', 'SERVER', 'APPLICATION'],
          rows.map((row) => [
            row.current ? '*' : '',
            row.name,
            row.state,
            row.server,
            row.application,
          ]),
        ),
      );
    }
    return EXIT.ok;
  }
  if ((action === 'use' || action === 'remove') && name !== undefined && extra.length === 0) {
    assertProfileName(name);
    if (action === 'use') {
      await store.use(name);
      io.out(`Profile "${name}" is now the default.`);
      return EXIT.ok;
    }
    const removed = await store.remove(name);
    if (removed === undefined) {
      throw new CofferError('profile_not_found', `No Coffer profile "${name}" to remove.`);
    }
    const deviceId =
      removed.state === 'active' ? removed.profile.deviceId : removed.pending.deviceId;
    const { rm } = await import('node:fs/promises');
    await rm(`${cacheDir(store.root)}/${deviceId}.cache`, { force: true });
    io.out(
      `Profile "${name}" and its offline cache were removed. The device is still bound on the ` +
        'server: ask a manager to revoke it if it will not be used again.',
    );
    return EXIT.ok;
  }
  throw new CofferError('cli_usage', 'Usage: coffer profile list | use NAME | remove NAME.');
}
