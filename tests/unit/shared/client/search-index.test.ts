import { describe, expect, it } from 'vitest';
import { foldForSearch, SearchIndex } from '../../../../shared/client/search-index.ts';
import { parseRecord } from '../../../../shared/records/schema/index.ts';

const login = (title: string, username = '') =>
  parseRecord({ type: 'login', schemaVersion: 1, title, username });

function indexOf(titles: Record<string, string>): SearchIndex {
  const index = new SearchIndex();
  for (const [id, title] of Object.entries(titles)) index.upsert(id, login(title));
  return index;
}

function masked(index: SearchIndex, query: string, ids: readonly string[]): string[] {
  const mask = index.matchMask(query);
  return ids.filter((id) => mask[index.positionOf(id)] === 1);
}

describe('the search index while typing', () => {
  const ids = ['a', 'b', 'c', 'd'];

  it('marks in its mask exactly the records search returns', () => {
    const index = indexOf({ a: 'postgres prod', b: 'postgres staging', c: 'redis prod', d: 'ops' });
    for (const query of ['p', 'pro', 'prod', 'postgres prod', 'PROD', 'x', '']) {
      expect(masked(index, query, ids)).toEqual(index.search(query));
    }
    expect(index.positionOf('missing')).toBe(-1);
  });

  it('finds records again after a query that is not an extension of the previous one', () => {
    const index = indexOf({ a: 'postgres prod', b: 'postgres staging', c: 'redis prod', d: 'ops' });
    expect(index.search('postgres sta')).toEqual(['b']);
    expect(index.search('postgres')).toEqual(['a', 'b']);
    expect(index.search('prod')).toEqual(['a', 'c']);
    expect(index.search('prod postgres')).toEqual(['a']);
    expect(index.search('ops')).toEqual(['d']);
  });

  it('sees an edit made between two keystrokes of the same word', () => {
    const index = indexOf({ a: 'postgres prod', b: 'redis' });
    expect(index.search('red')).toEqual(['b']);
    const before = index.version;
    index.upsert('a', login('redis replica'));
    expect(index.version).not.toBe(before);
    expect(index.search('redi')).toEqual(['a', 'b']);
    index.remove('b');
    expect(index.search('redis')).toEqual(['a']);
    expect(masked(index, 'redis r', ['a', 'b'])).toEqual(['a']);
  });

  it('keeps the type filter apart from the narrowing', () => {
    const index = indexOf({ a: 'example one' });
    index.upsert(
      'b',
      parseRecord({
        type: 'database',
        schemaVersion: 1,
        title: 'example two',
        engine: 'postgresql',
        host: 'db.example.com',
      }),
    );
    expect(index.search('exam', { type: 'database' })).toEqual(['b']);
    expect(index.search('examp')).toEqual(['a', 'b']);
  });
});

describe('folding text for search', () => {
  it('folds case and width as NFKC then lower case does, ASCII or not', () => {
    const texts = [
      'Postgres PROD db-01',
      'tab\there\u0000and NUL',
      '',
      'ＦＵＬＬ width ＡＢＣ',
      'café CAFÉ',
      'ﬁle ligature',
      'Ⅻ roman',
      'İstanbul',
      '\u007f edge',
      '\u0080 first non-ASCII',
    ];
    for (const text of texts)
      expect(foldForSearch(text)).toBe(text.normalize('NFKC').toLowerCase());
    const index = indexOf({ a: 'ＰＯＳＴＧＲＥＳ prod', b: 'postgres staging' });
    expect(index.search('postgres')).toEqual(['a', 'b']);
    expect(index.search('ＳＴＡＧＩＮＧ')).toEqual(['b']);
  });
});
