import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from '../../../electron/main/csp.ts';
import { installCspHeader } from '../../../electron/main/csp-header.ts';
import { resolveAppOrigin } from '../../../electron/main/app-origin.ts';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('content security policy (EL-03)', () => {
  const csp = buildContentSecurityPolicy({ connectOrigins: ['https://vault.example.com'] });
  const parsed = directives(csp);

  it('denies by default and forbids plugins, framing, forms and base rewrites', () => {
    expect(parsed.get('default-src')).toEqual(["'none'"]);
    expect(parsed.get('object-src')).toEqual(["'none'"]);
    expect(parsed.get('frame-src')).toEqual(["'none'"]);
    expect(parsed.get('frame-ancestors')).toEqual(["'none'"]);
    expect(parsed.get('form-action')).toEqual(["'none'"]);
    expect(parsed.get('base-uri')).toEqual(["'none'"]);
  });

  it("allows scripts only from the app, with 'wasm-unsafe-eval' and no inline or eval", () => {
    expect(parsed.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp).not.toContain("'unsafe-eval'");
    expect(parsed.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('lets the page talk only to itself and the configured origins', () => {
    expect(parsed.get('connect-src')).toEqual(["'self'", 'https://vault.example.com']);
  });

  it(
    'reduces connect entries to bare origins and ' + 'drops anything that could add a directive',
    () => {
      const hostile = buildContentSecurityPolicy({
        connectOrigins: [
          'https://vault.example.com/api/v1?x=1',
          "https://a.example.com; script-src 'unsafe-inline'",
          'javascript:alert(1)',
          '*',
        ],
      });
      expect(directives(hostile).get('connect-src')).toEqual([
        "'self'",
        'https://vault.example.com',
      ]);
      expect([...directives(hostile).keys()]).toEqual([...parsed.keys()]);
      expect(directives(hostile).get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    },
  );

  it('agrees with the renderer page: its scripts are external modules, none inline', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body.trim()).toBe('');
    }
  });
});

describe('CSP header on development pages', () => {
  type Listener = (
    details: { url: string; responseHeaders?: Record<string, string[]> },
    callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
  ) => void;

  function install() {
    let listener: Listener | undefined;
    const origin = resolveAppOrigin({ isPackaged: false, devServerUrl: 'http://localhost:5173/' });
    installCspHeader(
      { onHeadersReceived: (l: Listener) => (listener = l) } as never,
      origin.isAppUrl,
      () => "default-src 'none'",
    );
    return (url: string, responseHeaders: Record<string, string[]>) => {
      let answer: { responseHeaders?: Record<string, string | string[]> } | undefined;
      listener?.({ url, responseHeaders }, (response) => (answer = response));
      return answer;
    };
  }

  it('replaces any CSP on app pages with the strict one', () => {
    const respond = install();
    const answer = respond('http://localhost:5173/index.html', {
      'content-security-policy': ['script-src *'],
      'Content-Type': ['text/html'],
    });
    expect(answer?.responseHeaders).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': ["default-src 'none'"],
    });
  });

  it('leaves responses of other origins untouched', () => {
    const respond = install();
    expect(respond('https://vault.example.com/api', {})).toEqual({});
  });
});
