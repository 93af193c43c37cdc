import type { BrowserContext, Page } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { EXIT } from '../../cli/exit-codes.ts';
import { DATABASES, type TestDatabase } from '../integration/server/support/databases.ts';
import { runCli, tempHome } from '../support/cli-process.ts';
import { scanBytes, scanFiles, type LeakHit, type Secret } from '../support/leak-scan.ts';
import { attachOnFailure, expect, recordBrowserLogs, SCREENS_DIR, test } from './fixtures.ts';
import { ed25519Seed, makeCertificate, testPassword } from './journey/secrets.ts';
import { startServerProcess, type ServerProcess } from './journey/server-process.ts';
import { dumpPostgres } from './journey/stores.ts';
import { fromBase32, toBase32 } from './totp-reference.ts';
import {
  auditRows,
  changeDatabasePassword,
  createApplicationWithGrant,
  createDatabaseRecord,
  createOneTimeCode,
  deviceRowAfterReload,
  generateSshKey,
  importCertificate,
  issueFirstUseToken,
  revokeDevice,
} from './journey/vault-steps.ts';
import { createFolder, signInAndCreateVault } from './own-vault.ts';

/**
 * Issue #6, items 2–4: the whole journey a newcomer takes, in Chromium against the built server
 * run as a real process (`node dist/server/main.js`), with the installed CLI bundle in child
 * processes — once on SQLite and once on PostgreSQL. Afterwards the database, the server's log
 * and the CLI's files are searched for every plaintext the journey used.
 */
const CLI = resolve(import.meta.dirname, '../../dist/cli-bundle/coffer.cjs');
const DB_TITLE = 'Orders DB';
const DB_REFERENCE = `coffer://Production/${encodeURIComponent(DB_TITLE)}/field/password`;
const APP = 'CI';
const DEVICE = 'deploy-runner';

/** Where the vault screenshot goes: docs/ when asked to refresh it, else the test artifacts. */
function vaultScreenshotPath(database: string): string {
  if (process.env['COFFER_UPDATE_SCREENSHOTS'] === '1' && database === 'sqlite') {
    return resolve(import.meta.dirname, '../../docs/vault-screen.png');
  }
  return join(SCREENS_DIR, `journey-vault-${database}.png`);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function describeHits(hits: readonly LeakHit[]): string[] {
  return hits.map((hit) => `${hit.secret} as ${hit.form} in ${hit.where}`);
}

for (const target of DATABASES) {
  test.describe.serial(`the whole journey on ${target.name}`, () => {
    const masterPassword = testPassword('journey-master');
    const dbPassword = testPassword('orders-old');
    const newDbPassword = testPassword('orders-new');
    const totpSecret = toBase32(randomBytes(20));
    const totpUri = `otpauth://totp/Example:alice@example.com?secret=${totpSecret}&issuer=Example`;
    let work: string;
    let database: TestDatabase;
    let server: ServerProcess;
    let context: BrowserContext;
    let page: Page;
    let logs: string[];
    let cliEnv: { HOME: string; XDG_CONFIG_HOME: string };
    let certificateScalar: Uint8Array;
    let sshPrivateKey = '';
    let token = '';
    let certificateTitle = '';

    /** Every plaintext of the journey, in the forms the leak scan searches for. */
    const secrets = (): Secret[] => [
      { name: 'master password', value: masterPassword },
      { name: 'old database password', value: dbPassword },
      { name: 'new database password', value: newDbPassword },
      { name: 'TOTP secret', value: totpSecret },
      { name: 'TOTP secret bytes', value: fromBase32(totpSecret) },
      { name: 'SSH private key seed', value: ed25519Seed(sshPrivateKey) },
      { name: 'SSH private key armour', value: '-----BEGIN OPENSSH PRIVATE KEY-----' },
      { name: 'certificate private key', value: certificateScalar },
      { name: 'device token', value: token },
    ];

    test.beforeAll(async ({ browser }) => {
      test.setTimeout(90_000);
      work = mkdtempSync(join(tmpdir(), `coffer-journey-${target.name}-`));
      database = await target.create();
      server = await startServerProcess({
        database: database.location,
        logFile: join(work, 'server.log'),
      });
      context = await browser.newContext({ baseURL: server.url, colorScheme: 'light' });
      page = await context.newPage();
      logs = recordBrowserLogs(page);
      cliEnv = tempHome();
    });

    attachOnFailure(() =>
      page === undefined
        ? undefined
        : { page, logs, files: [{ name: 'server-log', path: server.logFile }] },
    );

    test.afterAll(async () => {
      await context?.close();
      await server?.stop();
      await database?.drop();
      if (work) rmSync(work, { recursive: true, force: true });
      if (cliEnv) rmSync(cliEnv.HOME, { recursive: true, force: true });
    });

    test('signs in through the provider page and creates the master password', async () => {
      await signInAndCreateVault(page, server, masterPassword);
      await expect(page.getByText('No folders yet.')).toBeVisible();
    });

    test(
      'keeps a database password, an SSH key, ' + 'a certificate and a TOTP in Production',
      async () => {
        await createFolder(page, 'Production');
        await createDatabaseRecord(page, {
          title: DB_TITLE,
          host: 'orders.db.example.com',
          database: 'orders',
          username: 'orders_app',
          password: dbPassword,
        });
        sshPrivateKey = await generateSshKey(page, {
          title: 'Deploy key',
          username: 'deploy',
          host: 'bastion.example.com',
        });
        const certificate = makeCertificate(work, 'api.example.com');
        certificateScalar = certificate.privateScalar;
        certificateTitle = certificate.commonName;
        await importCertificate(page, certificate.file, certificate.commonName);
        await createOneTimeCode(page, 'Registry 2FA', totpUri);

        const list = page.getByRole('listbox', { name: 'Records' });
        await expect(list.getByRole('option')).toHaveCount(4);
        await list.getByRole('option', { name: new RegExp(DB_TITLE) }).click();
        await expect(
          page.getByRole('article', { name: `Database credentials: ${DB_TITLE}` }),
        ).toBeVisible();
        const shot = vaultScreenshotPath(target.name);
        mkdirSync(dirname(shot), { recursive: true });
        await page.screenshot({ path: shot });
      },
    );

    test('grants application CI the folder read-only and issues a first-use token', async () => {
      await createApplicationWithGrant(page, APP, 'Production');
      token = await issueFirstUseToken(page, APP, DEVICE, masterPassword);
      expect(token).toMatch(/^coffer_dt_/);
      expect(await page.content()).not.toContain(token);
    });

    test('the CLI redeems the token, prints the password and hands it to a child', async () => {
      const init = await runCli(CLI, ['init'], { env: cliEnv, input: token });
      expect(init.stderr).toBe('');
      expect(init.code).toBe(EXIT.ok);
      expect(init.stdout).toContain(APP);
      expect(init.stdout).not.toContain(token);

      const get = await runCli(CLI, ['get', `Production/${DB_TITLE}`, '--field', 'password'], {
        env: cliEnv,
      });
      expect(get.code).toBe(EXIT.ok);
      expect(get.stdout).toBe(`${dbPassword}\n`);

      // The child gets the value itself, not the reference, and prints only its hash.
      const child = await runCli(
        CLI,
        [
          'exec',
          '--',
          process.execPath,
          '-e',
          "process.stdout.write(require('node:crypto').createHash('sha256')" +
            ".update(process.env.DB_PASSWORD ?? '').digest('hex'))",
        ],
        { env: { ...cliEnv, DB_PASSWORD: DB_REFERENCE } },
      );
      expect(child.stderr).toBe('');
      expect(child.code).toBe(0);
      expect(child.stdout).toBe(sha256(dbPassword));

      const row = await deviceRowAfterReload(page, APP, DEVICE);
      await expect(row).toContainText('Active');
      await expect(row).toContainText('127.0.0.1');
    });

    test('a password changed in the app is the one the CLI prints next', async () => {
      await changeDatabasePassword(page, DB_TITLE, newDbPassword);
      const get = await runCli(CLI, ['get', `Production/${DB_TITLE}`, '--field', 'password'], {
        env: cliEnv,
      });
      expect(get.code).toBe(EXIT.ok);
      expect(get.stdout).toBe(`${newDbPassword}\n`);

      // The offline cache now holds all four records, encrypted; none of them in the clear.
      const cache = join(cliEnv.XDG_CONFIG_HOME, 'coffer', 'cache');
      expect(readdirSync(cache).filter((name) => name.endsWith('.cache'))).toHaveLength(1);
      expect(describeHits(scanFiles([cliEnv.HOME], secrets()))).toEqual([]);
    });

    test('a device revoked in the app is refused with the revoked exit code', async () => {
      await revokeDevice(page, APP, DEVICE);
      const refused = await runCli(CLI, ['get', `Production/${DB_TITLE}`, '--field', 'password'], {
        env: cliEnv,
      });
      expect(refused.code).toBe(EXIT.revoked);
      expect(refused.stderr).toContain('This device has been revoked');
      expect(refused.stdout).toBe('');
      const cache = join(cliEnv.XDG_CONFIG_HOME, 'coffer', 'cache');
      expect(readdirSync(cache).filter((name) => name.endsWith('.cache'))).toEqual([]);
    });

    test('the audit view shows the journey newest first and its chain verifies', async () => {
      const rows = await auditRows(page);
      const user = server.email;
      const device = `${DEVICE} (${APP})`;
      // The whole log, newest first: this journey is the only thing that happened on the server.
      expect(rows.map((row) => row.event)).toEqual([
        `Device ${device} was refused: device revoked`,
        `${user} revoked device ${device}`,
        `Device ${device} fetched 4 records`,
        `${user} changed record “${DB_TITLE}”`,
        `Device ${device} fetched 4 records`,
        `Device ${device} fetched 4 records`,
        `Device ${device} redeemed its token`,
        `${user} issued a device token for ${device}`,
        `${user} gave ${APP} read-only access to folder “Production”`,
        `${user} created application ${APP}`,
        `${user} created record “Registry 2FA”`,
        `${user} created record “${certificateTitle}”`,
        `${user} created record “Deploy key”`,
        `${user} created record “${DB_TITLE}”`,
        `${user} created folder “Production”`,
        `${user} created a master password and account keys`,
        `${user} signed in`,
      ]);
      expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => rows.length - i));
      expect(rows.filter((row) => row.outcome !== 'success').map((row) => row.seq)).toEqual([
        rows.length,
      ]);
      // A device sits in the Device column whether it acted (fetch) or was acted on (revoked).
      const deviceRows = rows.slice(0, 8).filter((row) => !row.event.startsWith(user));
      for (const row of deviceRows) {
        expect([row.actor, row.application, row.device]).toEqual([device, APP, device]);
      }
      const revoked = rows[1];
      expect([revoked?.actor, revoked?.application, revoked?.device]).toEqual([user, APP, device]);
      for (const row of rows.slice(10)) {
        expect([row.actor, row.application, row.device]).toEqual([user, '—', '—']);
      }
      expect(new Set(rows.map((row) => row.ip))).toEqual(new Set(['127.0.0.1']));

      const verify = page.getByRole('region', { name: 'Chain verification' });
      await verify.getByRole('button', { name: 'Verify chain' }).click();
      await expect(verify.getByRole('status')).toContainText(`${rows.length} events verified`);
    });

    test('no plaintext reaches the database, the server log or the CLI files', async () => {
      const markers: Secret[] = [{ name: 'audit marker', value: 'device_request_refused' }];
      const stores: string[] = [server.logFile, cliEnv.HOME];
      if (target.name === 'sqlite') {
        // The live files first, write-ahead log included, then what the server leaves on exit.
        const folder = dirname(database.location);
        expect(readdirSync(folder)).toContain('coffer.sqlite-wal');
        expect(describeHits(scanFiles([folder], secrets()))).toEqual([]);
        expect(scanFiles([folder], markers)).not.toEqual([]);
        stores.push(folder);
      } else {
        const dump = await dumpPostgres(database.location);
        expect(dump.tables).toBeGreaterThan(5);
        const bytes = Buffer.from(dump.text, 'utf8');
        expect(scanBytes(bytes, markers, 'dump')).not.toEqual([]);
        expect(describeHits(scanBytes(bytes, secrets(), 'PostgreSQL dump'))).toEqual([]);
      }
      await server.stop();
      expect(readFileSync(server.logFile, 'utf8')).toContain('Server listening');
      if (target.name === 'sqlite') {
        // Closing checkpointed the write-ahead log: the last event is in the main file now.
        expect(scanFiles([database.location], markers)).not.toEqual([]);
      }
      // The same scan flags a secret where there is one.
      expect(
        describeHits(scanBytes(Buffer.from(`x${newDbPassword}y`), secrets(), 'probe')),
      ).toEqual(['new database password as raw in probe']);
      expect(describeHits(scanFiles(stores, secrets()))).toEqual([]);
    });
  });
}
