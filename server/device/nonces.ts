import { REQUEST_TIMESTAMP_WINDOW_SECONDS } from '../../shared/protocol/signed-request.ts';
import type { Queryable } from '../db/types.ts';

/**
 * A nonce is kept for twice the timestamp window: a request is fresh for at most the window on
 * either side of the server clock, so by the time its nonce is swept a replay would be stale.
 */
const KEEP_MS = 2 * REQUEST_TIMESTAMP_WINDOW_SECONDS * 1000;
const PURGE_EVERY_MS = 60_000;

/**
 * Request nonces live in the database under a unique key (device, nonce), so a replay sent to
 * another replica is refused as well; the insert itself is the check, atomic in both engines.
 */
export class RequestNonces {
  #lastPurge = 0;
  readonly #db: Queryable;

  constructor(db: Queryable) {
    this.#db = db;
  }

  /**
   * Records the nonce; false when this device already used it. `tx` lets the insert share the
   * transaction of the request's other writes (one commit per request).
   */
  async consume(
    deviceId: string,
    nonce: string,
    now: number,
    tx: Queryable = this.#db,
  ): Promise<boolean> {
    if (now - this.#lastPurge > PURGE_EVERY_MS) {
      this.#lastPurge = now;
      await tx.run('DELETE FROM device_nonces WHERE expires_at < ?', [now]);
    }
    const inserted = await tx.run(
      `INSERT INTO device_nonces (device_id, nonce, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (device_id, nonce) DO NOTHING`,
      [deviceId, nonce, now + KEEP_MS],
    );
    return inserted === 1;
  }
}
