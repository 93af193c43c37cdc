// Damaged and wrong inputs: every failure is a CofferError whose code the UI can branch on and
// whose message names the PEM block (position and label) or the algorithm OID at fault.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../../shared/errors.ts';
import { MAX_CERTIFICATES, importCertificate } from '../../../../../shared/records/cert/index.ts';

const FIXTURES = join(import.meta.dirname, '../../../../fixtures/cert');
const chain = readFileSync(join(FIXTURES, 'cert-01-fullchain.pem'), 'utf8');
const keyAndCert = readFileSync(join(FIXTURES, 'cert-12-ec-key-and-cert.pem'), 'utf8');

async function failure(input: string | Uint8Array, passphrase?: string): Promise<CofferError> {
  return importCertificate(input, passphrase === undefined ? {} : { passphrase }).then(
    () => expect.fail('expected the import to fail'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(CofferError);
      return error as CofferError;
    },
  );
}

/** The lines of the n-th (1-based) PEM block of `text`, BEGIN and END included. */
function blockLines(text: string, n: number): { start: number; end: number; lines: string[] } {
  const lines = text.split('\n');
  const begins = lines.flatMap((line, i) => (line.startsWith('-----BEGIN') ? [i] : []));
  const start = begins[n - 1] ?? -1;
  const end = lines.findIndex((line, i) => i > start && line.startsWith('-----END'));
  return { start, end, lines };
}

describe('damaged PEM input', () => {
  it('names the block whose END line is missing (truncated paste)', async () => {
    const { lines, start } = blockLines(chain, 2);
    const cut = lines.slice(0, start + 5).join('\n');
    const error = await failure(cut);
    expect(error.code).toBe('pem_block_damaged');
    expect(error.message).toMatch(
      /^PEM block 2 \(CERTIFICATE, line \d+\) has no END line; it is truncated/,
    );
  });

  it('names the block whose body lost lines although its base64 still decodes', async () => {
    const { lines, start } = blockLines(chain, 2);
    lines.splice(start + 3, 2);
    const error = await failure(lines.join('\n'));
    expect(error.code).toBe('pem_block_damaged');
    expect(error.message).toMatch(/^PEM block 2 \(CERTIFICATE, line \d+\) is truncated or damaged/);
  });

  it('names the block with a corrupted base64 character', async () => {
    const { lines, start } = blockLines(chain, 3);
    lines[start + 2] = `${lines[start + 2]?.slice(0, 10)}*${lines[start + 2]?.slice(11)}`;
    const error = await failure(lines.join('\n'));
    expect(error.code).toBe('pem_block_damaged');
    expect(error.message).toBe(
      `PEM block 3 (CERTIFICATE, line ${start + 1}) contains characters that are not base64.`,
    );
  });

  it('names the block whose base64 has a wrong length', async () => {
    const { lines, start } = blockLines(chain, 1);
    lines[start + 1] = lines[start + 1]?.slice(1) ?? '';
    const error = await failure(lines.join('\n'));
    expect(error.code).toBe('pem_block_damaged');
    expect(error.message).toMatch(/^PEM block 1 \(CERTIFICATE, line 1\) has broken base64/);
  });

  it('names a damaged key block by its label', async () => {
    const { lines, start } = blockLines(keyAndCert, 1);
    lines.splice(start + 2, 1);
    const error = await failure(lines.join('\n'));
    expect(error.code).toBe('pem_block_damaged');
    expect(error.message).toMatch(/^PEM block 1 \(EC PRIVATE KEY, line 1\)/);
  });

  it('reports an END line without BEGIN and a mismatched END label', async () => {
    const { lines, start } = blockLines(chain, 2);
    const headless = [...lines.slice(0, start), ...lines.slice(start + 1)].join('\n');
    expect((await failure(headless)).message).toMatch(/END line at line \d+ has no BEGIN line/);
    const { lines: again, end } = blockLines(chain, 2);
    again[end] = '-----END PRIVATE KEY-----';
    const mismatched = await failure(again.join('\n'));
    expect(mismatched.message).toMatch(
      /^PEM block 2 \(CERTIFICATE, line \d+\) ends with a mismatched END/,
    );
  });

  it('keeps secrets out of damaged-key messages', async () => {
    const { lines, start } = blockLines(keyAndCert, 1);
    const secretLine = lines[start + 1] ?? '';
    lines[start + 1] = `${secretLine.slice(0, 20)}!${secretLine.slice(21)}`;
    const error = await failure(lines.join('\n'));
    expect(error.message).not.toContain(secretLine.slice(0, 20));
  });
});

describe('inputs that are not certificate material', () => {
  it('rejects empty input and input over the size limit', async () => {
    expect((await failure('')).code).toBe('invalid_input');
    expect((await failure(new Uint8Array(4 * 1024 * 1024 + 1).fill(0x30))).code).toBe(
      'invalid_input',
    );
  });

  it('rejects more certificates than any real bundle holds', async () => {
    const leaf = chain.slice(0, chain.indexOf('-----END CERTIFICATE-----') + 26);
    const error = await failure(leaf.repeat(MAX_CERTIFICATES + 1));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(`the limit is ${MAX_CERTIFICATES}`);
    expect((await importCertificate(leaf.repeat(MAX_CERTIFICATES))).chain).toHaveLength(1);
  });

  it('rejects bytes that are neither PEM nor DER', async () => {
    expect((await failure(Uint8Array.of(0x50, 0x4b, 0x03, 0x04))).code).toBe('invalid_input');
  });

  it('rejects text with no PEM block and a key without a certificate', async () => {
    expect((await failure('subject=CN = www.example.com\n')).code).toBe('cert_not_found');
    const keyOnly = keyAndCert.slice(0, keyAndCert.indexOf('-----BEGIN CERTIFICATE'));
    expect((await failure(keyOnly)).code).toBe('cert_not_found');
  });

  it('rejects truncated DER with a clear code', async () => {
    const der = readFileSync(join(FIXTURES, 'cert-02-leaf.cer'));
    const error = await failure(new Uint8Array(der.subarray(0, der.length - 10)));
    expect(error.code).toBe('cert_malformed');
    expect(error.message).toMatch(/truncated/);
  });

  it('rejects a truncated PKCS#12 file without calling it a wrong password', async () => {
    const p12 = readFileSync(join(FIXTURES, 'cert-03-modern-aes.p12'));
    const error = await failure(new Uint8Array(p12.subarray(0, 600)), 'p12-pass-03');
    expect(error.code).toBe('cert_malformed');
  });

  it('names the OID of an unsupported key algorithm', async () => {
    // A PKCS#8 key for an algorithm Coffer does not read (DSA, 1.2.840.10040.4.1).
    const dsaPkcs8 = Uint8Array.from([
      0x30, 0x16, 0x02, 0x01, 0x00, 0x30, 0x09, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04,
      0x01, 0x04, 0x06, 0x02, 0x04, 0x01, 0x02, 0x03, 0x04,
    ]);
    const pem = `-----BEGIN PRIVATE KEY-----\n${btoa(String.fromCharCode(...dsaPkcs8))}\n-----END PRIVATE KEY-----\n`;
    const error = await failure(pem + chain);
    expect(error.code).toBe('unsupported_algorithm');
    expect(error.message).toContain('1.2.840.10040.4.1');
  });
});

describe('PKCS#12 work factor', () => {
  /**
   * A MAC-less PFX whose one SafeContents repeats the same password-encrypted key bag `copies`
   * times. Each bag is decrypted anew, so the file's cost is copies × the bag's iterations.
   */
  function manyShroudedBags(copies: number, iterations: number, password: string): Uint8Array {
    const { asn1, pki } = forge;
    const keyInfo = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(0).getBytes()),
    ]);
    const encrypted = pki.encryptPrivateKeyInfo(keyInfo, password, {
      algorithm: '3des',
      count: iterations,
    });
    const bag = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(
        asn1.Class.UNIVERSAL,
        asn1.Type.OID,
        false,
        asn1.oidToDer(pki.oids['pkcs8ShroudedKeyBag'] ?? '').getBytes(),
      ),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [encrypted]),
    ]);
    const bags = Array.from({ length: copies }, () => bag);
    const safeContents = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, bags);
    const dataInfo = (content: forge.asn1.Asn1) =>
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(
          asn1.Class.UNIVERSAL,
          asn1.Type.OID,
          false,
          asn1.oidToDer(pki.oids['data'] ?? '').getBytes(),
        ),
        asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
          asn1.create(
            asn1.Class.UNIVERSAL,
            asn1.Type.OCTETSTRING,
            false,
            asn1.toDer(content).getBytes(),
          ),
        ]),
      ]);
    const authSafe = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      dataInfo(safeContents),
    ]);
    const pfx = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(3).getBytes()),
      dataInfo(authSafe),
    ]);
    return Uint8Array.from(asn1.toDer(pfx).getBytes(), (char) => char.charCodeAt(0));
  }

  it(
    'refuses PEM text whose many encrypted key ' + 'blocks multiply an allowed work factor',
    async () => {
      const pkcs8 = await globalThis.crypto.subtle
        .generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign'])
        .then((pair) => globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey));
      const keyInfo = forge.asn1.fromDer(
        forge.util.createBuffer(String.fromCharCode(...new Uint8Array(pkcs8))),
      );
      const encrypted = forge.pki.encryptPrivateKeyInfo(keyInfo, 'pem-pass-alice', {
        algorithm: '3des',
        count: 20_000,
      });
      const block = forge.pki.encryptedPrivateKeyToPem(encrypted);
      const started = performance.now();
      const error = await failure(block.repeat(200), 'pem-pass-alice');
      expect(error.code).toBe('kdf_parameters_too_costly');
      expect(error.message).toMatch(/encrypted private keys/);
      expect(performance.now() - started).toBeLessThan(5000);
    },
    10_000,
  );

  it('refuses a file whose many encrypted bags multiply an allowed iteration count', async () => {
    // 200 bags at 20,000 iterations each: every bag is far within the per-derivation cap, together
    // they held the thread for about ten seconds (and 500,000 iterations for minutes).
    const file = manyShroudedBags(200, 20_000, 'p12-pass-alice');
    const started = performance.now();
    const error = await failure(file, 'p12-pass-alice');
    expect(error.code).toBe('kdf_parameters_too_costly');
    expect(error.message).toMatch(/encrypted parts/);
    expect(performance.now() - started).toBeLessThan(5000);
  }, 10_000);
});
