import type { Migration } from './migrations.ts';

/**
 * What signed device requests need to be served in batches (server/device/admission.ts).
 *
 * `applications.access_revision` moves whenever a grant of the application is added, changed or
 * removed, so a cached device answer can be validated by comparing numbers (with the vault's
 * change sequence, which every folder and record write already advances). Triggers move it rather
 * than the grant code, so no current or future path that touches app_grants can forget to.
 *
 * On PostgreSQL, `coffer_audit_append_many` appends a batch's events in one round trip, in array
 * order, each through `coffer_audit_append` (migration-3.ts), so the hash stays defined once.
 */
const APPEND_MANY_FUNCTION = `CREATE FUNCTION coffer_audit_append_many(p_events JSON)
  RETURNS BIGINT LANGUAGE plpgsql AS $$
  DECLARE
    e JSON;
    last_seq BIGINT;
  BEGIN
    FOR e IN SELECT value FROM json_array_elements(p_events) WITH ORDINALITY ORDER BY ordinality
    LOOP
      last_seq := coffer_audit_append((e->>'at')::BIGINT, e->>'type', e->>'outcome',
        e->>'actor_user_id', e->>'actor_device_id', e->>'app_id', e->>'device_id',
        e->>'folder_id', e->>'record_id', e->>'target_user_id', e->>'ip', e->>'reason',
        e->>'details');
    END LOOP;
    RETURN last_seq;
  END
  $$`;

/**
 * The PostgreSQL fast path of device/admission.ts: admits a batch of signed requests that carry
 * cached answers in one call, its own transaction, instead of a transaction of several round
 * trips. It makes the checks and writes of admission-batch.ts in the same order, over the same
 * rows, taken in the same order (nonces, counters, devices, then the audit head), so the two
 * paths and every replica interleave safely:
 *
 * 1. Reads each device fresh. A request whose application moved since its answer was read (key
 *    version, grant revision, vault sequence), or whose device no longer has the expiry, IP rule
 *    and bound address its late refusal was decided on, is `stale`: nothing of it is written and
 *    the caller admits it again the slow way.
 * 2. Inserts the nonces, in key order; a nonce that was there, or twice in the batch, is a replay.
 * 3. Locks the counters, in key order, then per request in arrival order: spends the address
 *    budget (over it: `rate_limited`, unaudited), refuses a replay, a revoked device, a disabled
 *    application or the late refusal (audited), spends the device budget (over: `rate_limited`).
 * 4. Writes last accesses in device order, then appends the audit rows in request order.
 *
 * Answers each request's outcome: `ok`, `stale`, `rate_limited`, or the refusal's code.
 */
const ADMIT_CACHED_FUNCTION = `CREATE FUNCTION coffer_admit_cached(
    p_units JSON, p_address_limit BIGINT, p_device_limit BIGINT, p_touch_after_ms BIGINT
  ) RETURNS TEXT[] LANGUAGE plpgsql AS $$
  DECLARE
    v_outcome TEXT[] := array_fill(NULL::TEXT, ARRAY[json_array_length(p_units)]);
    v_fresh TEXT[];
    v_claimed TEXT[] := '{}';
    v_events JSONB := '[]';
    v_vault_seq BIGINT;
    v_counted BIGINT;
    v_reason TEXT;
    v_key TEXT;
    u RECORD;
    st RECORD;
  BEGIN
    SELECT value INTO v_vault_seq FROM counters WHERE name = 'vault_seq';
    FOR u IN SELECT * FROM json_to_recordset(p_units) AS x(i INTEGER, device_id TEXT,
        key_version INTEGER, access_revision BIGINT, vault_seq BIGINT, access_expiry BIGINT,
        ip_rule TEXT, bound_address TEXT)
    LOOP
      SELECT d.access_expiry, d.ip_rule, d.bound_address, a.key_version, a.access_revision
        INTO st FROM devices d JOIN applications a ON a.id = d.app_id WHERE d.id = u.device_id;
      IF NOT FOUND OR st.key_version <> u.key_version
          OR st.access_revision <> u.access_revision OR v_vault_seq <> u.vault_seq
          OR st.access_expiry IS DISTINCT FROM u.access_expiry OR st.ip_rule <> u.ip_rule
          OR st.bound_address IS DISTINCT FROM u.bound_address THEN
        v_outcome[u.i] := 'stale';
      END IF;
    END LOOP;

    WITH inserted AS (
      INSERT INTO device_nonces (device_id, nonce, expires_at)
      SELECT x.device_id, x.nonce, x.nonce_expires_at FROM json_to_recordset(p_units)
        AS x(i INTEGER, device_id TEXT, nonce TEXT, nonce_expires_at BIGINT)
      WHERE v_outcome[x.i] IS NULL ORDER BY x.device_id COLLATE "C", x.nonce COLLATE "C"
      ON CONFLICT (device_id, nonce) DO NOTHING RETURNING device_id, nonce
    ) SELECT COALESCE(array_agg(device_id || ' ' || nonce), '{}') INTO v_fresh FROM inserted;

    INSERT INTO rate_limits (bucket, window_start, hits)
    SELECT b.bucket, b.window_start, 0 FROM json_to_recordset(p_units)
      AS x(i INTEGER, address_bucket TEXT, device_bucket TEXT, window_start BIGINT),
      LATERAL (VALUES (x.address_bucket, x.window_start), (x.device_bucket, x.window_start))
        AS b(bucket, window_start)
    WHERE v_outcome[x.i] IS NULL AND b.bucket IS NOT NULL
    GROUP BY b.bucket, b.window_start ORDER BY b.bucket COLLATE "C", b.window_start
    ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits;

    FOR u IN SELECT * FROM json_to_recordset(p_units) AS x(i INTEGER, device_id TEXT,
        nonce TEXT, address_bucket TEXT, device_bucket TEXT, window_start BIGINT,
        late_reason TEXT, late_event JSONB, refusal_event JSONB, success_event JSONB)
      ORDER BY x.i
    LOOP
      CONTINUE WHEN v_outcome[u.i] IS NOT NULL;
      IF u.address_bucket IS NOT NULL THEN
        UPDATE rate_limits SET hits = hits + 1
          WHERE bucket = u.address_bucket AND window_start = u.window_start
          RETURNING hits INTO v_counted;
        IF v_counted > p_address_limit THEN
          v_outcome[u.i] := 'rate_limited';
          CONTINUE;
        END IF;
      END IF;
      v_key := u.device_id || ' ' || u.nonce;
      IF NOT v_key = ANY (v_fresh) OR v_key = ANY (v_claimed) THEN
        v_reason := 'request_replayed';
      ELSE
        v_claimed := v_claimed || v_key;
        SELECT d.revoked_at, a.deleted, a.disabled INTO st
          FROM devices d JOIN applications a ON a.id = d.app_id WHERE d.id = u.device_id;
        v_reason := CASE
          WHEN st.revoked_at IS NOT NULL OR st.deleted = 1 THEN 'device_revoked'
          WHEN st.disabled = 1 THEN 'application_disabled'
          ELSE u.late_reason END;
      END IF;
      IF v_reason IS NOT NULL THEN
        v_events := v_events || CASE WHEN v_reason = u.late_reason THEN u.late_event
          ELSE u.refusal_event || jsonb_build_object('reason', v_reason) END;
        v_outcome[u.i] := v_reason;
        CONTINUE;
      END IF;
      UPDATE rate_limits SET hits = hits + 1
        WHERE bucket = u.device_bucket AND window_start = u.window_start
        RETURNING hits INTO v_counted;
      IF v_counted > p_device_limit THEN
        v_outcome[u.i] := 'rate_limited';
        CONTINUE;
      END IF;
      v_outcome[u.i] := 'ok';
      IF u.success_event IS NOT NULL THEN
        v_events := v_events || u.success_event;
      END IF;
    END LOOP;

    FOR u IN SELECT DISTINCT ON (x.device_id COLLATE "C") x.device_id, x.at, x.ip
      FROM json_to_recordset(p_units) AS x(i INTEGER, device_id TEXT, at BIGINT, ip TEXT)
      WHERE v_outcome[x.i] = 'ok' ORDER BY x.device_id COLLATE "C", x.i DESC
    LOOP
      UPDATE devices SET last_access_at = u.at, last_address = u.ip
        WHERE id = u.device_id AND (last_access_at IS NULL
          OR u.at - last_access_at >= p_touch_after_ms OR last_address IS DISTINCT FROM u.ip);
    END LOOP;
    IF jsonb_array_length(v_events) > 0 THEN
      PERFORM coffer_audit_append_many(v_events::json);
    END IF;
    RETURN v_outcome;
  END
  $$`;

const bump = (ref: 'NEW' | 'OLD') =>
  `UPDATE applications SET access_revision = access_revision + 1 WHERE id = ${ref}.app_id;`;

export const MIGRATION_4: Migration = {
  version: 4,
  name: 'access revision of applications, batched device admission',
  statements: [`ALTER TABLE applications ADD COLUMN access_revision BIGINT NOT NULL DEFAULT 0`],
  dialect: {
    sqlite: [
      `CREATE TRIGGER app_grants_revision_insert AFTER INSERT ON app_grants
       BEGIN ${bump('NEW')} END`,
      `CREATE TRIGGER app_grants_revision_update AFTER UPDATE ON app_grants
       BEGIN ${bump('OLD')} ${bump('NEW')} END`,
      `CREATE TRIGGER app_grants_revision_delete AFTER DELETE ON app_grants
       BEGIN ${bump('OLD')} END`,
    ],
    postgres: [
      `CREATE FUNCTION coffer_app_grants_revision() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'INSERT' THEN ${bump('OLD')} END IF;
         IF TG_OP <> 'DELETE' THEN ${bump('NEW')} END IF;
         RETURN NULL;
       END $$`,
      `CREATE TRIGGER app_grants_revision AFTER INSERT OR UPDATE OR DELETE ON app_grants
       FOR EACH ROW EXECUTE FUNCTION coffer_app_grants_revision()`,
      APPEND_MANY_FUNCTION,
      ADMIT_CACHED_FUNCTION,
    ],
  },
};
