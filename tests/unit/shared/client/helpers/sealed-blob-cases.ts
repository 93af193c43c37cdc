import { expect } from 'vitest';
import { decodeSealedBlobs, type DecodedBlobs } from '../../../../../shared/client/sealed-blobs.ts';
import { fromBase64Url, toBase64Url, toHex } from '../../../../../shared/crypto/index.ts';
import { isCofferError } from '../../../../../shared/errors.ts';

/**
 * Texts a sealed blob's base64url may or may not be: canonical ones of every length modulo 4,
 * and each way fromBase64Url refuses (tests/unit/shared/crypto/bytes.test.ts).
 */
export function blobTexts(): string[] {
  const texts: string[] = [];
  for (let length = 0; length <= 40; length += 1) {
    texts.push(toBase64Url(Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 255)));
  }
  texts.push(
    'Zg==',
    'Zm8=',
    'ab+c',
    'ab/c',
    'Zm9 v',
    'Zm9v\n',
    ' Zm9v',
    'Zm9vY',
    'Zh',
    'Zm9',
    'Zm 9v8',
    'Zm9v Zg',
    'Zm9v\tZm9v',
    'Zm9vZm9v=',
    '-_-_',
    '!!!!',
    'Zm9vé',
    '',
  );
  return texts;
}

/** What fromBase64Url says of each text: its bytes in hex, or the code it refuses it with. */
function expected(text: string): string {
  try {
    return toHex(fromBase64Url(text));
  } catch (error) {
    if (!isCofferError(error)) throw error;
    return error.code;
  }
}

/** Decodes the texts as one batch, and checks each blob against fromBase64Url's answer. */
export function expectDecodedAsFromBase64Url(
  texts: readonly string[],
  decode: (texts: readonly string[]) => DecodedBlobs = (all) => decodeSealedBlobs(all),
): void {
  const decoded = decode(texts);
  const answers = texts.map((_, i) => {
    const code = decoded.codes[i];
    const start = i === 0 ? 0 : decoded.ends[i - 1]!;
    const blob = decoded.bytes.subarray(start, decoded.ends[i]);
    return code ?? toHex(blob);
  });
  expect(answers).toEqual(texts.map(expected));
  expect(decoded.bytes.length).toBe(decoded.ends.at(-1) ?? 0);
}
