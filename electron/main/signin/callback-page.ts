/**
 * The static page the browser shows after the redirect. It carries no data from the request
 * (nothing to reflect, so nothing to inject) and forbids everything with its own CSP.
 */
export const CALLBACK_PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  // The redirect URL holds the authorization code; keep it out of any onward Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  Connection: 'close',
} as const;

function page(title: string, line: string): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${title}</title>`,
    '<style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:32rem;}</style>',
    `</head><body><h1>${title}</h1><p>${line}</p></body></html>`,
  ].join('');
}

export const SIGNED_IN_PAGE = page(
  'Signed in to Coffer',
  'You can close this tab and return to Coffer.',
);

export const FAILED_PAGE = page(
  'Sign-in did not complete',
  'Return to Coffer to see what happened and try again.',
);

/** Answers any request that is not the expected callback, without saying why. */
export const NEUTRAL_PAGE = page('Coffer', 'Nothing to see here. You can close this tab.');
