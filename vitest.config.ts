import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// Suites that must behave identically in Node and in Chromium (STYLE.md habit 9): the vault
// cryptography, the wire protocol and the key hierarchy. They import nothing Node-only.
const crossPlatformSuites = [
  'tests/unit/shared/crypto/**/*.test.ts',
  'tests/unit/shared/protocol/**/*.test.ts',
  'tests/unit/shared/keys/**/*.test.ts',
  'tests/unit/shared/records/ssh/portable.test.ts',
  'tests/unit/shared/records/cert/chromium/**/*.browser-test.ts',
];

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Pre-bundled up front: discovering CommonJS dependencies mid-run makes Vite reload the
        // page, which fails the first browser run with
        // "Failed to fetch dynamically imported module".
        optimizeDeps: { include: ['bcrypt-pbkdf', 'node-forge', 'argon2-browser'] },
        // Vite refuses to serve *.pem and *.crt by default; the fixtures are fake test
        // certificates.
        server: { fs: { deny: ['.env', '.env.*', '**/.git/**'] } },
        test: {
          name: 'chromium',
          include: [
            ...crossPlatformSuites,
            'tests/unit/renderer/records/**/*.test.tsx',
            'tests/unit/renderer/security/**/*.test.tsx',
          ],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: chromiumPath,
                args: [
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--no-first-run',
                  '--disable-sync',
                  '--disable-quic',
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
