import { describe, expect, it } from 'vitest';
import {
  generateEcdhKeyPair,
  generateSigningKeyPair,
  importAeadKey,
  randomBytes,
  randomId,
} from '../../../../shared/crypto/index.ts';
import { createFolderKey, Vault } from '../../../../shared/keys/index.ts';
import { rejectedCode, thrownCode } from '../protocol/helpers/errors.ts';

async function openVault() {
  const encryption = await generateEcdhKeyPair();
  const signing = await generateSigningKeyPair();
  const userKey = await importAeadKey(randomBytes(32));
  return { vault: new Vault(randomId(), { userKey, encryption, signing }), encryption, signing };
}

describe('Vault session', () => {
  it('hands out its keys while unlocked', async () => {
    const { vault, signing } = await openVault();
    expect(vault.isLocked).toBe(false);
    expect(vault.signingKeyPair).toBe(signing);
    expect(vault.heldKeyCount).toBe(3);
  });

  it('after lock, every use throws vault_locked and no key is reachable from it', async () => {
    const { vault, encryption, signing } = await openVault();
    const folderId = randomId();
    await createFolderKey(vault, folderId, 1);
    expect(vault.heldKeyCount).toBe(4);

    vault.lock();

    expect(vault.isLocked).toBe(true);
    expect(vault.heldKeyCount).toBe(0);
    expect(thrownCode(() => vault.userKey)).toBe('vault_locked');
    expect(thrownCode(() => vault.signingKeyPair)).toBe('vault_locked');
    expect(thrownCode(() => vault.encryptionKeyPair)).toBe('vault_locked');
    expect(thrownCode(() => vault.folderKey(folderId, 1))).toBe('vault_locked');
    expect(await rejectedCode(createFolderKey(vault, randomId(), 1))).toBe('vault_locked');
    // Private-key bytes it held are overwritten, not just unreferenced.
    expect(encryption.privateKey.every((byte) => byte === 0)).toBe(true);
    expect(signing.privateKey.every((byte) => byte === 0)).toBe(true);
    // Nothing enumerable on the object still points at key material.
    expect(Object.keys(vault)).toEqual(['accountId']);
  });

  it('can be locked twice without error', async () => {
    const { vault } = await openVault();
    vault.lock();
    expect(() => vault.lock()).not.toThrow();
  });

  it('names a folder key that was never unlocked', async () => {
    const { vault } = await openVault();
    expect(thrownCode(() => vault.folderKey(randomId(), 1))).toBe('invalid_input');
    expect(thrownCode(() => vault.appKey(randomId(), 1))).toBe('invalid_input');
  });
});
