import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../../shared/errors.ts';
import {
  ReferenceSyntaxError,
  formatReference,
  looksLikeReference,
  parseReference,
  type CofferReference,
  type ReferenceComponent,
} from '../../../../shared/notation/index.ts';

const ID = 'hNz3kX0bQ1uV4wY7zA9cDe';

describe('parseReference', () => {
  it('reads a record id, a selector and a name', () => {
    expect(parseReference(`coffer://${ID}/field/password`)).toEqual({
      record: { kind: 'id', id: ID },
      selector: 'field',
      name: 'password',
    });
  });

  it('reads folder paths: every segment but the last is a folder', () => {
    expect(parseReference('coffer://Production/Databases/Orders%20DB/custom/api%20token')).toEqual({
      record: { kind: 'path', folders: ['Production', 'Databases'], title: 'Orders DB' },
      selector: 'custom',
      name: 'api token',
    });
    expect(parseReference('coffer://Router/notes')).toEqual({
      record: { kind: 'path', folders: [], title: 'Router' },
      selector: 'notes',
    });
  });

  it('reads indexes and properties', () => {
    expect(parseReference('coffer://Work/Mail/field/urls[1]')).toMatchObject({
      name: 'urls',
      index: 1,
    });
    expect(parseReference('coffer://CI/Deploy/field/publicKey[fingerprint]')).toMatchObject({
      name: 'publicKey',
      property: 'fingerprint',
    });
    const both = parseReference('coffer://Ops/SSO/custom/otp[0][code]');
    expect(both).toMatchObject({ name: 'otp', index: 0, property: 'code' });
    expect(parseReference('coffer://a/field/x[999999]')).toMatchObject({ index: 999999 });
    expect('index' in parseReference('coffer://a/field/x')).toBe(false);
  });

  it('decodes escapes for "/", "[", "]", "%" and space, once and after splitting', () => {
    const ref = parseReference('coffer://Team%2FOps/a%5Bb%5D%20c%25d/file/cert%2Fchain.pem');
    expect(ref.record).toEqual({ kind: 'path', folders: ['Team/Ops'], title: 'a[b] c%d' });
    expect(ref).toMatchObject({ selector: 'file', name: 'cert/chain.pem' });
    // "%2525" is the text "%25", not "%": no second round of decoding.
    expect(parseReference('coffer://x/field/%2525')).toMatchObject({ name: '%25' });
  });

  it('reads UTF-8 escapes and literal letters of any script', () => {
    expect(parseReference('coffer://Z%C3%BCrich/%E6%9D%B1%E4%BA%AC/title').record).toEqual({
      kind: 'path',
      folders: ['Zürich'],
      title: '東京',
    });
    expect(parseReference('coffer://Zürich/東京/field/pässword')).toMatchObject({
      name: 'pässword',
    });
    expect(parseReference('coffer://x/field/%f0%9f%94%91')).toMatchObject({ name: '🔑' });
    expect(parseReference('coffer://x/field/%EF%BB%BFbom')).toMatchObject({ name: '\ufeffbom' });
  });

  it('treats the first literal keyword as the selector, escaped keywords as names', () => {
    expect(parseReference('coffer://Ops/%66ield/field/title')).toEqual({
      record: { kind: 'path', folders: ['Ops'], title: 'field' },
      selector: 'field',
      name: 'title',
    });
    expect(parseReference('coffer://%6Eotes/title').record).toEqual({
      kind: 'path',
      folders: [],
      title: 'notes',
    });
    // Keywords are case-sensitive: "Field" is an ordinary folder.
    expect(parseReference('coffer://Field/x/type').record).toMatchObject({ folders: ['Field'] });
  });

  it('reads an id-shaped single segment as an id, and an escaped one as a title', () => {
    expect(parseReference(`coffer://${ID}/title`).record).toEqual({ kind: 'id', id: ID });
    expect(parseReference(`coffer://%68${ID.slice(1)}/title`).record).toEqual({
      kind: 'path',
      folders: [],
      title: ID,
    });
    expect(parseReference(`coffer://Ops/${ID}/title`).record).toEqual({
      kind: 'path',
      folders: ['Ops'],
      title: ID,
    });
    expect(parseReference(`coffer://-${ID.slice(1)}/title`).record).toMatchObject({ kind: 'path' });
  });

  it('recognises values meant as references', () => {
    expect(looksLikeReference('coffer://x/title')).toBe(true);
    expect(looksLikeReference('postgres://x')).toBe(false);
  });
});

/** [reference, component at fault, offset, words the message must contain] */
const malformed: [string, ReferenceComponent, number, RegExp][] = [
  ['https://x/field/y', 'scheme', 0, /must start with "coffer:\/\/"/],
  ['Coffer://x/field/y', 'scheme', 0, /lower case/],
  ['coffer:/x/field/y', 'scheme', 0, /coffer:\/\//],
  ['coffer://field/password', 'record', 9, /record is missing/],
  ['coffer://Ops//DB/title', 'record', 13, /empty path segment/],
  ['coffer://Ops/My DB/title', 'record', 15, /" " must be percent-encoded as %20/],
  ['coffer://Ops/a[b]/title', 'record', 14, /"\[" must be percent-encoded as %5B/],
  ['coffer://Ops/50%/title', 'record', 15, /"%" must be followed by two hex digits/],
  ['coffer://Ops/%zz/title', 'record', 13, /two hex digits/],
  ['coffer://Ops/%C3/title', 'record', 13, /valid UTF-8/],
  ['coffer://Ops/%C0%AF/title', 'record', 13, /valid UTF-8/],
  ['coffer://Ops/../title', 'record', 13, /%2E/],
  ['coffer://Ops/a\u202Eb/title', 'record', 14, /U\+202E must be percent-encoded/],
  ['coffer://Ops/a\ud800/title', 'record', 14, /unpaired surrogate/],
  ['coffer://Ops/DB/feild/password', 'selector', 16, /unknown selector "feild"/],
  ['coffer://Ops/DB', 'selector', 13, /unknown selector "DB"/],
  ['coffer://OpsDB', 'selector', 14, /expected "\/" and a selector/],
  ['coffer://Ops/DB/field', 'name', 21, /must be followed by "\/" and a name/],
  ['coffer://Ops/DB/field/', 'name', 22, /needs a name/],
  ['coffer://Ops/DB/field/a/b', 'name', 23, /cannot contain "\/"; write it as %2F/],
  ['coffer://Ops/DB/title/x', 'name', 21, /"title" takes no name/],
  ['coffer://Ops/DB/field/pass word', 'name', 26, /" " must be percent-encoded/],
  ['coffer://Ops/DB/field/a]b', 'name', 23, /"\]" must be percent-encoded as %5D/],
  ['coffer://Ops/DB/field/urls[01]', 'index', 27, /without leading zeros/],
  ['coffer://Ops/DB/field/urls[1000000]', 'index', 27, /0–999999/],
  ['coffer://Ops/DB/field/urls[1', 'index', 26, /unclosed "\["/],
  ['coffer://Ops/DB/field/urls[1][2]', 'index', 29, /only one index/],
  ['coffer://Ops/DB/field/otp[code][0]', 'index', 31, /index must come before the property/],
  ['coffer://Ops/DB/field/otp[Code]', 'property', 26, /property like \[code\]/],
  ['coffer://Ops/DB/field/otp[]', 'property', 26, /index like \[0\]/],
  ['coffer://Ops/DB/field/otp[code]x', 'name', 31, /unexpected text after the name/],
  ['coffer://Ops/DB/field/otp[a][b]', 'property', 28, /only one property/],
];

describe('malformed references', () => {
  it.each(malformed)('%s → %s at %i', (input, component, position, words) => {
    let caught: unknown;
    try {
      parseReference(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ReferenceSyntaxError);
    expect(isCofferError(caught, 'reference_malformed')).toBe(true);
    const error = caught as ReferenceSyntaxError;
    expect({ component: error.component, position: error.position }).toEqual({
      component,
      position,
    });
    expect(error.message).toMatch(words);
    expect(error.message).toContain(`(${component} at position ${position})`);
  });

  it('refuses overlong input and non-strings', () => {
    expect(() => parseReference(`coffer://x/field/${'a'.repeat(5000)}`)).toThrow(
      /longer than 4096/,
    );
    expect(() => parseReference(42 as unknown as string)).toThrow(ReferenceSyntaxError);
  });

  it('quotes at most a short token of the input', () => {
    const long = 'x'.repeat(200);
    try {
      parseReference(`coffer://a/${long}/${long}`);
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(160);
    }
  });
});

describe('formatReference', () => {
  const canonical = [
    `coffer://${ID}/field/password`,
    `coffer://${ID}/type`,
    'coffer://Production/Databases/Orders%20DB/custom/api%20token',
    'coffer://Team%2FOps/a%5Bb%5D%20c%25d/file/cert%2Fchain.pem',
    'coffer://Zürich/東京/field/pässword',
    'coffer://Ops/%66ield/field/title',
    'coffer://%6Eotes/notes',
    `coffer://%68${ID.slice(1)}/title`,
    'coffer://CI/Deploy/field/publicKey[fingerprint]',
    'coffer://Ops/SSO/custom/otp[0][code]',
    'coffer://Work/Mail/field/urls[12]',
    'coffer://Ops/%2E%2E/title',
    "coffer://Alice's/C:%5Cdata;x=1@host,+$&*~!/field/a:b",
    'coffer://x/field/%E2%80%AEevil%E2%80%AC',
    'coffer://x/field/tab%09nbsp%C2%A0quote%22hash%23q%3F',
  ];

  it.each(canonical)('format ∘ parse is the identity on %s', (reference) => {
    expect(formatReference(parseReference(reference))).toBe(reference);
  });

  const values: CofferReference[] = [
    {
      record: { kind: 'path', folders: ['a/b', 'field', 'type'], title: '[1] 100%' },
      selector: 'file',
      name: 'x y',
    },
    { record: { kind: 'path', folders: [], title: ID }, selector: 'title' },
    { record: { kind: 'path', folders: ['..'], title: '.' }, selector: 'notes' },
    {
      record: { kind: 'path', folders: ['🔑', 'e\u0301'], title: 'é' },
      selector: 'custom',
      name: 'title',
      index: 3,
      property: 'code',
    },
    { record: { kind: 'id', id: ID }, selector: 'field', name: '\u00a0\u200d\ufeff', index: 0 },
  ];

  it('parse ∘ format gives back the value, escapes included (NFD kept)', () => {
    for (const value of values) {
      const text = formatReference(value);
      expect(parseReference(text)).toEqual(value);
      expect(text).not.toMatch(/ /);
    }
    expect(formatReference(values[0] as CofferReference)).toBe(
      'coffer://a%2Fb/%66ield/%74ype/%5B1%5D%20100%25/file/x%20y',
    );
  });

  it('refuses values that have no reference', () => {
    const bad: unknown[] = [
      { record: { kind: 'id', id: 'short' }, selector: 'title' },
      { record: { kind: 'path', folders: [], title: '' }, selector: 'title' },
      { record: { kind: 'path', folders: [''], title: 't' }, selector: 'title' },
      { record: { kind: 'path', folders: [], title: 't\ud800' }, selector: 'title' },
      { record: { kind: 'path', folders: [], title: 't' }, selector: 'field', name: '' },
      { record: { kind: 'path', folders: [], title: 't' }, selector: 'field' },
      {
        record: { kind: 'path', folders: [], title: 't' },
        selector: 'field',
        name: 'n',
        index: -1,
      },
      {
        record: { kind: 'path', folders: [], title: 't' },
        selector: 'field',
        name: 'n',
        index: 1.5,
      },
      {
        record: { kind: 'path', folders: [], title: 't' },
        selector: 'field',
        name: 'n',
        property: 'X',
      },
    ];
    for (const value of bad) {
      expect(() => formatReference(value as CofferReference)).toThrow(
        /Cannot format coffer:\/\/ reference/,
      );
    }
  });
});
