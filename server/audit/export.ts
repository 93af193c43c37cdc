import type { AuditRow } from './chain.ts';
import { auditView } from './query.ts';

/** One JSON document per line: JSON escapes CR and LF inside strings, so one line is one event. */
export function toJsonLines(rows: readonly AuditRow[]): string {
  return rows.map((row) => `${JSON.stringify(auditView(row))}\n`).join('');
}

/**
 * RFC 5424 §6: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA`, no MSG. Facility
 * 13 (log audit, §6.2.1 table 1); severity 6 (informational) for successes, 4 (warning) for
 * failures. The SD-ID uses enterprise number 32473, reserved for documentation (RFC 5612), until
 * Coffer has its own.
 */
const FACILITY_LOG_AUDIT = 13;
const SD_ID = 'coffer@32473';

/** §6.3.3: inside PARAM-VALUE, `"`, `\` and `]` are escaped with a backslash. */
function paramValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** §6.2.4–6.2.7 header fields are PRINTUSASCII without spaces, bounded; `-` when empty. */
function headerField(value: string, max: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '');
  return printable.length === 0 ? '-' : printable.slice(0, max);
}

export function toSyslogLine(row: AuditRow, hostname: string): string {
  const severity = row.outcome === 'success' ? 6 : 4;
  const pri = FACILITY_LOG_AUDIT * 8 + severity;
  const view = auditView(row);
  const params: string[] = [];
  for (const [key, value] of Object.entries(view)) {
    if (key === 'time' || key === 'type') continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    params.push(`${key}="${paramValue(text)}"`);
  }
  return [
    `<${pri}>1`,
    new Date(row.at).toISOString(),
    headerField(hostname, 255),
    'coffer',
    '-',
    headerField(row.type, 32),
    `[${SD_ID} ${params.join(' ')}]`,
  ].join(' ');
}

export function toSyslog(rows: readonly AuditRow[], hostname: string): string {
  return rows.map((row) => `${toSyslogLine(row, hostname)}\n`).join('');
}
