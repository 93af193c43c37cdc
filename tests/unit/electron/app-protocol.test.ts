import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBundleHandler, resolveBundlePath } from '../../../electron/main/app-protocol.ts';

const root = mkdtempSync(join(tmpdir(), 'coffer-bundle-'));
const outside = `${root}-secret.txt`;
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Coffer</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'export {};');
writeFileSync(join(root, 'assets', 'argon2.wasm'), new Uint8Array([0, 97, 115, 109]));
writeFileSync(outside, 'not for the page');
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { force: true });
});

const csp = "default-src 'none'";
const handle = createBundleHandler(root, () => csp);
const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('app protocol', () => {
  it('serves the entry page with the CSP and nosniff headers', async () => {
    const response = await get('coffer-app://bundle/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(csp);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<title>Coffer</title>');
  });

  it('serves scripts and WebAssembly with their types', async () => {
    expect((await get('coffer-app://bundle/assets/app.js')).headers.get('content-type')).toContain(
      'text/javascript',
    );
    const wasm = await get('coffer-app://bundle/assets/argon2.wasm');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
  });

  it.each([
    'coffer-app://bundle/../' + outside.split('/').pop(),
    'coffer-app://bundle/%2e%2e/%2e%2e/etc/passwd',
    'coffer-app://bundle/assets/..%2f..%2f' + outside.split('/').pop(),
    'coffer-app://bundle/%00index.html',
    'coffer-app://other/index.html',
    'coffer-app://bundle/missing.js',
  ])('answers 404, still with the CSP, for %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(csp);
  });

  it('refuses methods other than GET', async () => {
    expect((await get('coffer-app://bundle/index.html', 'POST')).status).toBe(404);
  });

  it('never resolves a path outside the bundle', () => {
    expect(resolveBundlePath(root, 'coffer-app://bundle/a%2f..%2f..%2fx')).toBeUndefined();
    expect(resolveBundlePath(root, 'coffer-app://bundle/..%5c..%5cx')).toBeUndefined();
    // The URL parser resolves literal dot segments first, which keeps them inside the bundle.
    expect(resolveBundlePath(root, 'coffer-app://bundle/a/../../x')).toBe(join(root, 'x'));
    expect(resolveBundlePath(root, 'coffer-app://bundle/a/b.js')).toBe(join(root, 'a', 'b.js'));
  });
});
