// The whole kind of input, generated at test time with OpenSSL: DER vs PEM, PKCS#12 variants
// (empty password, no MAC, legacy ciphers, unencrypted bags), encrypted and traditional keys,
// damaged PEM, mismatched keys, chain order and signature checks.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children, encodeTlv, parseDer, type Tlv } from '../../../../../shared/records/asn1/der.ts';
import { importCertificate } from '../../../../../shared/records/cert/index.ts';
import { MAX_PKCS12_ITERATIONS } from '../../../../../shared/records/pkcs/pkcs12-kdf.ts';
import { KEY, OpensslWorkdir, hasOpenssl } from './openssl.ts';

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  return promise.then(
    () => expect.fail('expected the import to fail'),
    (error: unknown) => error as Error & { code?: string },
  );
}

function opensslFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

describe.skipIf(!hasOpenssl)('certificates generated with OpenSSL', () => {
  const work = new OpensslWorkdir();

  beforeAll(() => {
    work.certificate('root', '/O=Example/CN=Test Root', { key: KEY.rsa, ca: true, days: 3650 });
    work.certificate('inter', '/O=Example/CN=Test Issuing', {
      key: KEY.ecP384,
      ca: true,
      issuer: 'root',
    });
    work.certificate('leaf', '/CN=leaf.example.com', {
      issuer: 'inter',
      days: 90,
      extensions: [
        'subjectAltName=DNS:leaf.example.com,IP:192.0.2.7,IP:2001:db8::1,email:alice@example.com,URI:https://example.com/a',
      ],
    });
    work.write('chain.pem', work.text('leaf.pem') + work.text('inter.pem') + work.text('root.pem'));
    work.run(['x509', '-in', 'leaf.pem', '-outform', 'DER', '-out', 'leaf.der']);
  });

  afterAll(() => work.cleanup());

  it('reads DER and PEM of the same certificate identically', async () => {
    const fromPem = await importCertificate(work.text('leaf.pem'));
    const fromDer = await importCertificate(work.bytes('leaf.der'));
    expect(fromDer.format).toBe('der');
    expect(fromPem.format).toBe('pem');
    expect(fromDer.chain[0]?.certificate).toEqual(fromPem.chain[0]?.certificate);
    expect(fromPem.chain[0]?.certificate.sha256Fingerprint).toBe(
      opensslFingerprint(work.text('leaf.pem')),
    );
  });

  it('reads serial, SANs of every kind, key size and dates as OpenSSL does', async () => {
    const result = await importCertificate(work.text('chain.pem'));
    const leaf = result.chain[0]?.certificate;
    const reference = new X509Certificate(work.text('leaf.pem'));
    expect(leaf?.serialNumber.replaceAll(':', '')).toBe(
      reference.serialNumber.toUpperCase().replace(/^(00)+(?=.)/, ''),
    );
    expect(leaf?.serialNumber).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2})*$/);
    expect(leaf?.notAfter.getTime()).toBe(new Date(reference.validTo).getTime());
    expect(leaf?.subjectAltNames).toEqual([
      { type: 'dns', value: 'leaf.example.com' },
      { type: 'ip', value: '192.0.2.7' },
      { type: 'ip', value: '2001:db8::1' },
      { type: 'email', value: 'alice@example.com' },
      { type: 'uri', value: 'https://example.com/a' },
    ]);
    expect(result.chain.map((e) => e.certificate.publicKey)).toEqual([
      { algorithm: 'EC', bits: 256, curve: 'P-256' },
      { algorithm: 'EC', bits: 384, curve: 'P-384' },
      { algorithm: 'RSA', bits: 2048 },
    ]);
    // RSA root signs the P-384 intermediate, which signs the P-256 leaf.
    expect(result.chain.map((e) => e.signature)).toEqual(['valid', 'valid', 'valid']);
  });

  it('orders a chain given root first, and keeps an unrelated certificate at the end', async () => {
    work.certificate('stray', '/CN=stray.example.com');
    const reversed =
      work.text('root.pem') +
      work.text('stray.pem') +
      work.text('inter.pem') +
      work.text('leaf.pem');
    const result = await importCertificate(reversed);
    expect(result.chain.map((e) => e.certificate.subject)).toEqual([
      'CN=leaf.example.com',
      'CN=Test Issuing,O=Example',
      'CN=Test Root,O=Example',
      'CN=stray.example.com',
    ]);
    expect(result.chain[3]?.issuerIndex).toBe(3);
    expect(result.warnings.some((w) => w.includes('stray.example.com'))).toBe(true);
  });

  it('does not link an issuer whose key identifier differs, even with the right name', async () => {
    work.certificate('impostor', '/O=Example/CN=Test Issuing', { key: KEY.ecP384, ca: true });
    const result = await importCertificate(work.text('leaf.pem') + work.text('impostor.pem'));
    expect(result.chain[0]?.certificate.subject).toBe('CN=leaf.example.com');
    expect(result.chain[0]?.issuerIndex).toBeUndefined();
  });

  it('reports a tampered signature as invalid while keeping the link', async () => {
    const der = work.bytes('leaf.der');
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
    work.write('tampered.der', der);
    work.run(['x509', '-inform', 'DER', '-in', 'tampered.der', '-out', 'tampered.pem']);
    const result = await importCertificate(work.text('tampered.pem') + work.text('inter.pem'));
    expect(result.chain[0]?.issuerIndex).toBe(1);
    expect(result.chain[0]?.signature).toBe('invalid');
  });

  it('verifies RSA-PSS and Ed25519 signatures', async () => {
    work.certificate('pss', '/CN=pss.example.com', {
      key: KEY.rsa,
      issuer: 'root',
      extraArgs: ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'],
    });
    const pss = await importCertificate(work.text('pss.pem') + work.text('root.pem'));
    expect(pss.chain[0]?.certificate.signatureAlgorithm).toBe('1.2.840.113549.1.1.10');
    expect(pss.chain[0]?.signature).toBe('valid');
    work.certificate('ed', '/CN=ed.example.com', { key: KEY.ed25519, ca: true });
    const ed = await importCertificate(work.text('ed.pem') + work.text('ed.key'));
    expect(ed.chain[0]?.certificate.publicKey).toEqual({ algorithm: 'Ed25519', bits: 256 });
    expect(ed.chain[0]?.signature).toBe('valid');
    expect(ed.keyMatchesLeaf).toBe(true);
  });

  it('opens PKCS#12 with an empty password, with or without a password given', async () => {
    work.run([
      'pkcs12',
      '-export',
      '-in',
      'chain.pem',
      '-inkey',
      'leaf.key',
      '-out',
      'empty.p12',
      '-passout',
      'pass:',
    ]);
    for (const passphrase of [undefined, '']) {
      const result = await importCertificate(
        work.bytes('empty.p12'),
        passphrase === undefined ? {} : { passphrase },
      );
      expect(result.chain).toHaveLength(3);
      expect(result.keyMatchesLeaf).toBe(true);
    }
    const wrong = await failure(
      importCertificate(work.bytes('empty.p12'), { passphrase: 'not-empty' }),
    );
    expect(wrong.code).toBe('wrong_passphrase');
  });

  it('opens PKCS#12 without a MAC, and still tells a wrong password', async () => {
    const args = ['pkcs12', '-export', '-in', 'chain.pem', '-inkey', 'leaf.key', '-nomac'];
    work.run([...args, '-out', 'nomac.p12', '-passout', 'pass:alice-p12']);
    const result = await importCertificate(work.bytes('nomac.p12'), { passphrase: 'alice-p12' });
    expect(result.chain).toHaveLength(3);
    expect(result.keyMatchesLeaf).toBe(true);
    const wrong = await failure(
      importCertificate(work.bytes('nomac.p12'), { passphrase: 'alice-p13' }),
    );
    expect(wrong.code).toBe('wrong_passphrase');
    const missing = await failure(importCertificate(work.bytes('nomac.p12')));
    expect(missing.code).toBe('passphrase_required');
    work.run([...args, '-out', 'nomac-empty.p12', '-passout', 'pass:']);
    expect((await importCertificate(work.bytes('nomac-empty.p12'))).keyMatchesLeaf).toBe(true);
  });

  it('opens PKCS#12 with unencrypted bags, legacy ciphers and a SHA-512 MAC', async () => {
    const base = [
      'pkcs12',
      '-export',
      '-in',
      'chain.pem',
      '-inkey',
      'leaf.key',
      '-passout',
      'pass:alice-p12',
    ];
    work.run([...base, '-keypbe', 'NONE', '-certpbe', 'NONE', '-out', 'plain.p12']);
    work.run([...base, '-legacy', '-out', 'legacy.p12']);
    work.run([...base, '-macalg', 'sha512', '-keypbe', 'AES-128-CBC', '-out', 'sha512.p12']);
    for (const file of ['plain.p12', 'legacy.p12', 'sha512.p12']) {
      const result = await importCertificate(work.bytes(file), { passphrase: 'alice-p12' });
      expect(result.chain.map((e) => e.certificate.subject)[0]).toBe('CN=leaf.example.com');
      expect(result.keyMatchesLeaf).toBe(true);
    }
  });

  it('opens PKCS#12 with a high iteration count, and refuses one past the cap', async () => {
    const base = [
      'pkcs12',
      '-export',
      '-in',
      'leaf.pem',
      '-inkey',
      'leaf.key',
      '-passout',
      'pass:alice-p12',
    ];
    work.run([...base, '-iter', '200000', '-out', 'iter200k.p12']);
    work.run([...base, '-iter', String(MAX_PKCS12_ITERATIONS + 1), '-out', 'itermax.p12']);
    const start = performance.now();
    const slow = await importCertificate(work.bytes('iter200k.p12'), { passphrase: 'alice-p12' });
    console.log(
      `cert import PKCS#12 at 200,000 iterations: ${(performance.now() - start).toFixed(0)} ms`,
    );
    expect(slow.keyMatchesLeaf).toBe(true);
    const refused = await failure(
      importCertificate(work.bytes('itermax.p12'), { passphrase: 'alice-p12' }),
    );
    expect(refused.code).toBe('kdf_parameters_too_costly');
    expect(refused.message).toContain(String(MAX_PKCS12_ITERATIONS + 1));
  });

  it('opens an RSA PKCS#12 and stores the key as the same PKCS#8 OpenSSL writes', async () => {
    work.certificate('rsaleaf', '/CN=rsa.example.com', { key: KEY.rsa, issuer: 'root' });
    work.run([
      'pkcs12',
      '-export',
      '-in',
      'rsaleaf.pem',
      '-inkey',
      'rsaleaf.key',
      '-out',
      'rsa.p12',
      '-passout',
      'pass:alice-p12',
    ]);
    const result = await importCertificate(work.bytes('rsa.p12'), { passphrase: 'alice-p12' });
    expect(result.privateKey).toMatchObject({ algorithm: 'RSA', bits: 2048 });
    expect(result.privateKey?.pkcs8Pem).toBe(work.run(['pkey', '-in', 'rsaleaf.key']));
  });

  it(
    'reads encrypted PKCS#8 (PBES2, PKCS#12 PBE, PBES1), ' +
      'traditional RSA and legacy-encrypted PEM keys',
    async () => {
      work.certificate('rsa2', '/CN=rsa2.example.com', { key: KEY.rsa });
      work.run([
        'pkcs8',
        '-topk8',
        '-in',
        'rsa2.key',
        '-v2',
        'aes-256-cbc',
        '-passout',
        'pass:alice-key',
        '-out',
        'enc.key',
      ]);
      work.run(['rsa', '-in', 'rsa2.key', '-traditional', '-out', 'trad.key']);
      work.run([
        'rsa',
        '-in',
        'rsa2.key',
        '-traditional',
        '-aes256',
        '-passout',
        'pass:alice-key',
        '-out',
        'tradenc.key',
      ]);
      work.run([
        'ec',
        '-in',
        'leaf.key',
        '-des3',
        '-passout',
        'pass:alice-key',
        '-out',
        'ecenc.key',
      ]);
      const v1 = ['pkcs8', '-topk8', '-in', 'leaf.key', '-passout', 'pass:alice-key', '-v1'];
      work.run([...v1, 'PBE-SHA1-3DES', '-out', 'v1-3des.key']);
      const legacyProvider = ['-provider', 'legacy', '-provider', 'default'];
      work.run([...v1, 'PBE-MD5-DES', '-out', 'v1-md5des.key', ...legacyProvider]);
      work.run([...v1, 'PBE-SHA1-RC2-64', '-out', 'v1-sha1rc2.key', ...legacyProvider]);
      expect(work.text('trad.key')).toContain('BEGIN RSA PRIVATE KEY');
      expect(work.text('tradenc.key')).toContain('DEK-Info: AES-256-CBC');
      const cases = [
        ['rsa2.pem', 'enc.key'],
        ['rsa2.pem', 'trad.key'],
        ['rsa2.pem', 'tradenc.key'],
        ['leaf.pem', 'ecenc.key'],
        ['leaf.pem', 'v1-3des.key'],
        ['leaf.pem', 'v1-md5des.key'],
        ['leaf.pem', 'v1-sha1rc2.key'],
      ] as const;
      for (const [cert, key] of cases) {
        const input = work.text(cert) + work.text(key);
        const result = await importCertificate(input, { passphrase: 'alice-key' });
        expect(result.keyMatchesLeaf).toBe(true);
        expect(result.privateKey?.pkcs8Pem).toBe(
          work.run(['pkey', '-in', key, '-passin', 'pass:alice-key', ...legacyProvider]),
        );
        if (key !== 'trad.key') {
          const wrong = await failure(importCertificate(input, { passphrase: 'alice-kez' }));
          expect(wrong.code).toBe('wrong_passphrase');
          expect(wrong.message).not.toContain('alice-kez');
          expect((await failure(importCertificate(input))).code).toBe('passphrase_required');
        }
      }
    },
  );

  it('opens PKCS#12 protected by a non-ASCII password', async () => {
    const base = [
      'pkcs12',
      '-export',
      '-in',
      'leaf.pem',
      '-inkey',
      'leaf.key',
      '-passout',
      'pass:Zoë-Łódź-東京',
    ];
    work.run([...base, '-out', 'unicode.p12']);
    work.run([...base, '-legacy', '-out', 'unicode-legacy.p12']);
    for (const file of ['unicode.p12', 'unicode-legacy.p12']) {
      const result = await importCertificate(work.bytes(file), { passphrase: 'Zoë-Łódź-東京' });
      expect(result.keyMatchesLeaf).toBe(true);
    }
  });

  it(
    'names the curve OID of an EC key Coffer cannot ' + 'read, and still reads such a certificate',
    async () => {
      work.run(['ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', 'bp.key']);
      work.run([
        'req',
        '-config',
        'req.cnf',
        '-x509',
        '-key',
        'bp.key',
        '-subj',
        '/CN=bp.example.com',
        '-out',
        'bp.pem',
      ]);
      const certOnly = await importCertificate(work.text('bp.pem'));
      expect(certOnly.chain[0]?.certificate.publicKey).toEqual({
        algorithm: 'EC',
        bits: undefined,
        curve: '1.3.36.3.3.2.8.1.1.7',
      });
      expect(certOnly.chain[0]?.signature).toBe('unsupported');
      const withKey = await failure(importCertificate(work.text('bp.pem') + work.text('bp.key')));
      expect(withKey.code).toBe('unsupported_algorithm');
      expect(withKey.message).toContain('1.3.36.3.3.2.8.1.1.7');
    },
  );

  it('calls a cut-off legacy-encrypted key damaged, not a wrong passphrase', async () => {
    work.run(['ec', '-in', 'leaf.key', '-aes128', '-passout', 'pass:alice-key', '-out', 'cut.key']);
    const lines = work.text('cut.key').split('\n');
    const body = lines.findIndex((line) => line.startsWith('DEK-Info')) + 2;
    lines[body] = (lines[body] ?? '').slice(0, 44);
    const error = await failure(
      importCertificate(work.text('leaf.pem') + lines.join('\n'), { passphrase: 'alice-key' }),
    );
    expect(error.code).toBe('pem_block_damaged');
    expect(error.message).toMatch(/^PEM block 2 \(EC PRIVATE KEY, line \d+\) is truncated/);
  });

  it(
    'derives the public key of a SEC1 key stored ' +
      'without one, and refuses one whose halves disagree',
    async () => {
      work.run(['ec', '-in', 'leaf.key', '-no_public', '-out', 'nopub.key']);
      expect(work.text('nopub.key')).toContain('BEGIN EC PRIVATE KEY');
      const derived = await importCertificate(work.text('leaf.pem') + work.text('nopub.key'));
      expect(derived.keyMatchesLeaf).toBe(true);
      expect(derived.privateKey?.pkcs8Pem).toBe(work.run(['pkey', '-in', 'leaf.key']));
      // The leaf's scalar with another key's public point: a key that would "match" the wrong cert.
      work.certificate('other2', '/CN=other2.example.com');
      const sec1 = (name: string): Tlv[] => {
        const pem = work.run(['ec', '-in', name]);
        const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, '')), (c) =>
          c.charCodeAt(0),
        );
        return children(parseDer(der));
      };
      const [version, scalar, curve] = sec1('leaf.key');
      const [, , , otherPublic] = sec1('other2.key');
      const spliced = encodeTlv(
        0x30,
        ...[version, scalar, curve, otherPublic].map((part) => part?.raw ?? new Uint8Array()),
      );
      const pem = `-----BEGIN EC PRIVATE KEY-----\n${btoa(String.fromCharCode(...spliced))}\n-----END EC PRIVATE KEY-----\n`;
      const error = await failure(importCertificate(work.text('leaf.pem') + pem));
      expect(error.code).toBe('key_malformed');
      expect(error.message).toMatch(/public key that does not belong to it/);
    },
  );

  it(
    'keeps the matching key when a bundle holds ' + 'several, and warns only for different keys',
    async () => {
      work.certificate('other3', '/CN=other3.example.com');
      const pkcs8 = work.run(['pkey', '-in', 'leaf.key']);
      const sec1 = work.run(['ec', '-in', 'leaf.key']);
      const twice = await importCertificate(work.text('chain.pem') + pkcs8 + sec1);
      expect(twice.keyMatchesLeaf).toBe(true);
      expect(twice.warnings).toEqual([]);
      const mixed = await importCertificate(
        work.text('other3.key') + work.text('chain.pem') + pkcs8,
      );
      expect(mixed.keyMatchesLeaf).toBe(true);
      expect(mixed.privateKey?.pkcs8Pem).toBe(pkcs8);
      expect(mixed.warnings).toEqual([
        '2 different private keys were found; only one is kept with the certificate.',
      ]);
    },
  );

  it('reports a key that does not belong to the leaf', async () => {
    work.certificate('other', '/CN=other.example.com');
    const result = await importCertificate(work.text('chain.pem') + work.text('other.key'));
    expect(result.keyMatchesLeaf).toBe(false);
    expect(result.chain[0]?.certificate.subject).toBe('CN=leaf.example.com');
    expect(result.warnings).toContain('The private key does not belong to the leaf certificate.');
  });

  it('reads a PKCS#7 certificate bundle in PEM and DER', async () => {
    work.run(['crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-out', 'chain.p7b']);
    work.run([
      'crl2pkcs7',
      '-nocrl',
      '-certfile',
      'chain.pem',
      '-outform',
      'DER',
      '-out',
      'chain.p7b.der',
    ]);
    for (const input of [work.text('chain.p7b'), work.bytes('chain.p7b.der')]) {
      const result = await importCertificate(input);
      expect(result.chain.map((e) => e.issuerIndex)).toEqual([1, 2, 2]);
    }
  });

  it('decodes T61, BMP and Universal strings and escapes RFC 4514 specials', async () => {
    work.certificate('names', '/CN=Zürich/O=Doe, John/OU=#hash /L=Łódź 東京/ST=😀', {
      key: KEY.ed25519,
    });
    const asn1 = work.run(['asn1parse', '-in', 'names.pem']);
    expect(asn1).toContain('T61STRING');
    expect(asn1).toContain('BMPSTRING');
    const subject = (await importCertificate(work.text('names.pem'))).chain[0]?.certificate.subject;
    expect(subject).toBe('ST=😀,L=Łódź 東京,OU=\\#hash\\ ,O=Doe\\, John,CN=Zürich');
  });
});
