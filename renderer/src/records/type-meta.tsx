import type { ReactNode } from 'react';
import type { RecordType } from '../../../shared/records/schema/index.ts';

const LABELS: Readonly<Record<RecordType, string>> = {
  login: 'Login',
  database: 'Database credentials',
  server: 'Server credentials',
  'ssh-key': 'SSH key',
  certificate: 'Certificate',
  'api-key': 'API key',
  'one-time-code': 'One-time code',
  'secure-note': 'Secure note',
  'payment-card': 'Payment card',
};

/** The name a person reads for a record type, in menus, lists and headings. */
export function recordTypeLabel(type: RecordType): string {
  return LABELS[type];
}

/** 24×24 outline drawings; stroke colour follows the text colour so both themes work. */
const SHAPES: Readonly<Record<RecordType, ReactNode>> = {
  login: (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" />
    </>
  ),
  database: (
    <>
      <ellipse cx="12" cy="5" rx="8" ry="3" />
      <path d="M4 5v14c0 1.7 3.6 3 8 3s8-1.3 8-3V5" />
      <path d="M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3" />
    </>
  ),
  server: (
    <>
      <rect x="3" y="3" width="18" height="8" rx="2" />
      <rect x="3" y="13" width="18" height="8" rx="2" />
      <path d="M7 7h.01M7 17h.01" />
    </>
  ),
  'ssh-key': (
    <>
      <circle cx="7.5" cy="15.5" r="4.5" />
      <path d="M10.7 12.3 21 2M17 6l3 3M14 9l2.5 2.5" />
    </>
  ),
  certificate: (
    <>
      <rect x="3" y="3" width="18" height="13" rx="2" />
      <circle cx="12" cy="11" r="3" />
      <path d="M9.5 13.5 8 21l4-2 4 2-1.5-7.5" />
    </>
  ),
  'api-key': <path d="M8 7l-5 5 5 5M16 7l5 5-5 5M14 4l-4 16" />,
  'one-time-code': (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 2" />
    </>
  ),
  'secure-note': (
    <>
      <path d="M6 2h9l5 5v15H6z" />
      <path d="M14 2v6h6M9 13h8M9 17h6" />
    </>
  ),
  'payment-card': (
    <>
      <rect x="2" y="5" width="20" height="14" rx="2" />
      <path d="M2 10h20M6 15h4" />
    </>
  ),
};

export interface RecordTypeIconProps {
  readonly type: RecordType;
  readonly size?: number;
  /**
   * Decorative icons (next to a visible type name) are hidden from assistive technology; give
   * `labelled` when the icon stands alone and must announce the type.
   */
  readonly labelled?: boolean;
}

export function RecordTypeIcon({ type, size = 20, labelled = false }: RecordTypeIconProps) {
  const a11y = labelled
    ? { role: 'img', 'aria-label': recordTypeLabel(type) }
    : { 'aria-hidden': true as const };
  return (
    <svg
      {...a11y}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      focusable="false"
    >
      {SHAPES[type]}
    </svg>
  );
}
