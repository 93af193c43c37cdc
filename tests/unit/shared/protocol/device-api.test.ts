import { describe, expect, it } from 'vitest';
import { randomBytes, randomId, toBase64Url } from '../../../../shared/crypto/index.ts';
import {
  DEVICE_ROUTE_ERRORS,
  DEVICE_ROUTES,
  deviceRecordCreateSchema,
  deviceRecordPath,
  deviceRecordUpdateSchema,
  deviceRedeemResponseSchema,
  deviceStatusResponseSchema,
  deviceVaultPath,
  deviceVaultQuerySchema,
  deviceVaultResponseSchema,
  folderNameAad,
  redemptionCore,
} from '../../../../shared/protocol/device-api.ts';
import {
  ERROR_CODES,
  parseBody,
  problemStatus,
  redemptionResponseSchema,
} from '../../../../shared/protocol/index.ts';
import { thrownCode, thrownError } from './helpers/errors.ts';

const b64 = (length: number) => toBase64Url(randomBytes(length));

function vaultAnswer() {
  const rootId = randomId();
  const folderId = randomId();
  return {
    protocol: 1,
    appId: randomId(),
    appKeyVersion: 1,
    serverTime: 1_800_000_000,
    grants: [
      { folderId: rootId, mode: 'editable', folderKeyVersion: 2, wrappedFolderKey: b64(61) },
    ],
    folders: [
      { id: rootId, rootId, parentId: null, keyVersion: 2, name: b64(40), revision: 1 },
      { id: folderId, rootId, parentId: rootId, keyVersion: 2, name: b64(40), revision: 3 },
    ],
    records: [
      {
        id: randomId(),
        folderId,
        revision: 4,
        keyVersion: 2,
        schemaVersion: 1,
        ciphertext: b64(300),
      },
    ],
    nextCursor: null,
  };
}

describe('device API contract', () => {
  it('names only known error codes for every route', () => {
    for (const codes of Object.values(DEVICE_ROUTE_ERRORS)) {
      for (const code of codes) expect(ERROR_CODES).toContain(code);
    }
    expect(DEVICE_ROUTE_ERRORS.updateRecord).toContain('revision_conflict');
    expect(problemStatus('revision_conflict')).toBe(409);
    expect(DEVICE_ROUTE_ERRORS.redeem).not.toContain('device_revoked');
  });

  it('keeps every route under one prefix with a distinct method and path', () => {
    const keys = Object.values(DEVICE_ROUTES).map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of Object.values(DEVICE_ROUTES)) {
      expect(route.path.startsWith('/api/v1/device/')).toBe(true);
    }
  });

  it('accepts a redemption answer and hands completeRedemption only its strict members', () => {
    const answer = {
      protocol: 1,
      deviceId: randomId(),
      appId: randomId(),
      appKeyVersion: 1,
      wrappedAppKey: b64(61),
      appName: 'GitHub Actions',
      deviceName: 'runner-1',
      accessExpiry: null,
      ipRule: { type: 'first-use' },
      boundAddress: '127.0.0.1',
    };
    const parsed = parseBody(deviceRedeemResponseSchema, answer, 'Redemption answer');
    const core = redemptionCore(parsed);
    expect(parseBody(redemptionResponseSchema, core, 'Core')).toEqual(core);
    expect(
      thrownCode(() => parseBody(deviceRedeemResponseSchema, { ...answer, extra: 1 }, 'R')),
    ).toBe('invalid_input');
    expect(
      thrownCode(() =>
        parseBody(deviceRedeemResponseSchema, { ...answer, boundAddress: 'x' }, 'R'),
      ),
    ).toBe('invalid_input');
  });

  it('accepts a status answer with an access expiry and a CIDR rule', () => {
    const status = {
      protocol: 1,
      deviceId: randomId(),
      deviceName: 'runner-1',
      appId: randomId(),
      appName: 'Jenkins',
      appKeyVersion: 3,
      accessExpiry: 1_900_000_000,
      ipRule: { type: 'cidr', allow: ['192.0.2.0/24'] },
      boundAddress: '2001:db8::1',
      serverTime: 1_800_000_000,
      grants: [{ folderId: randomId(), mode: 'read-only' }],
    };
    expect(parseBody(deviceStatusResponseSchema, status, 'Status')).toEqual(status);
    const badMode = { ...status, grants: [{ folderId: randomId(), mode: 'write' }] };
    expect(thrownCode(() => parseBody(deviceStatusResponseSchema, badMode, 'Status'))).toBe(
      'invalid_input',
    );
  });

  it('accepts a vault page and refuses one whose ciphertext is not base64url', () => {
    const answer = vaultAnswer();
    expect(parseBody(deviceVaultResponseSchema, answer, 'Vault')).toEqual(answer);
    const broken = structuredClone(answer);
    broken.records[0]!.ciphertext = 'not base64url!';
    const error = thrownError(() => parseBody(deviceVaultResponseSchema, broken, 'Vault'));
    expect(error.message).toContain('records.0.ciphertext');
    expect(error.message).not.toContain('not base64url!');
  });

  it('refuses an HTML page or a body from a newer protocol as a vault answer', () => {
    expect(thrownCode(() => parseBody(deviceVaultResponseSchema, '<html>', 'Vault'))).toBe(
      'invalid_input',
    );
    const newer = { ...vaultAnswer(), protocol: 2 };
    expect(thrownCode(() => parseBody(deviceVaultResponseSchema, newer, 'Vault'))).toBe(
      'invalid_input',
    );
  });

  it('builds vault queries that the server-side schema reads back', () => {
    const ids = [randomId(), randomId()];
    const folders = [randomId()];
    const path = deviceVaultPath({ ids, folders, limit: 200 });
    const url = new URL(path, 'https://vault.example.com');
    expect(url.pathname).toBe(DEVICE_ROUTES.vault.path);
    const query = parseBody(
      deviceVaultQuerySchema,
      Object.fromEntries(url.searchParams),
      'Vault query',
    );
    expect(query).toEqual({ ids, folders, limit: 200 });
    expect(deviceVaultPath()).toBe(DEVICE_ROUTES.vault.path);
  });

  it('refuses vault queries with empty, malformed or too many ids', () => {
    expect(thrownCode(() => deviceVaultPath({ ids: [] }))).toBe('invalid_input');
    expect(thrownCode(() => deviceVaultPath({ ids: ['../etc'] }))).toBe('invalid_input');
    expect(thrownCode(() => deviceVaultPath({ limit: 5001 }))).toBe('invalid_input');
    const many = Array.from({ length: 257 }, () => randomId()).join(',');
    expect(thrownCode(() => parseBody(deviceVaultQuerySchema, { ids: many }, 'Q'))).toBe(
      'invalid_input',
    );
    expect(thrownCode(() => parseBody(deviceVaultQuerySchema, { ids: 'a,,b' }, 'Q'))).toBe(
      'invalid_input',
    );
    expect(thrownCode(() => parseBody(deviceVaultQuerySchema, { limit: '0' }, 'Q'))).toBe(
      'invalid_input',
    );
    expect(thrownCode(() => parseBody(deviceVaultQuerySchema, { other: '1' }, 'Q'))).toBe(
      'invalid_input',
    );
  });

  it('starts created records at revision 1 and updates at 2 or later', () => {
    const write = {
      protocol: 1,
      folderId: randomId(),
      keyVersion: 1,
      schemaVersion: 1,
      ciphertext: b64(100),
    };
    const id = randomId();
    expect(parseBody(deviceRecordCreateSchema, { ...write, id, revision: 1 }, 'C').id).toBe(id);
    expect(
      thrownCode(() => parseBody(deviceRecordCreateSchema, { ...write, id, revision: 2 }, 'C')),
    ).toBe('invalid_input');
    expect(parseBody(deviceRecordUpdateSchema, { ...write, revision: 5 }, 'U').revision).toBe(5);
    expect(
      thrownCode(() => parseBody(deviceRecordUpdateSchema, { ...write, revision: 1 }, 'U')),
    ).toBe('invalid_input');
  });

  it('puts only a checked id into a record path', () => {
    const id = randomId();
    expect(deviceRecordPath(id)).toBe(`/api/v1/device/records/${id}`);
    expect(thrownCode(() => deviceRecordPath('../status'))).toBe('invalid_input');
  });

  it('binds folder names to the folder id and key version', () => {
    const id = randomId();
    const a = folderNameAad(id, 1);
    expect(a).toEqual(folderNameAad(id, 1));
    expect(a).not.toEqual(folderNameAad(id, 2));
    expect(a).not.toEqual(folderNameAad(randomId(), 1));
    expect(thrownCode(() => folderNameAad(id, 0))).toBe('invalid_input');
  });
});
