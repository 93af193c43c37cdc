import Fastify from 'fastify';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installHeaders } from '../../../server/http/headers.ts';
import { notFoundHandler } from '../../../server/http/problem.ts';
import { registerWebApp, webAppPolicy } from '../../../server/http/web-app.ts';

describe('the web build served by the server', () => {
  const root = mkdtempSync(join(tmpdir(), 'coffer-web-'));
  const app = Fastify();
  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(root, 'assets', 'app.js'), 'export {};');
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(root, '.env'), 'SECRET=1');
    installHeaders(app, []);
    app.setNotFoundHandler(notFoundHandler);
    await registerWebApp(app, {
      root,
      identityProviderIssuers: ['https://login.example.com/tenant'],
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the app at the root and at the sign-in redirect, under a strict policy', async () => {
    for (const url of ['/', '/signin/callback?code=x&state=y']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<div id="root">');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-eval'/);
      expect(csp).toContain("connect-src 'self' https://login.example.com;");
      expect(csp).toContain("frame-ancestors 'none'");
    }
  });

  it(
    'gives scripts the same policy, since a ' + 'worker takes its policy from its own script',
    async () => {
      const response = await app.inject({ method: 'GET', url: '/assets/app.js' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-security-policy']).toBe(
        webAppPolicy(['https://login.example.com/tenant']),
      );
    },
  );

  it('serves what the page refers to relatively under /signin/ too, and nothing else', async () => {
    for (const url of ['/signin/assets/app.js', '/signin/favicon.svg']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    for (const url of ['/signin/index.html', '/signin/.env', '/signin/nothing.svg']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });

  it('answers unknown paths and dotfiles with the API problem 404, never a file', async () => {
    for (const url of [
      '/.env',
      '/nothing-here.js',
      '/../package.json',
      '/%2e%2e/%2e%2e/package.json',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain('SECRET');
    }
  });

  it('puts nothing but origins into connect-src, whatever the issuer strings hold', () => {
    const csp = webAppPolicy(["https://a.example.com/x'; script-src *", 'not a url']);
    expect(csp).toContain("connect-src 'self' https://a.example.com;");
    expect(csp.match(/script-src/g)).toHaveLength(1);
  });
});
