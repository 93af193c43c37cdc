import type { Migration } from './migrations.ts';

/**
 * What signed device requests need to be served in batches (server/device/admission.ts).
 *
 * Two revisions let a kept device answer be validated by comparing numbers: the counter
 * `vault_revision` moves with every statement that writes folders or records, and
 * `applications.access_revision` whenever a grant of the application is added, changed or
 * removed. Triggers move them rather than the code that writes, so no path — a route of today or
 * tomorrow, a replica, an operator's SQL — can change what an answer is made of unnoticed. (The
 * vault's change sequence, `vault_seq`, would do only for changes made through the server.)
 *
 * On PostgreSQL, the row hash of migration-3.ts moves into `coffer_audit_row_hash`, which both
 * `coffer_audit_append` and the new `coffer_audit_append_many` use, so it stays defined once; the
 * latter appends a batch's events with one lock and one move of the head.
 */
const ROW_HASH_FUNCTION = `CREATE FUNCTION coffer_audit_row_hash(
    p_seq BIGINT, p_at BIGINT, p_type TEXT, p_outcome TEXT, p_actor_user_id TEXT,
    p_actor_device_id TEXT, p_app_id TEXT, p_device_id TEXT, p_folder_id TEXT, p_record_id TEXT,
    p_target_user_id TEXT, p_ip TEXT, p_reason TEXT, p_details TEXT, p_prev_hash TEXT
  ) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to('[' || concat_ws(',',
    '1', p_seq::text, p_at::text,
    COALESCE(to_json(p_type)::text, 'null'),
    COALESCE(to_json(p_outcome)::text, 'null'),
    COALESCE(to_json(p_actor_user_id)::text, 'null'),
    COALESCE(to_json(p_actor_device_id)::text, 'null'),
    COALESCE(to_json(p_app_id)::text, 'null'),
    COALESCE(to_json(p_device_id)::text, 'null'),
    COALESCE(to_json(p_folder_id)::text, 'null'),
    COALESCE(to_json(p_record_id)::text, 'null'),
    COALESCE(to_json(p_target_user_id)::text, 'null'),
    COALESCE(to_json(p_ip)::text, 'null'),
    COALESCE(to_json(p_reason)::text, 'null'),
    COALESCE(to_json(p_details)::text, 'null'),
    to_json(p_prev_hash)::text
  ) || ']', 'UTF8')), 'hex')
  $$`;

const APPEND_FUNCTION = `CREATE OR REPLACE FUNCTION coffer_audit_append(
    p_at BIGINT, p_type TEXT, p_outcome TEXT, p_actor_user_id TEXT, p_actor_device_id TEXT,
    p_app_id TEXT, p_device_id TEXT, p_folder_id TEXT, p_record_id TEXT, p_target_user_id TEXT,
    p_ip TEXT, p_reason TEXT, p_details TEXT
  ) RETURNS BIGINT LANGUAGE sql AS $$
  SELECT coffer_audit_append_many(json_build_array(json_build_object('at', p_at,
    'type', p_type, 'outcome', p_outcome, 'actor_user_id', p_actor_user_id,
    'actor_device_id', p_actor_device_id, 'app_id', p_app_id, 'device_id', p_device_id,
    'folder_id', p_folder_id, 'record_id', p_record_id, 'target_user_id', p_target_user_id,
    'ip', p_ip, 'reason', p_reason, 'details', p_details)))
  $$`;

const APPEND_MANY_FUNCTION = `CREATE FUNCTION coffer_audit_append_many(p_events JSON)
  RETURNS BIGINT LANGUAGE plpgsql AS $$
  DECLARE
    v_seq BIGINT;
    v_hash TEXT;
    v_next TEXT;
    e RECORD;
  BEGIN
    SELECT seq, hash INTO v_seq, v_hash FROM audit_head WHERE id = 1 FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'The audit chain head is missing';
    END IF;
    FOR e IN SELECT x.* FROM json_array_elements(p_events) WITH ORDINALITY AS a(value, ord),
        json_to_record(a.value) AS x(at BIGINT, type TEXT, outcome TEXT, actor_user_id TEXT,
          actor_device_id TEXT, app_id TEXT, device_id TEXT, folder_id TEXT, record_id TEXT,
          target_user_id TEXT, ip TEXT, reason TEXT, details TEXT)
      ORDER BY a.ord
    LOOP
      v_seq := v_seq + 1;
      v_next := coffer_audit_row_hash(v_seq, e.at, e.type, e.outcome, e.actor_user_id,
        e.actor_device_id, e.app_id, e.device_id, e.folder_id, e.record_id, e.target_user_id,
        e.ip, e.reason, e.details, v_hash);
      INSERT INTO audit_events (seq, at, type, outcome, actor_user_id, actor_device_id, app_id,
        device_id, folder_id, record_id, target_user_id, ip, reason, details, prev_hash, hash)
      VALUES (v_seq, e.at, e.type, e.outcome, e.actor_user_id, e.actor_device_id, e.app_id,
        e.device_id, e.folder_id, e.record_id, e.target_user_id, e.ip, e.reason, e.details,
        v_hash, v_next);
      v_hash := v_next;
    END LOOP;
    UPDATE audit_head SET seq = v_seq, hash = v_hash WHERE id = 1;
    RETURN v_seq;
  END
  $$`;

/**
 * The PostgreSQL fast path of device/admission.ts: admits a batch of signed requests that carry
 * kept answers in one call, its own transaction, instead of a transaction of several round
 * trips. It makes the checks and writes of admission-batch.ts in the same order, over the same
 * rows, taken in the same order (nonces, counters, devices, then the audit head), so the two
 * paths and every replica interleave safely:
 *
 * 1. Reads every device fresh. A request whose application moved since its answer was read (key
 *    version, grant revision, vault revision), or whose device no longer has the expiry, IP rule
 *    and bound address its late refusal was decided on, is `stale`: nothing of it is written and
 *    the caller admits it again the slow way. Otherwise its device may refuse it: revoked,
 *    application disabled, or the late refusal (expired, IP rule).
 * 2. Inserts the nonces, in key order; a nonce that was there, or twice in the batch, is a replay.
 * 3. Counts every request on its address's counter and every unrefused one on its device's, one
 *    upsert in key order; then, in arrival order, a request over its address's budget is
 *    `rate_limited` (unaudited), a refused one is audited with its reason, one over its device's
 *    budget is `rate_limited`, and the rest are `ok` with their success rows.
 * 4. Writes last accesses in device order, then appends the audit rows in request order.
 *
 * Answers each request's outcome: `ok`, `stale`, `rate_limited`, or the refusal's code.
 */
const ADMIT_CACHED_FUNCTION = `CREATE FUNCTION coffer_admit_cached(
    p_units JSON, p_address_limit BIGINT, p_device_limit BIGINT, p_touch_after_ms BIGINT
  ) RETURNS TEXT[] LANGUAGE plpgsql AS $$
  DECLARE
    v_units JSONB := p_units::jsonb;
    v_outcome TEXT[] := array_fill(NULL::TEXT, ARRAY[json_array_length(p_units)]);
    v_reason TEXT[] := array_fill(NULL::TEXT, ARRAY[json_array_length(p_units)]);
    v_fresh TEXT[];
    v_claimed TEXT[] := '{}';
    v_used JSONB;
    v_events JSONB := '[]';
    v_vault_revision BIGINT;
    v_key TEXT;
    v_place BIGINT;
    u RECORD;
  BEGIN
    SELECT value INTO v_vault_revision FROM counters WHERE name = 'vault_revision';
    FOR u IN SELECT x.i, x.late_reason, d.id IS NULL AS gone, d.revoked_at, a.deleted,
        a.disabled, a.key_version <> x.key_version OR a.access_revision <> x.access_revision
          OR x.vault_revision <> v_vault_revision OR d.access_expiry IS DISTINCT FROM x.access_expiry
          OR d.ip_rule <> x.ip_rule OR d.bound_address IS DISTINCT FROM x.bound_address AS moved
      FROM jsonb_to_recordset(v_units) AS x(i INTEGER, device_id TEXT, key_version INTEGER,
        access_revision BIGINT, vault_revision BIGINT, access_expiry BIGINT, ip_rule TEXT,
        bound_address TEXT, late_reason TEXT)
      LEFT JOIN devices d ON d.id = x.device_id LEFT JOIN applications a ON a.id = d.app_id
    LOOP
      IF u.gone OR u.moved THEN
        v_outcome[u.i] := 'stale';
      ELSE
        v_reason[u.i] := CASE
          WHEN u.revoked_at IS NOT NULL OR u.deleted = 1 THEN 'device_revoked'
          WHEN u.disabled = 1 THEN 'application_disabled'
          ELSE u.late_reason END;
      END IF;
    END LOOP;

    WITH inserted AS (
      INSERT INTO device_nonces (device_id, nonce, expires_at)
      SELECT x.device_id, x.nonce, x.nonce_expires_at FROM jsonb_to_recordset(v_units)
        AS x(i INTEGER, device_id TEXT, nonce TEXT, nonce_expires_at BIGINT)
      WHERE v_outcome[x.i] IS NULL ORDER BY x.device_id COLLATE "C", x.nonce COLLATE "C"
      ON CONFLICT (device_id, nonce) DO NOTHING RETURNING device_id, nonce
    ) SELECT COALESCE(array_agg(device_id || ' ' || nonce), '{}') INTO v_fresh FROM inserted;
    FOR u IN SELECT x.i, x.device_id || ' ' || x.nonce AS nonce_key
      FROM jsonb_to_recordset(v_units) AS x(i INTEGER, device_id TEXT, nonce TEXT) ORDER BY x.i
    LOOP
      CONTINUE WHEN v_outcome[u.i] IS NOT NULL;
      IF NOT u.nonce_key = ANY (v_fresh) OR u.nonce_key = ANY (v_claimed) THEN
        v_reason[u.i] := 'request_replayed';
      ELSE
        v_claimed := v_claimed || u.nonce_key;
      END IF;
    END LOOP;

    WITH hits AS (
      SELECT b.bucket, b.window_start, count(*) AS n FROM jsonb_to_recordset(v_units)
        AS x(i INTEGER, address_bucket TEXT, device_bucket TEXT, window_start BIGINT),
        LATERAL (VALUES (x.address_bucket, x.window_start),
          (CASE WHEN v_reason[x.i] IS NULL THEN x.device_bucket END, x.window_start))
          AS b(bucket, window_start)
      WHERE v_outcome[x.i] IS NULL AND b.bucket IS NOT NULL
      GROUP BY b.bucket, b.window_start
    ), counted AS (
      INSERT INTO rate_limits (bucket, window_start, hits)
      SELECT bucket, window_start, n FROM hits ORDER BY bucket COLLATE "C", window_start
      ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + excluded.hits
      RETURNING bucket, window_start, hits
    ) SELECT COALESCE(jsonb_object_agg(c.bucket || ' ' || c.window_start, c.hits - h.n), '{}')
      INTO v_used FROM counted c JOIN hits h USING (bucket, window_start);

    FOR u IN SELECT * FROM jsonb_to_recordset(v_units) AS x(i INTEGER, address_bucket TEXT,
        device_bucket TEXT, window_start BIGINT, late_reason TEXT, late_event JSONB,
        refusal_event JSONB, success_event JSONB)
      ORDER BY x.i
    LOOP
      CONTINUE WHEN v_outcome[u.i] IS NOT NULL;
      IF u.address_bucket IS NOT NULL THEN
        v_key := u.address_bucket || ' ' || u.window_start;
        v_place := (v_used->>v_key)::BIGINT + 1;
        v_used := jsonb_set(v_used, ARRAY[v_key], to_jsonb(v_place));
        IF v_place > p_address_limit THEN
          v_outcome[u.i] := 'rate_limited';
          CONTINUE;
        END IF;
      END IF;
      IF v_reason[u.i] IS NOT NULL THEN
        v_events := v_events || CASE WHEN v_reason[u.i] = u.late_reason THEN u.late_event
          ELSE u.refusal_event || jsonb_build_object('reason', v_reason[u.i]) END;
        v_outcome[u.i] := v_reason[u.i];
        CONTINUE;
      END IF;
      v_key := u.device_bucket || ' ' || u.window_start;
      v_place := (v_used->>v_key)::BIGINT + 1;
      v_used := jsonb_set(v_used, ARRAY[v_key], to_jsonb(v_place));
      IF v_place > p_device_limit THEN
        v_outcome[u.i] := 'rate_limited';
        CONTINUE;
      END IF;
      v_outcome[u.i] := 'ok';
      IF u.success_event IS NOT NULL THEN
        v_events := v_events || u.success_event;
      END IF;
    END LOOP;

    FOR u IN SELECT DISTINCT ON (x.device_id COLLATE "C") x.device_id, x.at, x.ip
      FROM jsonb_to_recordset(v_units) AS x(i INTEGER, device_id TEXT, at BIGINT, ip TEXT)
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

const BUMP_VAULT = `UPDATE counters SET value = value + 1 WHERE name = 'vault_revision';`;

/** SQLite triggers are per row only: a statement writing n rows moves the revision n times. */
const sqliteVaultTriggers = (['records', 'folders'] as const).flatMap((table) =>
  (['INSERT', 'UPDATE', 'DELETE'] as const).map(
    (operation) =>
      `CREATE TRIGGER ${table}_vault_revision_${operation.toLowerCase()}
       AFTER ${operation} ON ${table} BEGIN ${BUMP_VAULT} END`,
  ),
);

const bump = (ref: 'NEW' | 'OLD') =>
  `UPDATE applications SET access_revision = access_revision + 1 WHERE id = ${ref}.app_id;`;

export const MIGRATION_4: Migration = {
  version: 4,
  name: 'vault and access revisions, batched device admission',
  statements: [
    `ALTER TABLE applications ADD COLUMN access_revision BIGINT NOT NULL DEFAULT 0`,
    `INSERT INTO counters (name, value) VALUES ('vault_revision', 0)`,
  ],
  dialect: {
    sqlite: [
      ...sqliteVaultTriggers,
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
      `CREATE FUNCTION coffer_vault_revision() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN ${BUMP_VAULT} RETURN NULL; END $$`,
      `CREATE TRIGGER records_vault_revision AFTER INSERT OR UPDATE OR DELETE ON records
       FOR EACH STATEMENT EXECUTE FUNCTION coffer_vault_revision()`,
      `CREATE TRIGGER folders_vault_revision AFTER INSERT OR UPDATE OR DELETE ON folders
       FOR EACH STATEMENT EXECUTE FUNCTION coffer_vault_revision()`,
      ROW_HASH_FUNCTION,
      APPEND_MANY_FUNCTION,
      APPEND_FUNCTION,
      ADMIT_CACHED_FUNCTION,
    ],
  },
};
