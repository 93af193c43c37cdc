import { isSafeChar } from './characters.ts';
import { ReferenceSyntaxError } from './errors.ts';
import type { ReferenceComponent } from './types.ts';

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

function describe(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return code >= 0x20 && code < 0x7f ? `"${char}"` : `U+${hex}`;
}

/** UTF-8 percent-encoding of one character, upper-case hex: the canonical escape. */
export function escapeChar(char: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(char)) {
    out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Decodes one raw name or path segment that starts at `offset` in the reference. Escapes are
 * decoded exactly once, after the reference was split, so "%2F" is a slash inside a name and
 * never a separator, and "%2525" is "%25", not "%".
 */
export function decodeSegment(raw: string, offset: number, component: ReferenceComponent): string {
  if (raw === '.' || raw === '..') {
    // URI tooling would drop or fold dot segments (RFC 3986 §5.2.4), changing the target.
    throw new ReferenceSyntaxError(
      component,
      offset,
      `a "${raw}" segment must be written with %2E`,
    );
  }
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const char = String.fromCodePoint(raw.codePointAt(i) ?? 0);
    if (char !== '%') {
      if (!isSafeChar(char)) {
        const code = char.codePointAt(0) ?? 0;
        const problem =
          code >= 0xd800 && code <= 0xdfff
            ? `unpaired surrogate ${describe(char)} is not text`
            : `${describe(char)} must be percent-encoded as ${escapeChar(char)}`;
        throw new ReferenceSyntaxError(component, offset + i, problem);
      }
      out += char;
      i += char.length;
      continue;
    }
    // A run of escapes is decoded together: one character may take up to four bytes.
    const start = i;
    const bytes: number[] = [];
    while (raw[i] === '%') {
      const pair = raw.slice(i + 1, i + 3);
      if (!HEX_PAIR.test(pair)) {
        throw new ReferenceSyntaxError(
          component,
          offset + i,
          '"%" must be followed by two hex digits',
        );
      }
      bytes.push(Number.parseInt(pair, 16));
      i += 3;
    }
    try {
      // ignoreBOM keeps an escaped U+FEFF as a character instead of silently dropping it.
      const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      out += decoder.decode(new Uint8Array(bytes));
    } catch (error) {
      throw new ReferenceSyntaxError(
        component,
        offset + start,
        `the escapes do not spell valid UTF-8 (${error instanceof Error ? error.name : 'error'})`,
      );
    }
  }
  return out;
}
