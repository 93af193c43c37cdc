import { describe, expect, it } from 'vitest';
import { randomId } from '../../../../shared/crypto/index.ts';
import { RevisionTracker } from '../../../../shared/keys/index.ts';
import { thrownCode, thrownError } from '../protocol/helpers/errors.ts';

describe('record rollback detection', () => {
  it('accepts the same or a newer revision and reports an older one', () => {
    const tracker = new RevisionTracker();
    const id = randomId();
    tracker.observe(id, 3);
    tracker.observe(id, 3);
    tracker.observe(id, 5);
    const error = thrownError(() => tracker.observe(id, 4));
    expect(error.code).toBe('record_rollback');
    expect(error.message).toMatch(/revision 4 .* after revision 5/);
    expect(tracker.highestRevision(id)).toBe(5);
  });

  it('keeps records apart', () => {
    const tracker = new RevisionTracker();
    const [a, b] = [randomId(), randomId()];
    tracker.observe(a, 9);
    expect(thrownCode(() => tracker.observe(b, 1))).toBe('none');
  });

  it('remembers across a snapshot round trip', () => {
    const tracker = new RevisionTracker();
    const id = randomId();
    tracker.observe(id, 7);
    const restored = new RevisionTracker(JSON.parse(JSON.stringify(tracker.snapshot())));
    expect(thrownCode(() => restored.observe(id, 6))).toBe('record_rollback');
  });

  it('refuses malformed ids and revisions, including in a snapshot', () => {
    const tracker = new RevisionTracker();
    expect(thrownCode(() => tracker.observe('__proto__', 1))).toBe('invalid_input');
    expect(thrownCode(() => tracker.observe(randomId(), 0))).toBe('invalid_input');
    expect(thrownCode(() => tracker.observe(randomId(), 1.5))).toBe('invalid_input');
    expect(thrownCode(() => new RevisionTracker({ [randomId()]: -1 }))).toBe('invalid_input');
  });
});
