import { MAX_REFERENCE_LENGTH, PROPERTY, RECORD_ID, SCHEME_PREFIX } from './characters.ts';
import { decodeSegment } from './decode.ts';
import { ReferenceSyntaxError } from './errors.ts';
import {
  BARE_SELECTORS,
  SELECTORS,
  type BareSelector,
  type CofferReference,
  type NamedSelector,
  type NamedTarget,
  type ReferenceComponent,
  type ReferenceRecord,
  type Selector,
} from './types.ts';

interface RawSegment {
  readonly text: string;
  /** Offset of the segment's first character in the reference. */
  readonly start: number;
}

function fail(component: ReferenceComponent, position: number, problem: string): never {
  throw new ReferenceSyntaxError(component, position, problem);
}

/** A token short enough to quote in an error message. */
function quote(text: string): string {
  return JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}…` : text);
}

function isSelector(text: string): text is Selector {
  return (SELECTORS as readonly string[]).includes(text);
}

function split(input: string, from: number): RawSegment[] {
  const segments: RawSegment[] = [];
  let start = from;
  for (;;) {
    const slash = input.indexOf('/', start);
    const end = slash === -1 ? input.length : slash;
    segments.push({ text: input.slice(start, end), start });
    if (slash === -1) return segments;
    start = slash + 1;
  }
}

function parseRecord(segments: readonly RawSegment[]): ReferenceRecord {
  for (const segment of segments) {
    if (segment.text === '') fail('record', segment.start, 'empty path segment');
  }
  const only = segments[0];
  if (segments.length === 1 && only !== undefined && RECORD_ID.test(only.text)) {
    return { kind: 'id', id: only.text };
  }
  const names = segments.map((segment) => decodeSegment(segment.text, segment.start, 'record'));
  const title = names.pop() ?? '';
  return { kind: 'path', folders: names, title };
}

/** Parses `name[index][property]` from the last segment. */
function parseNamed(selector: NamedSelector, segment: RawSegment): NamedTarget {
  const { text, start } = segment;
  const open = text.indexOf('[');
  const rawName = open === -1 ? text : text.slice(0, open);
  if (rawName === '') fail('name', start, `${selector} needs a name`);
  const name = decodeSegment(rawName, start, 'name');
  let index: number | undefined;
  let property: string | undefined;
  let at = rawName.length;
  while (at < text.length) {
    if (text[at] !== '[') fail('name', start + at, 'unexpected text after the name');
    const close = text.indexOf(']', at);
    const content = close === -1 ? text.slice(at + 1) : text.slice(at + 1, close);
    const isIndex = /^[0-9]/.test(content);
    const component = isIndex ? 'index' : 'property';
    if (close === -1) fail(component, start + at, 'unclosed "["');
    if (isIndex) {
      if (property !== undefined)
        fail('index', start + at, 'the index must come before the property');
      if (index !== undefined) fail('index', start + at, 'only one index is allowed');
      if (!/^(?:0|[1-9][0-9]{0,5})$/.test(content)) {
        fail('index', start + at + 1, 'an index is a whole number 0–999999 without leading zeros');
      }
      index = Number(content);
    } else {
      if (property !== undefined) fail('property', start + at, 'only one property is allowed');
      if (!PROPERTY.test(content)) {
        fail('property', start + at + 1, 'expected an index like [0] or a property like [code]');
      }
      property = content;
    }
    at = close + 1;
  }
  return {
    selector,
    name,
    ...(index === undefined ? {} : { index }),
    ...(property === undefined ? {} : { property }),
  };
}

/**
 * Parses a `coffer://` reference by the grammar in shared/protocol/coffer-reference.abnf.
 *
 * One way only: the selector is the first path segment written literally as a selector keyword
 * (a record folder or title with such a name has its first letter percent-encoded), a lone
 * 22-character id-shaped record segment is an id (a title of that shape is escaped the same
 * way), and escapes are decoded once, after splitting. Throws ReferenceSyntaxError naming the
 * component and offset at fault.
 */
export function parseReference(input: string): CofferReference {
  if (typeof input !== 'string') fail('reference', 0, 'expected a string');
  if (input.length > MAX_REFERENCE_LENGTH) {
    fail('reference', MAX_REFERENCE_LENGTH, `longer than ${MAX_REFERENCE_LENGTH} characters`);
  }
  if (!input.startsWith(SCHEME_PREFIX)) {
    const lower = input.slice(0, SCHEME_PREFIX.length).toLowerCase() === SCHEME_PREFIX;
    fail(
      'scheme',
      0,
      lower ? 'write the scheme in lower case: "coffer://"' : 'must start with "coffer://"',
    );
  }
  const segments = split(input, SCHEME_PREFIX.length);
  const at = segments.findIndex((segment) => isSelector(segment.text));
  if (at === -1) {
    if (segments.length < 2) {
      fail('selector', input.length, 'expected "/" and a selector after the record');
    }
    const guess = segments[segments.length >= 3 ? segments.length - 2 : segments.length - 1];
    fail(
      'selector',
      guess?.start ?? input.length,
      `unknown selector ${quote(guess?.text ?? '')}; expected ${SELECTORS.join(', ')}`,
    );
  }
  if (at === 0) fail('record', SCHEME_PREFIX.length, 'the record is missing before the selector');
  const record = parseRecord(segments.slice(0, at));
  const selectorSegment = segments[at] as RawSegment;
  const selector = selectorSegment.text as Selector;
  const rest = segments.slice(at + 1);

  if ((BARE_SELECTORS as readonly string[]).includes(selector)) {
    const extra = rest[0];
    if (extra !== undefined) fail('name', extra.start - 1, `"${selector}" takes no name`);
    return { record, selector: selector as BareSelector };
  }
  const nameSegment = rest[0];
  if (nameSegment === undefined) {
    fail('name', input.length, `"${selector}" must be followed by "/" and a name`);
  }
  const beyond = rest[1];
  if (beyond !== undefined) {
    fail('name', beyond.start - 1, 'a name cannot contain "/"; write it as %2F');
  }
  return { record, ...parseNamed(selector as NamedSelector, nameSegment) };
}

/** Whether a value is meant as a reference (for `coffer exec`): it starts with the scheme. */
export function looksLikeReference(value: string): boolean {
  return value.startsWith(SCHEME_PREFIX);
}
