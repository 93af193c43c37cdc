import { describe, expect, it } from 'vitest';
import { readRecordView, recordView, syncResponse } from '../../../../shared/client/wire.ts';

const id = (c: string, n = 22) => c.repeat(n);

const live = {
  id: id('a'),
  rootId: id('b'),
  folderId: id('c'),
  revision: 3,
  seq: 17,
  deleted: false,
  ciphertext: 'AQID-_xyz',
  updatedAt: 1_700_000_000_000,
};
const dead = { id: id('a'), rootId: id('b'), revision: 4, seq: 18, deleted: true };

/** Values that are right for some member and wrong for others, and ones wrong for all. */
const VALUES: readonly unknown[] = [
  undefined,
  null,
  0,
  -1,
  1,
  1.5,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '1',
  '',
  true,
  false,
  [],
  {},
  id('a', 21),
  id('a', 22),
  id('a', 64),
  id('a', 65),
  `${id('a', 21)}!`,
  'AQ==',
  'AQ ID',
  'AQID+/',
];

describe('a sync page record view, checked without zod', () => {
  it('accepts and refuses exactly what the zod schema does, member by member', () => {
    let refused = 0;
    for (const base of [live, dead]) {
      const members = [...Object.keys(live), 'extra'];
      for (const member of members) {
        for (const value of VALUES) {
          const input: Record<string, unknown> = { ...base, [member]: value };
          if (value === undefined) delete input[member];
          const zod = recordView.safeParse(input);
          const fast = readRecordView(input);
          expect(typeof fast !== 'string', `${member}=${String(value)}`).toBe(zod.success);
          if (zod.success) expect(fast).toEqual(zod.data);
          else refused += 1;
        }
      }
    }
    for (const value of [null, 'x', [], 7]) {
      expect(readRecordView(value)).toBe('');
      expect(recordView.safeParse(value).success).toBe(false);
    }
    expect(refused).toBeGreaterThan(100);
  });

  it('drops members the view does not name, as zod does', () => {
    expect(readRecordView({ ...live, title: 'plaintext?' })).toEqual(live);
    expect(readRecordView({ ...dead, ciphertext: 'AQID' })).toEqual(dead);
  });

  it('names the record and member that failed in a refused page', () => {
    const page = { cursor: 9, more: false, memberships: [], folders: [] };
    const bad = syncResponse.safeParse({ ...page, records: [live, { ...live, seq: -1 }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['records', 1, 'seq']);
    const good = syncResponse.safeParse({ ...page, records: [live, dead] });
    expect(good.data?.records).toEqual([live, dead]);
  });
});
