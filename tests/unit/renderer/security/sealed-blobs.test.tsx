import { describe, expect, it } from 'vitest';
import {
  blobTexts,
  expectDecodedAsFromBase64Url,
} from '../../shared/client/helpers/sealed-blob-cases.ts';

/**
 * In Chromium the blobs of a decrypt batch are decoded by Uint8Array.prototype.setFromBase64,
 * which is lenient where fromBase64Url is strict (whitespace, padding, unused bits): the batch
 * decoder must accept exactly what fromBase64Url accepts, so a sealed blob has one spelling only.
 */
describe('the sealed blobs of a batch, decoded by the browser', () => {
  it('runs where setFromBase64 exists, so the native path is the one checked', () => {
    expect(typeof (Uint8Array.prototype as { setFromBase64?: unknown }).setFromBase64).toBe(
      'function',
    );
  });

  it('decodes exactly the blobs fromBase64Url accepts, to the same bytes', () => {
    const texts = blobTexts();
    expectDecodedAsFromBase64Url(texts);
    expectDecodedAsFromBase64Url([...texts].reverse());
  });
});
