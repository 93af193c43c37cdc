import { encodeAad, type AeadItem } from '../../shared/crypto/index.ts';

/**
 * Synthetic vault records: ~400 bytes of JSON each (a login with a long-ish note), and the
 * associated data a record really carries (folder id, record id, revision, schema version).
 */
export function makeRecords(count: number): AeadItem[] {
  const encoder = new TextEncoder();
  const items: AeadItem[] = [];
  for (let i = 0; i < count; i += 1) {
    const body = JSON.stringify({
      type: 'login',
      title: `service-${i}.example.com`,
      username: `alice+${i}@example.com`,
      password: `pw-${i.toString(36).padStart(8, '0')}-correct-horse-battery`,
      url: `https://service-${i}.example.com/login`,
      notes: 'Rotated quarterly. Owner: platform team. '.repeat(6),
    });
    items.push({
      data: encoder.encode(body.slice(0, 400)),
      aad: encodeAad('record', ['folder-0001', `record-${i}`, 1, 1]),
    });
  }
  return items;
}
