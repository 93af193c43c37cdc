// The real-world certificate cases (cases/README.md, cert-*), copied with their expected values
// into tests/fixtures/cert. Every expected value below is also checked to appear verbatim in the
// case's .expected.txt, so this table cannot drift from the case file.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../../../shared/errors.ts';
import {
  importCertificate,
  type CertificateImport,
} from '../../../../../shared/records/cert/index.ts';

const FIXTURES = join(import.meta.dirname, '../../../../fixtures/cert');
const NOW = new Date('2026-06-01T12:00:00Z');

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

function expectedText(caseId: string): string {
  return readFileSync(join(FIXTURES, `${caseId}.expected.txt`), 'utf8');
}

/** Parses the case files' OpenSSL date form, e.g. "Jan  1 00:00:00 2026 GMT". */
function opensslDate(text: string): Date {
  return new Date(text.replace(/^(\w{3})\s+(\d+) (\S+) (\d{4}) GMT$/, '$1 $2 $4 $3 UTC'));
}

interface ExpectedCert {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  sha256: string;
}

const LEAF: ExpectedCert = {
  subject: 'CN=www.example.com',
  issuer: 'CN=Example Test Issuing CA 1,O=Example Org,C=US',
  notBefore: 'Jan  1 00:00:00 2026 GMT',
  notAfter: 'Dec 31 23:59:59 2030 GMT',
  sha256:
    'DE:ED:64:FE:45:9D:B6:C7:D0:8E:9E:5E:1F:4B:EC:7C:0A:61:0F:0B:85:27:91:A8:E6:41:35:2D:5B:F1:5E:B4',
};

const INTERMEDIATE: ExpectedCert = {
  subject: 'CN=Example Test Issuing CA 1,O=Example Org,C=US',
  issuer: 'CN=Example Test Root CA,O=Example Org,C=US',
  notBefore: 'Jan  1 00:00:00 2025 GMT',
  notAfter: 'Jan  1 00:00:00 2035 GMT',
  sha256:
    'FE:AF:02:7D:A3:A8:12:B4:BB:A2:5B:62:71:64:A6:B7:2C:2B:03:5A:E4:FC:DD:5B:35:06:1A:BD:30:0A:1C:7C',
};

const ROOT: ExpectedCert = {
  subject: 'CN=Example Test Root CA,O=Example Org,C=US',
  issuer: 'CN=Example Test Root CA,O=Example Org,C=US',
  notBefore: 'Jan  1 00:00:00 2025 GMT',
  notAfter: 'Jan  1 00:00:00 2045 GMT',
  sha256:
    '3E:43:B4:93:74:89:4E:01:35:2E:DB:51:6D:AC:0D:A3:D8:03:26:14:29:64:2E:A2:ED:98:F8:AA:0C:BF:B4:7E',
};

function expectCertificate(
  result: CertificateImport,
  index: number,
  want: ExpectedCert,
  caseId: string,
): void {
  const text = expectedText(caseId);
  expect(text).toContain(`subject='${want.subject}'`);
  expect(text).toContain(`issuer='${want.issuer}'`);
  expect(text).toContain(`notBefore=${want.notBefore}`);
  expect(text).toContain(`notAfter=${want.notAfter}`);
  expect(text).toContain(`SHA256=${want.sha256}`);
  const cert = result.chain[index]?.certificate;
  expect(cert?.subject).toBe(want.subject);
  expect(cert?.issuer).toBe(want.issuer);
  expect(cert?.notBefore.toISOString()).toBe(opensslDate(want.notBefore).toISOString());
  expect(cert?.notAfter.toISOString()).toBe(opensslDate(want.notAfter).toISOString());
  expect(cert?.sha256Fingerprint).toBe(want.sha256);
}

function expectFullChain(result: CertificateImport, caseId: string): void {
  expect(result.chain).toHaveLength(3);
  expectCertificate(result, 0, LEAF, caseId);
  // Only cert-01 spells out the intermediate and root; the other cases carry the same chain.
  expectCertificate(result, 1, INTERMEDIATE, 'cert-01');
  expectCertificate(result, 2, ROOT, 'cert-01');
  expect(result.chain.map((entry) => entry.issuerIndex)).toEqual([1, 2, 2]);
  expect(result.chain.map((entry) => entry.signature)).toEqual(['valid', 'valid', 'valid']);
  expect(result.chain.map((entry) => entry.certificate.isCa)).toEqual([false, true, true]);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the import to fail'),
    (error: unknown) => error,
  );
}

describe('certificate cases', () => {
  it(
    'cert-01: keeps a fullchain PEM in leaf → ' + 'intermediate → root order with verified links',
    async () => {
      const result = await importCertificate(fixture('cert-01-fullchain.pem'), { now: NOW });
      expect(expectedText('cert-01')).toContain(
        '3 certificates, in order leaf->intermediate->root',
      );
      expect(result.format).toBe('pem');
      expectFullChain(result, 'cert-01');
      expect(expectedText('cert-01')).toContain('SAN DNS www.example.com, example.com');
      expect(result.chain[0]?.certificate.subjectAltNames).toEqual([
        { type: 'dns', value: 'www.example.com' },
        { type: 'dns', value: 'example.com' },
      ]);
      expect(result.privateKey).toBeUndefined();
      expect(result.keyMatchesLeaf).toBeUndefined();
      expect(result.warnings).toEqual([]);
    },
  );

  it(
    'cert-01: stores the chain as LF-only PEM ' + 'that re-imports to the same fingerprints',
    async () => {
      const first = await importCertificate(fixture('cert-01-fullchain.pem'), { now: NOW });
      expect(first.chainPem).not.toContain('\r');
      expect(first.chainPem.match(/-----BEGIN CERTIFICATE-----\n/g)).toHaveLength(3);
      const again = await importCertificate(first.chainPem, { now: NOW });
      expect(again.chain.map((e) => e.certificate.sha256Fingerprint)).toEqual(
        first.chain.map((e) => e.certificate.sha256Fingerprint),
      );
    },
  );

  it('cert-02: reads binary DER as the same certificate as the cert-01 leaf', async () => {
    const der = fixture('cert-02-leaf.cer');
    expect([der[0], der[1]]).toEqual([0x30, 0x82]);
    const result = await importCertificate(der, { now: NOW });
    expect(result.format).toBe('der');
    expect(result.chain).toHaveLength(1);
    expectCertificate(result, 0, LEAF, 'cert-02');
    expect(result.chain[0]?.issuerIndex).toBeUndefined();
    expect(result.chain[0]?.signature).toBeUndefined();
  });

  it('cert-03: opens OpenSSL 3 PKCS#12 (PBES2/AES-256, SHA-256 MAC) with its EC key', async () => {
    expect(expectedText('cert-03')).toContain("Password 'p12-pass-03'");
    const result = await importCertificate(fixture('cert-03-modern-aes.p12'), {
      passphrase: 'p12-pass-03',
      now: NOW,
    });
    expect(result.format).toBe('pkcs12');
    expectFullChain(result, 'cert-03');
    expect(result.privateKey).toMatchObject({ algorithm: 'EC', curve: 'P-256', bits: 256 });
    expect(result.keyMatchesLeaf).toBe(true);
    expect(expectedText('cert-03')).toContain("friendlyName 'www.example.com'");
    expect(result.friendlyName).toBe('www.example.com');
  });

  it('cert-03: a wrong PKCS#12 password is reported as wrong_passphrase', async () => {
    const error = await rejection(
      importCertificate(fixture('cert-03-modern-aes.p12'), { passphrase: 'p12-pass-04', now: NOW }),
    );
    expect(isCofferError(error, 'wrong_passphrase')).toBe(true);
    expect((error as Error).message).toMatch(/password is wrong/);
    expect((error as Error).message).not.toContain('p12-pass-04');
  });

  it('cert-03: a PKCS#12 file without a password given asks for one', async () => {
    const error = await rejection(
      importCertificate(fixture('cert-03-modern-aes.p12'), { now: NOW }),
    );
    expect(isCofferError(error, 'passphrase_required')).toBe(true);
  });

  it('cert-06: opens legacy PKCS#12 (RC2-40 certificates, 3DES key, SHA-1 MAC)', async () => {
    expect(expectedText('cert-06')).toContain("password 'p12-pass-06'");
    const result = await importCertificate(fixture('cert-06-legacy-rc2.p12'), {
      passphrase: 'p12-pass-06',
      now: NOW,
    });
    expect(result.format).toBe('pkcs12');
    expect(result.chain).toHaveLength(3);
    expectCertificate(result, 0, LEAF, 'cert-06');
    expect(result.keyMatchesLeaf).toBe(true);
    const wrong = await rejection(
      importCertificate(fixture('cert-06-legacy-rc2.p12'), { passphrase: 'p12-pass-03', now: NOW }),
    );
    expect(isCofferError(wrong, 'wrong_passphrase')).toBe(true);
  });

  it('cert-07: keeps an expired certificate and flags it expired', async () => {
    const result = await importCertificate(fixture('cert-07-expired.pem'), { now: NOW });
    expect(expectedText('cert-07')).toContain('flag EXPIRED');
    expectCertificate(
      result,
      0,
      {
        subject: 'O=Example Org,CN=old.example.com',
        issuer: LEAF.issuer,
        notBefore: 'Jan  1 00:00:00 2020 GMT',
        notAfter: 'Jan  1 00:00:00 2021 GMT',
        sha256:
          '59:F1:DB:25:0B:A4:3C:56:2B:D9:DB:C8:6F:86:09:91:FD:97:55:5C:9E:46:39:FE:BD:99:22:06:F4:11:B2:3F',
      },
      'cert-07',
    );
    expect(result.chain[0]?.validity.state).toBe('expired');
    expect(result.chain[0]?.validity.daysLeft).toBeLessThan(0);
    expect(result.chainPem).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('cert-08: shows UTF8String and BMPString attributes as exact Unicode', async () => {
    const result = await importCertificate(fixture('cert-08-unicode-subject.pem'), { now: NOW });
    const name = 'CN=Zoë Müller-Łukasz,OU=東京オフィス,O=Société Exemple SA,L=Zürich,C=CH';
    expectCertificate(
      result,
      0,
      {
        subject: name,
        issuer: name,
        notBefore: 'Jan  1 00:00:00 2025 GMT',
        notAfter: 'Jan  1 00:00:00 2035 GMT',
        sha256:
          '6C:FC:63:3D:B4:E8:B0:46:C0:AB:FF:D4:13:D6:F8:DE:BB:64:D8:77:3D:4B:47:7F:A3:57:9E:FA:F2:FE:E9:7D',
      },
      'cert-08',
    );
    const subject = result.chain[0]?.certificate.subject ?? '';
    expect(subject).not.toMatch(/Ã|Å|\uFFFD|\\x|\\C3/);
    // Exact code points: "ë" precomposed (U+00EB), "Ł" U+0141, the OU read as UTF-16BE.
    expect(Array.from(subject.slice(3, 6), (c) => c.codePointAt(0))).toEqual([0x5a, 0x6f, 0xeb]);
    expect(subject).toContain('OU=\u6771\u4eac\u30aa\u30d5\u30a3\u30b9,');
    expect(result.chain[0]?.signature).toBe('valid');
  });

  it(
    'cert-10: ignores Bag Attributes text and CRLF, ' + 'finding one EC key and three certificates',
    async () => {
      const bytes = fixture('cert-10-bag-attributes-crlf.pem');
      expect(new TextDecoder().decode(bytes)).toContain('Bag Attributes\r\n');
      const result = await importCertificate(bytes, { now: NOW });
      expect(expectedText('cert-10')).toContain(
        'find 1 EC private key + 3 certs; key matches leaf',
      );
      expectFullChain(result, 'cert-10');
      expect(result.privateKey?.algorithm).toBe('EC');
      expect(result.keyMatchesLeaf).toBe(true);
      expect(result.privateKey?.pkcs8Pem).not.toContain('\r');
    },
  );

  it(
    'cert-12: detects a SEC1 EC key before the ' + 'certificate and matches it to the leaf',
    async () => {
      const result = await importCertificate(fixture('cert-12-ec-key-and-cert.pem'), { now: NOW });
      expect(expectedText('cert-12')).toContain("'BEGIN EC PRIVATE KEY' (SEC1, prime256v1)");
      expectCertificate(result, 0, LEAF, 'cert-12');
      expect(result.privateKey).toMatchObject({ algorithm: 'EC', curve: 'P-256' });
      expect(result.keyMatchesLeaf).toBe(true);
      // The stored PKCS#8 is a real key whose public half is the certificate's
      // (checked by OpenSSL).
      const pem = result.privateKey?.pkcs8Pem ?? '';
      expect(pem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
      const fromKey = createPublicKey(createPrivateKey(pem)).export({
        type: 'spki',
        format: 'der',
      });
      const cert = new X509Certificate(result.chainPem);
      expect(fromKey.equals(cert.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
    },
  );
});
