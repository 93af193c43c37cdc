import { CofferError } from '../errors.ts';
import { assertCofferId, assertCounter } from '../protocol/ids.ts';

/**
 * Remembers the highest revision seen per record and reports an older one as a rollback
 * (DESIGN.md "Key hierarchy"): the server could otherwise serve a genuine but outdated
 * ciphertext — say, a password before its rotation — under its own, still valid, binding.
 * The snapshot is meant to be persisted with the local cache so the memory survives restarts.
 */
export class RevisionTracker {
  readonly #highest = new Map<string, number>();

  constructor(snapshot?: Readonly<Record<string, number>>) {
    for (const [recordId, revision] of Object.entries(snapshot ?? {})) {
      this.observe(recordId, revision);
    }
  }

  /** Records `revision` for `recordId`; throws `record_rollback` if a newer one was seen. */
  observe(recordId: string, revision: number): void {
    assertCofferId(recordId, 'Record id');
    assertCounter(revision, 'Record revision', 1);
    const highest = this.#highest.get(recordId);
    if (highest !== undefined && revision < highest) {
      throw new CofferError(
        'record_rollback',
        `The server returned revision ${revision} of a record after revision ${highest}; ` +
          'the older copy was not used.',
      );
    }
    if (highest === undefined || revision > highest) this.#highest.set(recordId, revision);
  }

  highestRevision(recordId: string): number | undefined {
    return this.#highest.get(recordId);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#highest);
  }
}
