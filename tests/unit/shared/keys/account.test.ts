import { describe, expect, it } from 'vitest';
import {
  fromBase64Url,
  fromHex,
  fromUtf8,
  setArgon2Backend,
  signP1363,
  toBase64Url,
  toHex,
  utf8,
  verifyP1363,
} from '../../../../shared/crypto/index.ts';
import {
  changeMasterPassword,
  decryptRecord,
  publicKeyFingerprint,
  unlockAccount,
  unwrapFolderKey,
} from '../../../../shared/keys/index.ts';
import vector from '../../../fixtures/protocol/account.json';
import { installInProcessArgon2 } from '../crypto/helpers/argon2-wasm.ts';
import { rejectedCode } from '../protocol/helpers/errors.ts';
import { FAST_KDF, newAccount, useRealArgon2 } from './helpers/setup.ts';

useRealArgon2();

const keys = vector.accountKeys;
const withKdf = (change: Record<string, unknown>) => ({ ...keys, kdf: { ...keys.kdf, ...change } });

async function readVectorRecord(vault: Awaited<ReturnType<typeof unlockAccount>>) {
  const folderKey = await unwrapFolderKey(
    vault,
    vector.folderKey.folderId,
    vector.folderKey.version,
    fromHex(vector.folderKey.wrappedHex),
  );
  return fromUtf8(
    await decryptRecord(folderKey, vector.record.binding, fromHex(vector.record.sealedHex)),
  );
}

/** Replaces Argon2 with a counter that must never be reached, runs `body`, restores it. */
async function withoutDerivation(body: () => Promise<void>): Promise<number> {
  let derivations = 0;
  setArgon2Backend(async () => {
    derivations += 1;
    throw new Error('Argon2id must not run for refused parameters');
  });
  try {
    await body();
  } finally {
    installInProcessArgon2();
  }
  return derivations;
}

describe('unlocking the vector account (generated with Node crypto and the argon2 package)', () => {
  it('unwraps the user key, both key pairs, a folder key and a record', async () => {
    const vault = await unlockAccount(keys, vector.password);
    expect(await readVectorRecord(vault)).toBe(vector.record.plaintext);
    expect(toHex(vault.signingKeyPair.publicKey)).toBe(
      toHex(fromBase64Url(keys.signing.publicKey)),
    );
    const signature = await signP1363(vault.signingKeyPair.privateKey, utf8('grant'));
    expect(await verifyP1363(vault.signingKeyPair.publicKey, utf8('grant'), signature)).toBe(true);
    expect(await publicKeyFingerprint(vault.signingKeyPair.publicKey)).toBe(
      vector.signingPublicKeyFingerprint,
    );
  });

  it('unlocks with the NFD spelling of the password (CR-09)', async () => {
    const nfd = vector.password.normalize('NFD');
    expect(nfd).not.toBe(vector.password);
    const vault = await unlockAccount(keys, nfd);
    expect(await readVectorRecord(vault)).toBe(vector.record.plaintext);
  });

  it.each([
    ['the NFKC spelling (full-width and ligature folded)', vector.password.normalize('NFKC')],
    ['the trimmed password', vector.password.trim()],
    ['a different password', 'correct horse battery staple'],
  ])('reports wrong_master_password for %s', async (_what, password) => {
    expect(await rejectedCode(unlockAccount(keys, password))).toBe('wrong_master_password');
  });

  it('reports a swapped salt as wrong_master_password, never unlocking (CR-01)', async () => {
    const salt = fromBase64Url(keys.kdf.salt);
    salt[0] = (salt[0] ?? 0) ^ 1;
    expect(
      await rejectedCode(unlockAccount(withKdf({ salt: toBase64Url(salt) }), vector.password)),
    ).toBe('wrong_master_password');
  });

  it('fails when the server changes the parameters to other allowed values', async () => {
    expect(await rejectedCode(unlockAccount(withKdf({ memoryKiB: 20480 }), vector.password))).toBe(
      'wrong_master_password',
    );
  });

  it.each([
    [
      'Argon2id m=1 MiB t=1 p=1',
      { memoryKiB: 1024, passes: 1, lanes: 1 },
      'kdf_parameters_too_weak',
    ],
    [
      'PBKDF2 with 5,000 iterations',
      { algorithm: 'pbkdf2', iterations: 5000 },
      'kdf_parameters_too_weak',
    ],
    ['64 GiB of memory', { memoryKiB: 64 * 1024 * 1024 }, 'kdf_parameters_too_costly'],
    ['null passes', { passes: null }, 'invalid_input'],
    ['a 4-byte salt', { salt: 'AAAAAA' }, 'kdf_parameters_too_weak'],
  ])('refuses %s before deriving anything (CR-01)', async (_what, change, code) => {
    const derivations = await withoutDerivation(async () => {
      expect(await rejectedCode(unlockAccount(withKdf(change), vector.password))).toBe(code);
    });
    expect(derivations).toBe(0);
  });

  it('refuses missing KDF parameters without falling back to defaults', async () => {
    const { kdf: _omitted, ...withoutKdf } = keys;
    expect(_omitted).toBeDefined();
    expect(await rejectedCode(unlockAccount(withoutKdf, vector.password))).toBe('invalid_input');
    expect(await rejectedCode(unlockAccount({ ...keys, kdf: null }, vector.password))).toBe(
      'invalid_input',
    );
  });

  it('refuses an empty or over-long password before deriving anything', async () => {
    const derivations = await withoutDerivation(async () => {
      expect(await rejectedCode(unlockAccount(keys, ''))).toBe('master_password_empty');
      expect(await rejectedCode(unlockAccount(keys, 'x'.repeat(1 << 20)))).toBe(
        'master_password_too_long',
      );
    });
    expect(derivations).toBe(0);
  });

  it('detects private keys swapped between the two key pairs', async () => {
    const swapped = {
      ...keys,
      encryption: { ...keys.encryption, wrappedPrivateKey: keys.signing.wrappedPrivateKey },
      signing: { ...keys.signing, wrappedPrivateKey: keys.encryption.wrappedPrivateKey },
    };
    expect(await rejectedCode(unlockAccount(swapped, vector.password))).toBe(
      'crypto_integrity_failed',
    );
  });

  it('detects account keys served for another account id', async () => {
    const moved = { ...keys, accountId: 'Other00000000000000000' };
    expect(await rejectedCode(unlockAccount(moved, vector.password))).toBe('wrong_master_password');
  });
});

describe('creating an account and changing its master password', () => {
  it('creates keys that unlock with the same password only', async () => {
    const { keys: created, masterPassword, vault } = await newAccount();
    expect(created.kdf).toMatchObject(FAST_KDF);
    expect(fromBase64Url(created.kdf.salt)).toHaveLength(16);
    const again = await unlockAccount(JSON.parse(JSON.stringify(created)), masterPassword);
    expect(toHex(again.signingKeyPair.publicKey)).toBe(toHex(vault.signingKeyPair.publicKey));
    expect(toHex(again.encryptionKeyPair.privateKey)).toBe(
      toHex(vault.encryptionKeyPair.privateKey),
    );
    expect(await rejectedCode(unlockAccount(created, `${masterPassword}!`))).toBe(
      'wrong_master_password',
    );
  });

  it('uses a fresh random salt per account', async () => {
    const [a, b] = await Promise.all([newAccount('same password'), newAccount('same password')]);
    expect(a.keys.kdf.salt).not.toBe(b.keys.kdf.salt);
  });

  it('re-wraps the same user key under a new password and salt', async () => {
    const { keys: created, masterPassword } = await newAccount();
    const changed = await changeMasterPassword({
      accountKeys: created,
      currentPassword: masterPassword,
      newPassword: 'a new  passphrase ',
    });
    expect(changed.kdf.salt).not.toBe(created.kdf.salt);
    expect(changed.wrappedUserKey).not.toBe(created.wrappedUserKey);
    expect(changed.signing).toEqual(created.signing);
    expect(await rejectedCode(unlockAccount(changed, masterPassword))).toBe(
      'wrong_master_password',
    );
    // The key pairs, wrapped by the user key, still open: the user key is unchanged.
    const vault = await unlockAccount(changed, 'a new  passphrase ');
    expect(vault.signingKeyPair.publicKey).toHaveLength(65);
  });

  it('asks for the current password and refuses an unusable new one', async () => {
    const { keys: created, masterPassword } = await newAccount();
    expect(
      await rejectedCode(
        changeMasterPassword({
          accountKeys: created,
          currentPassword: 'wrong',
          newPassword: 'new',
        }),
      ),
    ).toBe('wrong_master_password');
    expect(
      await rejectedCode(
        changeMasterPassword({
          accountKeys: created,
          currentPassword: masterPassword,
          newPassword: '',
        }),
      ),
    ).toBe('master_password_empty');
    expect(
      await rejectedCode(
        changeMasterPassword({
          accountKeys: created,
          currentPassword: masterPassword,
          newPassword: 'new',
          kdf: { ...FAST_KDF, passes: 1 },
        }),
      ),
    ).toBe('kdf_parameters_too_weak');
  });
});
