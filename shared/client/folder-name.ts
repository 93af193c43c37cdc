import { CofferError } from '../errors.ts';

/** The longest folder name, in characters (code points), after trimming. */
export const FOLDER_NAME_MAX = 200;

/** The name a folder is saved with: trimmed, not empty, not too long, no control characters. */
export function checkFolderName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new CofferError('invalid_input', 'A folder needs a name.');
  if ([...trimmed].length > FOLDER_NAME_MAX) {
    throw new CofferError(
      'invalid_input',
      `A folder name has at most ${FOLDER_NAME_MAX} characters.`,
    );
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new CofferError('invalid_input', 'A folder name cannot contain control characters.');
  }
  return trimmed;
}
