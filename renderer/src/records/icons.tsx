import type { ReactNode } from 'react';

/** Small outline glyphs for icon buttons; the buttons carry the accessible names. */
function Glyph({ children, size = 16 }: { readonly children: ReactNode; readonly size?: number }) {
  return (
    <svg
      aria-hidden
      focusable="false"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {children}
    </svg>
  );
}

export const EyeIcon = () => (
  <Glyph>
    <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
    <circle cx="12" cy="12" r="3" />
  </Glyph>
);

export const EyeOffIcon = () => (
  <Glyph>
    <path d="M3 3l18 18M10.6 5.1A10 10 0 0 1 12 5c6.4 0 10 7 10 7a17 17 0 0 1-3.2 4M6.6 6.6C3.8 8.4 2 12 2 12s3.6 7 10 7a9.7 9.7 0 0 0 5.4-1.6M9.9 9.9a3 3 0 0 0 4.2 4.2" />
  </Glyph>
);

export const CopyIcon = () => (
  <Glyph>
    <rect x="9" y="9" width="12" height="12" rx="2" />
    <path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />
  </Glyph>
);

export const CheckIcon = () => (
  <Glyph>
    <path d="M5 12l5 5L20 7" />
  </Glyph>
);

export const OpenIcon = () => (
  <Glyph>
    <path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" />
  </Glyph>
);

export const DiceIcon = () => (
  <Glyph>
    <rect x="3" y="3" width="18" height="18" rx="3" />
    <path d="M8 8h.01M16 8h.01M12 12h.01M8 16h.01M16 16h.01" />
  </Glyph>
);

export const TrashIcon = () => (
  <Glyph>
    <path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13" />
  </Glyph>
);
