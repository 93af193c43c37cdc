export const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
export const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const DIGITS = '0123456789';

/**
 * ASCII punctuation without the quote characters, backslash and backtick: those four break
 * quoting when a secret is pasted into a shell, an SQL statement, a YAML or .env file. Callers
 * may supply their own symbol set when a system demands a narrower one.
 */
export const DEFAULT_SYMBOLS = '!#$%&()*+,-./:;<=>?@[]^_{|}~';

/**
 * Characters that many fonts draw alike: capital I, small l, one and the bar; capital O, zero
 * and small o. Avoiding them matters when a password is read aloud or typed from a screen.
 */
export const LOOK_ALIKES = 'Il1|O0o';

export const CHARACTER_CLASSES = ['lower', 'upper', 'digits', 'symbols'] as const;
export type CharacterClass = (typeof CHARACTER_CLASSES)[number];

/** What symbol sets may contain: printable ASCII that is neither a letter, a digit nor space. */
const SYMBOL_CHARACTER = /^[!-/:-@[-`{-~]$/;

export function isSymbolCharacter(char: string): boolean {
  return SYMBOL_CHARACTER.test(char);
}

/** The characters of `set` (one per code point), minus every character found in `excluded`. */
export function withoutCharacters(set: string, excluded: ReadonlySet<string>): string[] {
  return Array.from(set).filter((char) => !excluded.has(char));
}
