export {
  CHARACTER_CLASSES,
  DEFAULT_SYMBOLS,
  DIGITS,
  LOOK_ALIKES,
  LOWERCASE,
  UPPERCASE,
  type CharacterClass,
} from './charsets.ts';
export {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  generatePassword,
  passwordEntropyBits,
  type GeneratedSecret,
  type PasswordOptions,
  type PasswordOptionsInput,
} from './password.ts';
export {
  MAX_PASSPHRASE_WORDS,
  MIN_PASSPHRASE_WORDS,
  generatePassphrase,
  passphraseEntropyBits,
  type PassphraseOptions,
  type PassphraseOptionsInput,
} from './passphrase.ts';
export { EFF_LARGE_WORDLIST, EFF_LARGE_WORDLIST_SIZE } from './wordlist.ts';
export { RandomSource, webCryptoFill, type FillRandom } from './random.ts';
