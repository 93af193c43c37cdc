import { describe, expect, it } from 'vitest';
import { VaultClient, type RecordDecryptorFactory } from '../../../shared/client/index.ts';
import { pool } from '../../unit/renderer/helpers/in-process-worker.ts';
import { enrolledClient, FAST_KDF, login, useServer } from './support.ts';

const harness = useServer();

const COUNT = 23;
const PAGE = 4;

/**
 * A sync of many pages (issue #4): the decrypt pool's workers fetch and parse the pages, the
 * next page is requested as soon as the previous one's cursor is known, and pages are opened
 * two at a time; the in-thread decryptor opens them one after the other. Either way every record
 * arrives exactly once, the cursor ends past the last page, and a second sync finds nothing new.
 */
describe('a sync over many pages', () => {
  const decryptors: [string, RecordDecryptorFactory | undefined][] = [
    ['the in-thread decryptor', undefined],
    ['a pool of two workers', () => pool(2).decryptor],
  ];

  it.each(decryptors)('brings every record once through %s', async (_label, factory) => {
    const h = harness();
    const { client: writer, subject, masterPassword } = await enrolledClient(h);
    const folder = await writer.createFolder('Production', null);
    for (let i = 0; i < COUNT; i += 1) {
      await writer.createRecord(
        folder,
        login(`service ${i}`, { username: `svc-${i}@example.com` }),
      );
    }
    // A change after creation: its newer revision lands on a later page than the rest.
    const first = [...writer.data.records.values()].find((e) => e.summary.title === 'service 0');
    await writer.updateRecord(first!.id, login('service 0 renamed'));

    const reader = new VaultClient({
      serverUrl: h.server.url,
      kdf: FAST_KDF,
      pageSize: PAGE,
      ...(factory ? { createDecryptor: factory } : {}),
    });
    const nonce = await reader.session.loginNonce();
    await reader.session.signIn(await h.issuer.mint(nonce, { claims: { sub: subject } }));
    await reader.unlock(masterPassword);
    let steps = 0;
    await reader.sync(() => (steps += 1));
    expect(reader.data.records.size).toBe(COUNT);
    expect(reader.data.quarantine.size).toBe(0);
    expect(steps).toBeGreaterThan(COUNT / PAGE);
    const titles = [...reader.data.records.values()].map((e) => e.summary.title).sort();
    expect(titles).toContain('service 0 renamed');
    expect(titles).not.toContain('service 0');
    expect(reader.data.index.search('svc-22@example.com')).toHaveLength(1);
    expect(reader.data.records.get(first!.id)!.record).toMatchObject({
      title: 'service 0 renamed',
    });

    const cursor = reader.data.cursor;
    await reader.sync();
    expect(reader.data.cursor).toBe(cursor);
    expect(reader.data.records.size).toBe(COUNT);
    reader.lock();
    writer.lock();
  });
});
