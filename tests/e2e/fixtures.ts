import { test as base, expect, type Page } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface E2eServer {
  readonly url: string;
  readonly email: string;
  readonly idpPassword: string;
}

export function e2eServer(): E2eServer {
  const url = process.env['COFFER_E2E_URL'];
  const email = process.env['COFFER_E2E_EMAIL'];
  const idpPassword = process.env['COFFER_E2E_IDP_PASSWORD'];
  if (!url || !email || !idpPassword) throw new Error('the e2e global setup did not run');
  return { url, email, idpPassword };
}

/** A port the OS reports free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Screenshots of the main screens, kept as artifacts (test-results is CI's artifact folder). */
export const SCREENS_DIR = join('test-results', 'e2e-screens');

export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
}

/** Collects the browser's console and page errors, to attach when a test fails. */
export function recordBrowserLogs(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (message) => lines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`[pageerror] ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) {
      lines.push(`[http ${response.status()}] ${new URL(response.url()).pathname}`);
    }
  });
  page.on('requestfailed', (request) =>
    lines.push(`[requestfailed] ${request.method()} ${new URL(request.url()).pathname}`),
  );
  return lines;
}

/** The new-record editor's heading: "New login", "New SSH key" (acronyms keep their case). */
export function newRecordHeading(typeLabel: string): string {
  return `New ${typeLabel.replace(/^[A-Z](?=[^A-Z])/, (first) => first.toLowerCase())}`;
}

/** What a failed test attaches: the page and its browser log, plus any extra files. */
export interface FailureEvidence {
  readonly page: Page;
  readonly logs: readonly string[];
  readonly files?: readonly { readonly name: string; readonly path: string }[];
}

/**
 * After each test of the enclosing describe that fails, attaches the browser log, a full-page
 * screenshot and the extra files. `evidence` is read then, since specs open their page in
 * `beforeAll`; it answers undefined when there is nothing to attach yet.
 */
export function attachOnFailure(evidence: () => FailureEvidence | undefined): void {
  // Playwright requires the fixtures argument as an object pattern, even when none is used.
  // eslint-disable-next-line no-empty-pattern
  base.afterEach(async ({}, testInfo) => {
    const found = evidence();
    if (testInfo.status === testInfo.expectedStatus || found === undefined) return;
    await testInfo.attach('browser-log', {
      body: found.logs.join('\n'),
      contentType: 'text/plain',
    });
    await testInfo.attach('screenshot', {
      body: await found.page.screenshot({ fullPage: true }),
      contentType: 'image/png',
    });
    for (const file of found.files ?? []) {
      if (existsSync(file.path)) {
        await testInfo.attach(file.name, { path: file.path, contentType: 'text/plain' });
      }
    }
  });
}

export { base as test, expect };
