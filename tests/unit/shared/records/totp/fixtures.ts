import { readFileSync } from 'node:fs';

const folder = new URL('../../../../fixtures/totp/', import.meta.url);

/** A case input file from tests/fixtures/totp, one entry per non-empty line. */
export function fixtureLines(name: string): string[] {
  return readFileSync(new URL(name, folder), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, folder), 'utf8');
}

/** The `code@<unix seconds>=<code>` pairs a case's expected.txt states. */
export function expectedCodes(caseId: string): Map<number, string> {
  const text = fixtureText(`${caseId}.expected.txt`);
  const codes = new Map<number, string>();
  for (const match of text.matchAll(/code@(\d+)=([0-9A-Z]+)/g)) {
    codes.set(Number(match[1]) * 1000, match[2] ?? '');
  }
  return codes;
}
