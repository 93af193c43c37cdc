import { describe, expect, it } from 'vitest';
import { isPerAttemptLoopbackRedirect } from '../../../../shared/protocol/identity-provider.ts';

const SEGMENT = 'AbCdEfGhIjKlMnOpQr_-12';

describe('the desktop per-attempt loopback redirect (OA-03)', () => {
  it.each([
    `http://127.0.0.1:1/callback/${SEGMENT}`,
    `http://127.0.0.1:53123/callback/${SEGMENT}`,
    `http://127.0.0.1:65535/callback/${SEGMENT}`,
    `http://[::1]:40000/callback/${SEGMENT}`,
  ])('accepts %s', (uri) => {
    expect(isPerAttemptLoopbackRedirect(uri)).toBe(true);
  });

  it.each([
    ['the fixed path', 'http://127.0.0.1:53123/callback'],
    ['an empty segment', 'http://127.0.0.1:53123/callback/'],
    ['a short segment', `http://127.0.0.1:53123/callback/${SEGMENT.slice(1)}`],
    ['a long segment', `http://127.0.0.1:53123/callback/${SEGMENT}a`],
    ['a further path', `http://127.0.0.1:53123/callback/${SEGMENT}/x`],
    ['a trailing slash', `http://127.0.0.1:53123/callback/${SEGMENT}/`],
    ['a query', `http://127.0.0.1:53123/callback/${SEGMENT}?next=https://evil.example.com`],
    ['a fragment', `http://127.0.0.1:53123/callback/${SEGMENT}#x`],
    ['a percent-encoded segment', `http://127.0.0.1:53123/callback/%41${SEGMENT.slice(1)}`],
    ['a dot segment', `http://127.0.0.1:53123/x/../callback/${SEGMENT}`],
    ['another path', `http://127.0.0.1:53123/other/${SEGMENT}`],
    ['no port', `http://127.0.0.1/callback/${SEGMENT}`],
    ['port 0', `http://127.0.0.1:0/callback/${SEGMENT}`],
    ['a port past 65535', `http://127.0.0.1:65536/callback/${SEGMENT}`],
    ['a zero-padded port', `http://127.0.0.1:080/callback/${SEGMENT}`],
    ['localhost', `http://localhost:53123/callback/${SEGMENT}`],
    ['another loopback address', `http://127.0.0.2:53123/callback/${SEGMENT}`],
    ['a long IPv6 loopback', `http://[0:0:0:0:0:0:0:1]:53123/callback/${SEGMENT}`],
    ['a remote host', `http://evil.example.com:53123/callback/${SEGMENT}`],
    ['https', `https://127.0.0.1:53123/callback/${SEGMENT}`],
    ['credentials', `http://alice@127.0.0.1:53123/callback/${SEGMENT}`],
    ['upper-case scheme', `HTTP://127.0.0.1:53123/callback/${SEGMENT}`],
    ['a trailing newline', `http://127.0.0.1:53123/callback/${SEGMENT}\n`],
  ])('refuses %s', (_name, uri) => {
    expect(isPerAttemptLoopbackRedirect(uri)).toBe(false);
  });
});
