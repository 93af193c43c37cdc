import { CofferError } from '../errors.ts';
import { MAX_INDEX, PROPERTY, RECORD_ID, SCHEME_PREFIX, isSafeChar } from './characters.ts';
import { escapeChar } from './decode.ts';
import { NAMED_SELECTORS, SELECTORS, type CofferReference, type ReferenceRecord } from './types.ts';

function invalid(problem: string): CofferError {
  return new CofferError('invalid_input', `Cannot format coffer:// reference: ${problem}.`);
}

/** Percent-encodes every character outside safe-char; the result is the canonical spelling. */
function encode(text: string, what: string): string {
  if (text === '') throw invalid(`${what} is empty`);
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) throw invalid(`${what} is not well-formed Unicode`);
    out += isSafeChar(char) ? char : escapeChar(char);
  }
  if (out === '.' || out === '..') return out.replaceAll('.', '%2E');
  return out;
}

/** Escapes the first character, so the segment cannot read as a keyword or an id. */
function escapeFirst(segment: string): string {
  return `${escapeChar(segment.charAt(0))}${segment.slice(1)}`;
}

function formatRecord(record: ReferenceRecord): string {
  if (record.kind === 'id') {
    if (!RECORD_ID.test(record.id)) throw invalid('the record id is not a 22-character id');
    return record.id;
  }
  const segments = [...record.folders, record.title].map((name, i, all) => {
    const encoded = encode(name, i === all.length - 1 ? 'the title' : 'a folder name');
    return (SELECTORS as readonly string[]).includes(encoded) ? escapeFirst(encoded) : encoded;
  });
  const only = segments[0];
  if (segments.length === 1 && only !== undefined && RECORD_ID.test(only)) {
    return escapeFirst(only);
  }
  return segments.join('/');
}

/** Writes the canonical form of a reference; parseReference(formatReference(r)) equals r. */
export function formatReference(reference: CofferReference): string {
  const head = `${SCHEME_PREFIX}${formatRecord(reference.record)}/${reference.selector}`;
  if (!(NAMED_SELECTORS as readonly string[]).includes(reference.selector)) return head;
  if (!('name' in reference)) throw invalid(`"${reference.selector}" needs a name`);
  let out = `${head}/${encode(reference.name, 'the name')}`;
  if (reference.index !== undefined) {
    const { index } = reference;
    if (!Number.isInteger(index) || index < 0 || index > MAX_INDEX) {
      throw invalid(`the index must be a whole number from 0 to ${MAX_INDEX}`);
    }
    out += `[${index}]`;
  }
  if (reference.property !== undefined) {
    if (!PROPERTY.test(reference.property)) throw invalid('the property must be a lower-case name');
    out += `[${reference.property}]`;
  }
  return out;
}
