import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
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

export { base as test, expect };
