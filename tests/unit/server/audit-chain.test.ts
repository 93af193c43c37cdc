import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, rowHash } from '../../../server/audit/chain.ts';
import type { AuditFields, AuditRow } from '../../../server/audit/chain.ts';
import { toJsonLines, toSyslogLine } from '../../../server/audit/export.ts';

function row(change: Partial<AuditFields> = {}): AuditRow {
  const fields: AuditFields = {
    seq: 1,
    at: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    type: 'device_request_refused',
    outcome: 'failure',
    actor_user_id: null,
    actor_device_id: 'cYvCsjEx7WlBMdwwg2yyXg',
    app_id: 'AppAppAppAppAppAppAppA',
    device_id: 'cYvCsjEx7WlBMdwwg2yyXg',
    folder_id: null,
    record_id: null,
    target_user_id: null,
    ip: '192.0.2.1',
    reason: 'ip_not_allowed',
    details: JSON.stringify({ boundAddress: '192.0.2.9' }),
    prev_hash: GENESIS_HASH,
    ...change,
  };
  return { ...fields, hash: rowHash(fields) };
}

describe('audit row hash', () => {
  it('changes when any field or the previous hash changes', () => {
    const base = row();
    const variants: Partial<AuditFields>[] = [
      { seq: 2 },
      { at: base.at + 1 },
      { type: 'device_fetch' },
      { outcome: 'success' },
      { actor_user_id: 'someone' },
      { ip: '192.0.2.2' },
      { reason: null },
      { details: null },
      { prev_hash: 'f'.repeat(64) },
    ];
    for (const change of variants) expect(row(change).hash).not.toBe(base.hash);
    expect(row().hash).toBe(base.hash);
  });

  it('does not let a value move between neighbouring fields', () => {
    expect(row({ folder_id: 'ab', record_id: null }).hash).not.toBe(
      row({ folder_id: 'a', record_id: 'b' }).hash,
    );
  });
});

describe('audit exports', () => {
  it('AU-02: writes one JSON line per event even when a value holds CR, LF or quotes', () => {
    const hostile = row({ reason: 'x"\r\n{"type":"sign_in"}' });
    const text = toJsonLines([hostile, row({ seq: 2 })]);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect((JSON.parse(lines[0] ?? '') as { reason: string }).reason).toBe(hostile.reason);
  });

  it('writes an RFC 5424 line with escaped structured-data values and the audit facility', () => {
    const line = toSyslogLine(row({ reason: 'a"b]c\\d' }), 'vault.example.com');
    expect(line).toMatch(
      /^<108>1 2026-01-02T03:04:05\.678Z vault\.example\.com coffer - device_request_refused \[coffer@32473 /,
    );
    expect(line).toContain('reason="a\\"b\\]c\\\\d"');
    expect(line).toContain('details="{\\"boundAddress\\":\\"192.0.2.9\\"}"');
    expect(toSyslogLine(row({ outcome: 'success' }), 'h').startsWith('<110>1 ')).toBe(true);
    expect(toSyslogLine(row(), 'host with spaces')).toContain(' hostwithspaces coffer ');
  });
});
