import jsQR from 'jsqr';
import { CofferError } from '../../../../shared/errors.ts';

/** Phone screenshots are ~1–4 MP; larger images are scaled down so decoding stays quick. */
const MAX_SIDE = 2048;
/** Far above any photo of a QR code; refuses a decompression bomb before decoding it. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/**
 * Reads the text of the QR code in an image (a file the user picked or pasted). Decoding runs
 * on pixels only: the image is never shown or sent anywhere.
 */
export async function decodeQrImage(image: Blob): Promise<string> {
  if (!image.type.startsWith('image/')) {
    throw new CofferError('invalid_input', 'The file is not an image.');
  }
  if (image.size > MAX_FILE_BYTES) {
    throw new CofferError('invalid_input', 'The image is larger than 20 MB.');
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(image);
  } catch (error) {
    throw new CofferError('invalid_input', 'The image could not be read.', { cause: error });
  }
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new CofferError('invalid_input', 'The image could not be read.');
    context.drawImage(bitmap, 0, 0, width, height);
    const pixels = context.getImageData(0, 0, width, height);
    const found = jsQR(pixels.data, width, height, { inversionAttempts: 'attemptBoth' });
    if (found === null || found.data === '') {
      throw new CofferError('invalid_input', 'No QR code was found in the image.');
    }
    return found.data;
  } finally {
    bitmap.close();
  }
}

/** The first image in a paste, if any (a screenshot copied to the clipboard). */
export function imageFromClipboard(data: DataTransfer | null): File | null {
  if (data === null) return null;
  for (const item of Array.from(data.items)) {
    if (item.kind === 'file' && item.type.startsWith('image/')) return item.getAsFile();
  }
  return null;
}
