import { EFF_LONG_WORDLIST } from 'secure-password-utilities/wordlists';

/**
 * The EFF large word list in dice order (11111 → 66666), 7,776 words. Provenance, licence and
 * the pinned SHA-256 of the published file: resources/wordlists/README.md.
 */
export const EFF_LARGE_WORDLIST: readonly string[] = EFF_LONG_WORDLIST;

export const EFF_LARGE_WORDLIST_SIZE = 7776;
