import { DATABASES } from '../../server/support/databases.ts';
import { startHarness, type Harness } from '../../server/support/harness.ts';
import { TestManager, type TestApp, type TestFolder } from '../../server/support/devices.ts';

/**
 * A real server (SQLite) with a manager's vault as the desktop app would leave it: a
 * `Production` folder with a `db` sub-folder, records of several types, and applications
 * granted read-only or editable. Record contents are fake and generated here.
 */
export interface World {
  h: Harness;
  manager: TestManager;
  production: TestFolder;
  staging: TestFolder;
  dbFolder: string;
  ids: {
    postgres: string;
    login: string;
    otp: string;
    slashTitle: string;
    twinA: string;
    twinB: string;
    staging: string;
  };
  /** Production read-only, Staging editable. */
  app: TestApp;
  password: string;
}

export const TOTP_URI =
  'otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example';

export async function buildWorld(): Promise<World> {
  const sqlite = DATABASES.find((target) => target.name === 'sqlite');
  if (sqlite === undefined) throw new Error('no SQLite target');
  const h = await startHarness(sqlite);
  const manager = await TestManager.signIn(h, 'alice');
  const production = await manager.folder('Production');
  const staging = await manager.folder('Staging');
  const dbFolder = await manager.subFolder(production, production.id, 'db');
  const password = `pw-${Math.random().toString(36).slice(2)}-Zq9`;
  const record = (value: Record<string, unknown>) => JSON.stringify({ schemaVersion: 1, ...value });
  const ids = {
    postgres: await manager.record(
      production,
      record({
        type: 'database',
        title: 'Postgres main',
        engine: 'postgresql',
        host: 'db.example.com',
        port: 5432,
        database: 'orders',
        username: 'alice',
        password,
        customFields: [{ kind: 'hidden', name: 'api token', value: 'tok-123456' }],
      }),
      dbFolder,
    ),
    login: await manager.record(
      production,
      record({
        type: 'login',
        title: 'Mail',
        username: 'alice@example.com',
        password: 'mail-secret-1',
        urls: ['https://mail.example.com', 'https://webmail.example.com'],
      }),
    ),
    otp: await manager.record(
      production,
      record({ type: 'one-time-code', title: 'Bank 2FA', uri: TOTP_URI }),
    ),
    slashTitle: await manager.record(
      production,
      record({ type: 'secure-note', title: 'a/b c', notes: 'slash note' }),
    ),
    twinA: await manager.record(
      production,
      record({ type: 'secure-note', title: 'Twin', notes: 'one' }),
    ),
    twinB: await manager.record(
      production,
      record({ type: 'secure-note', title: 'Twin', notes: 'two' }),
    ),
    staging: await manager.record(
      staging,
      record({ type: 'api-key', title: 'Stripe', service: 'stripe', secret: 'sk-test-000111' }),
    ),
  };
  const app = await manager.app('GitHub Actions');
  await manager.grant(app, production, 'read-only');
  await manager.grant(app, staging, 'editable');
  return { h, manager, production, staging, dbFolder, ids, app, password };
}

/** A token for the world's app, registered on the server. */
export async function mintToken(world: World, options: Parameters<TestManager['mint']>[1] = {}) {
  const minted = await world.manager.mint(world.app, options);
  if (minted.response?.status !== 201) {
    throw new Error(`mint: ${minted.response?.status} ${minted.response?.text}`);
  }
  return minted.token;
}

/** Another application with the world's grants, for tests that disable or revoke it. */
export async function freshApp(world: World, name: string): Promise<TestApp> {
  const app = await world.manager.app(name);
  await world.manager.grant(app, world.production, 'read-only');
  await world.manager.grant(app, world.staging, 'editable');
  return app;
}

export async function mintFor(
  world: World,
  app: TestApp,
  options: Parameters<TestManager['mint']>[1] = {},
): Promise<{ token: string; deviceId: string }> {
  const minted = await world.manager.mint(app, options);
  if (minted.response?.status !== 201) {
    throw new Error(`mint: ${minted.response?.status} ${minted.response?.text}`);
  }
  return { token: minted.token, deviceId: minted.registration.deviceId };
}
