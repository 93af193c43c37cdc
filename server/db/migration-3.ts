import type { Migration } from './migrations.ts';

/**
 * The audit append of server/audit/chain.ts as one PostgreSQL function, so an append is one round
 * trip and the chain head's row lock is held for that statement (and the commit) only, instead
 * of across three statements. Every device fetch appends a row, so this lock bounds how many
 * fetches all replicas together can serve.
 *
 * The hash must equal `rowHash` of chain.ts byte for byte: SHA-256 over the JSON array of the
 * fields. `to_json(text)` escapes exactly the characters `JSON.stringify` escapes (quote,
 * backslash and C0 controls, which `clean` has already replaced), integers print alike, and the
 * array is joined without spaces as `JSON.stringify` does (json_build_array would add them).
 */
const APPEND_FUNCTION = `CREATE FUNCTION coffer_audit_append(
    p_at BIGINT, p_type TEXT, p_outcome TEXT, p_actor_user_id TEXT, p_actor_device_id TEXT,
    p_app_id TEXT, p_device_id TEXT, p_folder_id TEXT, p_record_id TEXT, p_target_user_id TEXT,
    p_ip TEXT, p_reason TEXT, p_details TEXT
  ) RETURNS BIGINT LANGUAGE plpgsql AS $$
  DECLARE
    head_seq BIGINT;
    head_hash TEXT;
    new_seq BIGINT;
    new_hash TEXT;
  BEGIN
    SELECT seq, hash INTO head_seq, head_hash FROM audit_head WHERE id = 1 FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'The audit chain head is missing';
    END IF;
    new_seq := head_seq + 1;
    new_hash := encode(sha256(convert_to('[' || concat_ws(',',
      '1', new_seq::text, p_at::text,
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
      to_json(head_hash)::text
    ) || ']', 'UTF8')), 'hex');
    INSERT INTO audit_events (seq, at, type, outcome, actor_user_id, actor_device_id, app_id,
      device_id, folder_id, record_id, target_user_id, ip, reason, details, prev_hash, hash)
    VALUES (new_seq, p_at, p_type, p_outcome, p_actor_user_id, p_actor_device_id, p_app_id,
      p_device_id, p_folder_id, p_record_id, p_target_user_id, p_ip, p_reason, p_details,
      head_hash, new_hash);
    UPDATE audit_head SET seq = new_seq, hash = new_hash WHERE id = 1;
    RETURN new_seq;
  END
  $$`;

export const MIGRATION_3: Migration = {
  version: 3,
  name: 'audit append in one PostgreSQL round trip',
  statements: [],
  dialect: { sqlite: [], postgres: [APPEND_FUNCTION] },
};
