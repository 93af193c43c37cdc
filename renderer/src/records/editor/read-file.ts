import { CofferError } from '../../../../shared/errors.ts';

/** Key and certificate files are small; anything this large was picked by mistake. */
const MAX_KEY_FILE_BYTES = 4 * 1024 * 1024;

export async function readSmallFile(file: File): Promise<Uint8Array> {
  if (file.size > MAX_KEY_FILE_BYTES) {
    throw new CofferError(
      'invalid_input',
      'The file is larger than 4 MB; choose a key or certificate file.',
    );
  }
  return new Uint8Array(await file.arrayBuffer());
}

export async function readTextFile(file: File): Promise<string> {
  return new TextDecoder('utf-8').decode(await readSmallFile(file));
}
