import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/exit-codes.ts';
import { createClient, loadClientConfig } from '../../../cli/sdk/index.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { buildCli, runCli, tempHome } from './support/cli.ts';
import { buildWorld, mintToken, type World } from './support/world.ts';

let bin: string;
let world: World;

beforeAll(async () => {
  [bin, world] = await Promise.all([buildCli(), buildWorld()]);
}, 120_000);

afterAll(async () => {
  await world?.h.close();
});

async function enrolled() {
  const env = tempHome();
  const init = await runCli(bin, ['init'], { env, input: await mintToken(world) });
  expect(init.code).toBe(0);
  return env;
}

describe('writes under editable grants', () => {
  it('sets a field from stdin and creates a record', async () => {
    const env = await enrolled();
    const set = await runCli(bin, ['set', world.ids.staging, 'secret=-'], {
      env,
      input: 'sk-test-rotated\n',
    });
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    const get = await runCli(bin, ['get', world.ids.staging, '--field', 'secret'], { env });
    expect(get.stdout).toBe('sk-test-rotated\n');
    const created = await runCli(
      bin,
      ['create', '--folder', 'Staging', '--type', 'login', '--title', 'Deploy', 'username=bob'],
      { env },
    );
    expect(created.code).toBe(0);
    const byPath = await runCli(bin, ['get', 'Staging/Deploy', '--field', 'username'], { env });
    expect(byPath.stdout).toBe('bob\n');
  });

  it('refuses a value from stdin that is not UTF-8, and writes nothing', async () => {
    const env = await enrolled();
    const before = await runCli(bin, ['get', world.ids.staging, '--field', 'secret'], { env });
    const set = await runCli(bin, ['set', world.ids.staging, 'secret=-'], {
      env,
      input: Buffer.from('latin1-p\xe4ssword', 'latin1'),
    });
    expect(set.code).toBe(EXIT.usage);
    expect(set.stderr).toMatch(/"secret" read from stdin is not valid UTF-8 text/);
    expect(set.stdout).toBe('');
    const after = await runCli(bin, ['get', world.ids.staging, '--field', 'secret'], { env });
    expect(after.stdout).toBe(before.stdout);
    expect(after.stdout).not.toContain('\ufffd');
  });

  it('refuses an empty value from stdin unless --allow-empty, and drops one newline', async () => {
    const env = await enrolled();
    const id = await world.manager.record(
      world.staging,
      JSON.stringify({ schemaVersion: 1, type: 'login', title: 'Orders DB', password: 'pw-1' }),
    );
    const password = async () =>
      JSON.parse((await runCli(bin, ['get', id, '--field', 'password', '--json'], { env })).stdout)
        .value as string;
    for (const input of ['', '\n']) {
      const empty = await runCli(bin, ['set', id, 'password=-'], { env, input });
      expect(empty.code).toBe(EXIT.usage);
      expect(empty.stderr).toMatch(/"password" read from stdin is empty.*--allow-empty/);
      expect(await password()).toBe('pw-1');
    }
    const crlf = await runCli(bin, ['set', id, 'password=-'], { env, input: 'pw-2\r\n' });
    expect(crlf.code).toBe(0);
    expect(await password()).toBe('pw-2');
    const kept = await runCli(bin, ['set', id, 'password=-'], { env, input: 'pw-3\n\n' });
    expect(kept.code).toBe(0);
    expect(await password()).toBe('pw-3\n');
    const cleared = await runCli(bin, ['set', id, 'password=-', '--allow-empty'], { env });
    expect(cleared.code).toBe(0);
    expect(await password()).toBe('');
  });

  it('refuses an update on a stale revision without losing the other change', async () => {
    const env = await enrolled();
    const { config } = await loadClientConfig({ env });
    const client = createClient(config);
    let failure: unknown;
    try {
      await client.update(world.ids.staging, async (record) => {
        const other = await runCli(bin, ['set', world.ids.staging, 'notes=from the CLI'], { env });
        expect(other.code).toBe(0);
        return { ...record, notes: 'from the SDK' };
      });
    } catch (error) {
      failure = error;
    }
    expect(isCofferError(failure, 'revision_conflict')).toBe(true);
    const notes = await runCli(bin, ['get', `coffer://${world.ids.staging}/notes`], { env });
    expect(notes.stdout).toBe('from the CLI\n');
  });

  it('reports a server that rolls a record back to an older revision', async () => {
    const env = await enrolled();
    const id = await world.manager.record(
      world.staging,
      JSON.stringify({ schemaVersion: 1, type: 'secure-note', title: 'Rotating', notes: 'v1' }),
    );
    const [before] = await world.h.db.all<{ ciphertext: string; revision: number }>(
      'SELECT ciphertext, revision FROM records WHERE id = ?',
      [id],
    );
    if (before === undefined) throw new Error('record row missing');
    expect((await runCli(bin, ['set', id, 'notes=v2'], { env })).code).toBe(0);
    expect((await runCli(bin, ['get', `coffer://${id}/notes`], { env })).stdout).toBe('v2\n');
    // H1: the server serves the genuine, older ciphertext under its own revision number.
    await world.h.db.run('UPDATE records SET ciphertext = ?, revision = ? WHERE id = ?', [
      before.ciphertext,
      before.revision,
      id,
    ]);
    const rolled = await runCli(bin, ['get', `coffer://${id}/notes`], { env });
    expect(rolled.code).toBe(EXIT.integrity);
    expect(rolled.stdout).toBe('');
    expect(rolled.stderr).toMatch(/revision 1 of a record after revision 2/);
  });
});
