import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors.ts';
import { enrolledClient, secondDevice, signedInClient, useServer } from './support.ts';

const server = useServer();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCofferError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a CofferError');
}

const NEW_PASSWORD = 'violet anchor pepper glacier 83';

describe('changing the master password against a real server', () => {
  it(
    're-wraps the user key: the old password ' + 'is refused, other sessions keep working',
    async () => {
      const h = server();
      const { client, subject, masterPassword } = await enrolledClient(h);
      const before = (await client.session.fetchAccountKeys()).revision;
      const other = await secondDevice(h, subject, masterPassword);

      await client.changeMasterPassword(masterPassword, NEW_PASSWORD);
      expect(client.isUnlocked).toBe(true);
      expect((await client.session.fetchAccountKeys()).revision).toBe(before + 1);

      // The user key is the same, so a session unlocked before the change reads and writes on.
      const folder = await other.createFolder('Production', null);
      await client.sync();
      expect(client.data.folders.get(folder)?.name).toBe('Production');

      const fresh = await signedInClient(h, subject);
      expect(await codeOf(fresh.unlock(masterPassword))).toBe('wrong_master_password');
      await fresh.unlock(NEW_PASSWORD);
      await fresh.sync();
      expect(fresh.data.folders.get(folder)?.name).toBe('Production');
    },
  );

  it('refuses a wrong current password before any change, and nothing changes', async () => {
    const h = server();
    const { client, subject, masterPassword } = await enrolledClient(h);
    const stored = await client.session.fetchAccountKeys();
    expect(await codeOf(client.changeMasterPassword(`${masterPassword}x`, NEW_PASSWORD))).toBe(
      'wrong_master_password',
    );
    expect(client.isUnlocked).toBe(true);
    expect(await client.session.fetchAccountKeys()).toEqual(stored);
    const fresh = await signedInClient(h, subject);
    expect(await codeOf(fresh.unlock(NEW_PASSWORD))).toBe('wrong_master_password');
  });

  it(
    'refuses a change made from stale account ' + 'keys, leaving the newer password in force',
    async () => {
      const h = server();
      const { client, subject, masterPassword } = await enrolledClient(h);
      // The other device's password change is held at its PUT until this device's change is in.
      let reachedPut: () => void = () => undefined;
      const putReached = new Promise<void>((resolve) => (reachedPut = resolve));
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      const other = await secondDevice(h, subject, masterPassword, async (input, init) => {
        if (init?.method === 'PUT') {
          reachedPut();
          await released;
        }
        return fetch(input, init);
      });

      const stale = codeOf(other.changeMasterPassword(masterPassword, 'amber thistle orbit 27'));
      await putReached;
      await client.changeMasterPassword(masterPassword, NEW_PASSWORD);
      release();
      expect(await stale).toBe('revision_conflict');

      const fresh = await signedInClient(h, subject);
      expect(await codeOf(fresh.unlock('amber thistle orbit 27'))).toBe('wrong_master_password');
      await fresh.unlock(NEW_PASSWORD);
      expect(fresh.isUnlocked).toBe(true);
    },
  );
});
