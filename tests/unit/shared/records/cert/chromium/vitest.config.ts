// Runs the certificate importer in Debian's Chromium, to show that shared/records/cert needs
// nothing Node-only. The main Vitest configuration sends only the crypto, protocol and keys
// suites to Chromium, so this check has its own configuration:
//   npx vitest run --config tests/unit/shared/records/cert/chromium/vitest.config.ts
import { join } from 'node:path';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: join(import.meta.dirname, '../../../../../..'),
  // Vite refuses to serve *.pem and *.crt by default; the fixtures are fake test certificates.
  server: { fs: { deny: ['.env', '.env.*', '**/.git/**'] } },
  test: {
    name: 'cert-chromium',
    include: ['tests/unit/shared/records/cert/chromium/**/*.browser-test.ts'],
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--no-first-run',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
