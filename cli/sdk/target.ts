import { CofferError } from '../../shared/errors.ts';
import {
  ReferenceSyntaxError,
  SELECTORS,
  looksLikeReference,
  parseReference,
  type CofferReference,
  type ReferenceRecord,
} from '../../shared/notation/index.ts';
import { ID_PATTERN } from '../../shared/protocol/ids.ts';

/** What `get`, `totp` and `set` accept: a record, and for a reference also the value in it. */
export interface RecordTarget {
  readonly record: ReferenceRecord;
  /** Present when the target was a whole coffer:// reference. */
  readonly reference?: CofferReference;
}

const MAX_TARGET_LENGTH = 4096;

/** What a device can read: attached files are not available to devices (DESIGN.md). */
const DEVICE_SELECTORS = SELECTORS.filter((selector) => selector !== 'file');

/**
 * `parseReference`, with an unknown selector's refusal listing only the selectors a device can
 * use. shared/notation lists every selector of the grammar, `file` included, which a device
 * would then be refused; its message is kept otherwise, and so is its code.
 */
export function parseDeviceReference(text: string): CofferReference {
  try {
    return parseReference(text);
  } catch (error) {
    if (!(error instanceof ReferenceSyntaxError) || error.component !== 'selector') throw error;
    const message = error.message.replace(
      `expected ${SELECTORS.join(', ')}`,
      `expected ${DEVICE_SELECTORS.join(', ')}`,
    );
    throw new CofferError('reference_malformed', message, { cause: error });
  }
}

/**
 * Reads a record id, a `coffer://` reference, or a plain `folder/path/title`. The plain form
 * splits at every "/": a title or folder holding "/" needs the reference form with "%2F".
 */
export function parseTarget(text: string): RecordTarget {
  if (typeof text !== 'string' || text === '' || text.length > MAX_TARGET_LENGTH) {
    throw new CofferError(
      'cli_usage',
      'Name a record: its id, a coffer:// reference, or folder/title.',
    );
  }
  if (looksLikeReference(text)) {
    const reference = parseDeviceReference(text);
    return { record: reference.record, reference };
  }
  if (ID_PATTERN.test(text)) return { record: { kind: 'id', id: text } };
  const segments = text.split('/');
  if (segments.some((segment) => segment === '')) {
    throw new CofferError(
      'cli_usage',
      'A record path has an empty part (a doubled, leading or trailing "/"); write it as ' +
        'folder/subfolder/title.',
    );
  }
  const title = segments.pop() as string;
  return { record: { kind: 'path', folders: segments, title } };
}
