// Import cost on real cases and on a long shuffled chain; prints the figures
// (npx vitest run --project node tests/unit/shared/records/cert/timing.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCertificate } from '../../../../../shared/records/cert/index.ts';
import { OpensslWorkdir, hasOpenssl } from './openssl.ts';

const FIXTURES = join(import.meta.dirname, '../../../../fixtures/cert');

async function msPerImport(
  input: Uint8Array | string,
  passphrase: string | undefined,
  runs: number,
): Promise<number> {
  const options = passphrase === undefined ? {} : { passphrase };
  await importCertificate(input, options);
  const start = performance.now();
  for (let i = 0; i < runs; i++) await importCertificate(input, options);
  return (performance.now() - start) / runs;
}

describe('import cost', () => {
  it('imports each case in well under a second', async () => {
    const cases = [
      ['cert-01-fullchain.pem', undefined],
      ['cert-03-modern-aes.p12', 'p12-pass-03'],
      ['cert-06-legacy-rc2.p12', 'p12-pass-06'],
      ['cert-10-bag-attributes-crlf.pem', undefined],
    ] as const;
    for (const [file, passphrase] of cases) {
      const ms = await msPerImport(
        new Uint8Array(readFileSync(join(FIXTURES, file))),
        passphrase,
        10,
      );
      console.log(`cert import ${file}: ${ms.toFixed(1)} ms`);
      expect(ms).toBeLessThan(1000);
    }
  });

  describe.skipIf(!hasOpenssl)('a long chain', () => {
    const work = new OpensslWorkdir();
    afterAll(() => work.cleanup());

    it('orders a shuffled 40-certificate chain and verifies every link', async () => {
      const length = 40;
      work.certificate('c0', '/CN=c0', { ca: true });
      for (let i = 1; i < length; i++)
        work.certificate(`c${i}`, `/CN=c${i}`, { ca: true, issuer: `c${i - 1}` });
      const order = Array.from({ length }, (_, i) => i).sort(() => Math.random() - 0.5);
      const bundle = order.map((i) => work.text(`c${i}.pem`)).join('');
      const start = performance.now();
      const result = await importCertificate(bundle);
      const ms = performance.now() - start;
      console.log(`cert import shuffled ${length}-link chain: ${ms.toFixed(1)} ms`);
      expect(result.chain.map((e) => e.certificate.subject)).toEqual(
        Array.from({ length }, (_, i) => `CN=c${length - 1 - i}`),
      );
      expect(result.chain.every((e) => e.signature === 'valid')).toBe(true);
      expect(ms).toBeLessThan(5000);
    });
  });
});
