/**
 * Replaces secret values in a byte stream (a child's stdout/stderr under `coffer exec --mask`).
 * A value can arrive split across chunks, so the end of each chunk that could be the start of a
 * value is held back until the next chunk (or the end) decides; everything else passes through
 * at once, so interactive output is not delayed. Matching is on UTF-8 bytes, exact.
 *
 * Values shorter than MIN_MASKED_LENGTH are not masked: hiding every "1" or "on" would garble
 * the output while protecting nothing (CI log maskers draw the same line).
 */
export const MASK_TEXT = '<concealed by coffer>';
export const MIN_MASKED_LENGTH = 4;

export class Masker {
  readonly #secrets: Buffer[];
  readonly #mask = Buffer.from(MASK_TEXT);
  #held: Buffer = Buffer.alloc(0);

  constructor(values: Iterable<string>) {
    const unique = new Set<string>();
    for (const value of values) if (value.length >= MIN_MASKED_LENGTH) unique.add(value);
    // Longest first: a value that contains another is masked whole.
    this.#secrets = [...unique]
      .map((value) => Buffer.from(value))
      .sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.#secrets.length > 0;
  }

  /** Masks what can be decided now and returns it; keeps a possible partial match. */
  push(chunk: Buffer): Buffer {
    const data = Buffer.concat([this.#held, chunk]);
    const { out, keepFrom } = this.#scan(data, false);
    this.#held = Buffer.from(data.subarray(keepFrom));
    return out;
  }

  /** Everything still held, masked: the stream ended. */
  end(): Buffer {
    const { out } = this.#scan(this.#held, true);
    this.#held = Buffer.alloc(0);
    return out;
  }

  #scan(data: Buffer, final: boolean): { out: Buffer; keepFrom: number } {
    const parts: Buffer[] = [];
    let from = 0;
    for (;;) {
      let best = -1;
      let bestLength = 0;
      for (const secret of this.#secrets) {
        const at = data.indexOf(secret, from);
        if (at !== -1 && (best === -1 || at < best)) {
          best = at;
          bestLength = secret.length;
        }
      }
      if (best === -1) break;
      parts.push(data.subarray(from, best), this.#mask);
      from = best + bestLength;
    }
    const keepFrom = final
      ? data.length
      : Math.max(from, data.length - this.#partialTail(data, from));
    parts.push(data.subarray(from, keepFrom));
    return { out: Buffer.concat(parts), keepFrom };
  }

  /** Length of the longest end of `data` (after `from`) that begins some secret. */
  #partialTail(data: Buffer, from: number): number {
    let longest = 0;
    for (const secret of this.#secrets) {
      const max = Math.min(secret.length - 1, data.length - from);
      for (let length = max; length > longest; length -= 1) {
        if (data.subarray(data.length - length).equals(secret.subarray(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
