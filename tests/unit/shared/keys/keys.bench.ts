// Figures for the report, not tests. Run:
//   npx vitest bench --run --project node tests/unit/shared/keys
import { bench, describe } from 'vitest';
import { randomBytes, randomId, utf8 } from '../../../../shared/crypto/index.ts';
import {
  createAccount,
  DEFAULT_KDF_PARAMS,
  signDeviceRequest,
  unlockAccount,
  verifyDeviceRequest,
} from '../../../../shared/keys/index.ts';
import {
  formatDeviceToken,
  parseDeviceToken,
  parseRequestHeaders,
} from '../../../../shared/protocol/index.ts';
import { installInProcessArgon2 } from '../crypto/helpers/argon2-wasm.ts';
import { FAST_KDF } from './helpers/setup.ts';

installInProcessArgon2();
const password = 'correct horse battery staple';
const atDefaults = await createAccount({
  accountId: randomId(),
  masterPassword: password,
  kdf: DEFAULT_KDF_PARAMS,
});
const atFloor = await createAccount({
  accountId: randomId(),
  masterPassword: password,
  kdf: FAST_KDF,
});
const token = formatDeviceToken('https://vault.example.com', randomBytes(32));
const device = { deviceId: randomId(), signingPrivateKey: atFloor.vault.signingKeyPair.privateKey };
const request = {
  method: 'GET',
  pathWithQuery: '/v1/folders',
  host: 'vault.example.com',
  body: utf8(''),
};
const now = Math.floor(Date.now() / 1000);

describe('unlock (Argon2id in-process SIMD wasm + unwrap user key and key pairs)', () => {
  bench(
    'defaults: 64 MiB, 3 passes, 4 lanes',
    async () => {
      await unlockAccount(atDefaults.keys, password);
    },
    { iterations: 5, warmupIterations: 1 },
  );
  bench(
    'floor: 19 MiB, 2 passes, 1 lane',
    async () => {
      await unlockAccount(atFloor.keys, password);
    },
    { iterations: 10, warmupIterations: 1 },
  );
});

describe('device protocol', () => {
  bench('parse a device token', () => {
    parseDeviceToken(token);
  });
  bench('sign and verify a device request', async () => {
    const auth = parseRequestHeaders(await signDeviceRequest(device, request, now));
    await verifyDeviceRequest(auth, request, atFloor.vault.signingKeyPair.publicKey, now);
  });
});
