import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BARE_SELECTORS,
  NAMED_SELECTORS,
  formatReference,
  isSafeChar,
  parseReference,
} from '../../../../shared/notation/index.ts';

const abnf = readFileSync(
  new URL('../../../../shared/protocol/coffer-reference.abnf', import.meta.url),
  'utf8',
);

/** The text of one rule: its definition line and continuation lines, comments removed. */
function rule(name: string): string {
  const lines = abnf.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${name} `));
  expect(start).toBeGreaterThanOrEqual(0);
  const body = [lines[start] ?? ''];
  for (const line of lines.slice(start + 1)) {
    if (!/^\s/.test(line)) break;
    body.push(line);
  }
  return body.map((line) => line.replace(/;.*$/, '')).join(' ');
}

/** Code points 0x00–0x7F allowed by the %x values and ranges of a rule. */
function asciiOf(text: string): Set<number> {
  const allowed = new Set<number>();
  for (const [, from, to] of text.matchAll(/%x([0-9A-F]+)(?:-([0-9A-F]+))?/g)) {
    const low = Number.parseInt(from ?? '', 16);
    const high = to === undefined ? low : Number.parseInt(to, 16);
    for (let code = low; code <= Math.min(high, 0x7f); code += 1) allowed.add(code);
  }
  return allowed;
}

describe('coffer-reference.abnf and the parser agree', () => {
  it('on which ASCII characters may appear unescaped', () => {
    const allowed = asciiOf(rule('safe-char'));
    for (let code = 0; code < 0x80; code += 1) {
      expect([code, isSafeChar(String.fromCharCode(code))]).toEqual([code, allowed.has(code)]);
    }
  });

  it('on the selectors', () => {
    const quoted = (text: string) => [...text.matchAll(/%s"([a-z]+)"/g)].map((m) => m[1]);
    expect(quoted(rule('named-selector'))).toEqual([...NAMED_SELECTORS]);
    expect(quoted(rule('bare-selector'))).toEqual([...BARE_SELECTORS]);
  });

  it('on non-ASCII: letters stay literal, invisible characters are escaped', () => {
    for (const char of ['ü', '東', '🔑', 'é', '\u0301']) expect(isSafeChar(char)).toBe(true);
    for (const char of ['\u00a0', '\u0085', '\u200d', '\u202e', '\u2028', '\u3000', '\ufeff']) {
      expect(isSafeChar(char)).toBe(false);
    }
  });

  it('on every example the grammar file gives', () => {
    const examples = [...abnf.matchAll(/^;\s+(coffer:\/\/\S+)$/gm)].map((m) => m[1] ?? '');
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const example of examples) expect(formatReference(parseReference(example))).toBe(example);
  });
});
