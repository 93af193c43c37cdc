import type { IpRule } from '../../shared/protocol/bodies.ts';
import type { Queryable } from '../db/types.ts';

/** What a device was minted and bound with: what verifying and routing its requests needs. */
export interface BoundDevice {
  deviceId: string;
  appId: string;
  /** Base64url of the uncompressed P-256 point the device bound with. */
  signingPublicKey: string;
  accessExpiry: number | null;
  /** The rule as stored (compared as text by the PostgreSQL fast path), and parsed. */
  ipRuleText: string;
  ipRule: IpRule;
  boundAddress: string;
}

/** Past this many devices the cache starts over rather than grow. */
const MAX_CACHED = 10_000;

/**
 * Bound devices, read from the database once per process. Binding is a single conditional
 * update that can succeed once per device (device/redeem.ts), nothing clears or replaces a bound
 * key afterwards, and device rows are never deleted, so the signing key cannot go stale. Nothing
 * changes the expiry, IP rule or bound address either, but nothing relies on it: each request's
 * batch compares them with the row (device/admission.ts). Whatever does change — revocation,
 * the application's state — is only ever read fresh, never from here.
 */
export class BoundDevices {
  readonly #db: Queryable;
  readonly #known = new Map<string, BoundDevice>();

  constructor(db: Queryable) {
    this.#db = db;
  }

  /** The device if it exists and is bound; an unbound one is read again next time. */
  async find(deviceId: string): Promise<BoundDevice | undefined> {
    const cached = this.#known.get(deviceId);
    if (cached) return cached;
    const row = await this.#db.get<{
      app_id: string;
      signing_public_key: string | null;
      access_expiry: number | null;
      ip_rule: string;
      bound_address: string | null;
    }>(
      `SELECT app_id, signing_public_key, access_expiry, ip_rule, bound_address
       FROM devices WHERE id = ?`,
      [deviceId],
    );
    if (!row?.signing_public_key || row.bound_address === null) return undefined;
    const bound: BoundDevice = {
      deviceId,
      appId: row.app_id,
      signingPublicKey: row.signing_public_key,
      accessExpiry: row.access_expiry,
      ipRuleText: row.ip_rule,
      ipRule: JSON.parse(row.ip_rule) as IpRule,
      boundAddress: row.bound_address,
    };
    if (this.#known.size >= MAX_CACHED) this.#known.clear();
    this.#known.set(deviceId, bound);
    return bound;
  }
}
