import { describe, it } from 'vitest';
import { decodeSealedBlobs } from '../../../../shared/client/sealed-blobs.ts';
import { blobTexts, expectDecodedAsFromBase64Url } from './helpers/sealed-blob-cases.ts';

const portable = (texts: readonly string[]) => decodeSealedBlobs(texts, undefined);

// Node 20 has no Uint8Array.prototype.setFromBase64: this is the portable path. The native one
// is checked in Chromium by tests/unit/renderer/security/sealed-blobs.test.tsx.
describe('the sealed blobs of a batch, decoded into one buffer', () => {
  it('decodes exactly the blobs fromBase64Url accepts, to the same bytes', () => {
    expectDecodedAsFromBase64Url(blobTexts(), portable);
  });

  it('keeps each blob in its place when the ones around it fail', () => {
    const texts = blobTexts();
    expectDecodedAsFromBase64Url([...texts].reverse(), portable);
    expectDecodedAsFromBase64Url(
      texts.filter((_, i) => i % 2 === 1),
      portable,
    );
  });
});
