import { describe, expect, it } from 'vitest';
import { ApiClient, VaultClient, type FetchLike } from '../../../shared/client/index.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { z } from 'zod';
import { enrolledClient, login, secondDevice, signedInClient, useServer } from './support.ts';

const server = useServer();

/** H1, in miniature: rewrites the JSON answers of chosen routes on their way to the client. */
function rewriting(rewrite: (path: string, body: Record<string, unknown>) => unknown): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    const path = new URL(input).pathname;
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !type.includes('json')) return response;
    const body = (await response.json()) as Record<string, unknown>;
    return new Response(JSON.stringify(rewrite(path, body) ?? body), {
      status: response.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCofferError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a CofferError');
}

describe('a hostile or broken server', () => {
  it('cannot roll a record back to an older revision unnoticed', async () => {
    const h = server();
    const { client, subject, masterPassword } = await enrolledClient(h);
    const folder = await client.createFolder('Prod', null);
    const record = await client.createRecord(folder, login('db', { password: 'old-password' }));
    const pages: { first?: Record<string, unknown>; replay?: Record<string, unknown> | undefined } =
      {};
    const device = await secondDevice(
      h,
      subject,
      masterPassword,
      rewriting((path, body) => {
        if (path !== '/api/v1/vault/sync') return undefined;
        pages.first ??= body;
        return pages.replay;
      }),
    );
    await client.updateRecord(record.id, login('db', { password: 'new-password' }));
    await device.sync();
    expect(device.data.records.get(record.id)?.revision).toBe(2);

    pages.replay = pages.first;
    device.data.cursor = 0;
    await device.sync();
    expect(device.data.records.get(record.id)).toMatchObject({
      revision: 2,
      record: { password: 'new-password' },
    });
    expect([...device.data.quarantine.values()]).toContainEqual(
      expect.objectContaining({ id: record.id, code: 'record_rollback' }),
    );
  });

  it('cannot swap two records: both are quarantined, the rest of the vault opens', async () => {
    const h = server();
    const { client, subject, masterPassword } = await enrolledClient(h);
    const folder = await client.createFolder('Ops', null);
    const a = await client.createRecord(folder, login('first'));
    const b = await client.createRecord(folder, login('second'));
    const c = await client.createRecord(folder, login('third'));
    const device = await secondDevice(
      h,
      subject,
      masterPassword,
      rewriting((path, body) => {
        if (path !== '/api/v1/vault/sync') return undefined;
        const records = body['records'] as { id: string; ciphertext: string }[];
        const ra = records.find((r) => r.id === a.id);
        const rb = records.find((r) => r.id === b.id);
        if (ra && rb) [ra.ciphertext, rb.ciphertext] = [rb.ciphertext, ra.ciphertext];
        return body;
      }),
    );
    expect([...device.data.records.keys()]).toEqual([c.id]);
    expect(device.data.quarantine.get(a.id)?.code).toBe('crypto_integrity_failed');
    expect(device.data.quarantine.get(b.id)?.code).toBe('crypto_integrity_failed');
  });

  it('cannot move a folder name onto another folder', async () => {
    const h = server();
    const { client, subject, masterPassword } = await enrolledClient(h);
    const top = await client.createFolder('Top', null);
    const x = await client.createFolder('Public', top);
    const y = await client.createFolder('Secret', top);
    const device = await secondDevice(
      h,
      subject,
      masterPassword,
      rewriting((path, body) => {
        if (path !== '/api/v1/vault/sync') return undefined;
        const folders = body['folders'] as { id: string; name: string }[];
        const fx = folders.find((f) => f.id === x);
        const fy = folders.find((f) => f.id === y);
        if (fx && fy) [fx.name, fy.name] = [fy.name, fx.name];
        return body;
      }),
    );
    expect(device.data.folders.all().map((f) => f.name)).toEqual(['Top']);
    expect(device.data.quarantine.get(x)?.code).toBe('crypto_integrity_failed');
  });

  it('cannot lower the KDF cost: unlocking refuses before deriving anything', async () => {
    const h = server();
    const { subject, masterPassword } = await enrolledClient(h);
    const device = await signedInClient(
      h,
      subject,
      rewriting((path, body) => {
        if (path !== '/api/v1/account/keys') return undefined;
        return { ...body, kdf: { ...(body['kdf'] as object), memoryKiB: 1024 } };
      }),
    );
    expect(await codeOf(device.unlock(masterPassword))).toBe('kdf_parameters_too_weak');
    expect(device.isUnlocked).toBe(false);
  });

  it('reports an HTML page answering 200 as an invalid response, not as data', async () => {
    const html: FetchLike = async () =>
      new Response('<html>captive portal</html>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      });
    const api = new ApiClient('https://vault.example.com', html);
    const call = api.get('/api/v1/auth/providers', { schema: z.object({}), anonymous: true });
    expect(await codeOf(call)).toBe('response_invalid');
  });

  it('maps problem+json answers to their codes and keeps extension members', async () => {
    const h = server();
    const client = new VaultClient({ serverUrl: h.server.url });
    client.session.api.setSessionToken('not-a-real-session-token');
    expect(await codeOf(client.session.fetchAccountKeys())).toBe('unauthenticated');
  });

  it('says the server cannot be reached when nothing listens', async () => {
    const api = new ApiClient('http://127.0.0.1:9');
    const call = api.get('/api/v1/health', { schema: z.unknown(), anonymous: true });
    expect(await codeOf(call)).toBe('server_unreachable');
  });
});
