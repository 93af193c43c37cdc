import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../../../shared/errors.ts';
import {
  exportOpenSshPrivateKey,
  generateSshKey,
  importSsh,
  importSshPrivateKey,
  parseSshPublicKeys,
} from '../../../../../shared/records/ssh/index.ts';
import type { SshPrivateKey } from '../../../../../shared/records/ssh/index.ts';
import { KeyTool, hasOpenssl } from './ssh-keygen-tool.ts';

// Coffer's SSH code checked against OpenSSH 9 and OpenSSL 3 as independent implementations:
// keys Coffer writes must load in ssh-keygen with the same fingerprint and public key, and keys
// the tools write in every format and cipher must import with the fingerprint ssh-keygen shows.
const tool = new KeyTool();
afterAll(() => tool.cleanup());

const PASS = 'correct horse 42';

/** The private key as ssh-keygen sees it: fingerprint, bits and the public key it derives. */
function checkWithSshKeygen(key: SshPrivateKey, text: string, passphrase = ''): void {
  const file = tool.writePrivate(text);
  const derived = tool.sshKeygen('-y', '-P', passphrase, '-f', file).trim();
  expect(derived).toBe(key.publicKey);
  const listed = tool.fingerprint(file);
  expect(listed.fingerprint).toBe(key.fingerprint);
  expect(listed.bits).toBe(key.bits);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('generated keys round-trip through Coffer and ssh-keygen', () => {
  it(
    'Ed25519: OpenSSH private key, public line ' + 'and fingerprint agree with ssh-keygen',
    async () => {
      const key = await generateSshKey(
        { type: 'ed25519' },
        { comment: 'alice@example.com laptop' },
      );
      expect(key.privateKey.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----\n')).toBe(true);
      expect(key.privateKey.endsWith('-----END OPENSSH PRIVATE KEY-----\n')).toBe(true);
      expect(key.privateKey).not.toContain('\r');
      expect(key.publicKey).toMatch(
        /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\S+ alice@example.com laptop$/,
      );
      checkWithSshKeygen(key, key.privateKey);
      const again = await importSshPrivateKey(key.privateKey);
      expect(again.fingerprint).toBe(key.fingerprint);
      expect(again.comment).toBe('alice@example.com laptop');
      expect(parseSshPublicKeys(key.publicKey)[0]?.fingerprint).toBe(key.fingerprint);
    },
  );

  it('Ed25519 with a passphrase: bcrypt + aes256-ctr that ssh-keygen can open', async () => {
    const key = await generateSshKey({ type: 'ed25519' }, { comment: 'alice', passphrase: PASS });
    expect(key.encrypted).toBe(true);
    checkWithSshKeygen(key, key.privateKey, PASS);
    const again = await importSshPrivateKey(key.privateKey, { passphrase: PASS });
    expect(again.fingerprint).toBe(key.fingerprint);
    const wrong = await rejection(importSshPrivateKey(key.privateKey, { passphrase: 'nope!' }));
    expect(isCofferError(wrong, 'wrong_passphrase')).toBe(true);
  });

  it('RSA 3072 from WebCrypto is written as OpenSSH that ssh-keygen reads', async () => {
    const key = await generateSshKey(
      { type: 'rsa', bits: 3072 },
      { comment: 'deploy@example.com' },
    );
    expect(key.type).toBe('ssh-rsa');
    expect(key.bits).toBe(3072);
    checkWithSshKeygen(key, key.privateKey);
    const again = await importSshPrivateKey(key.privateKey);
    expect(again.fingerprint).toBe(key.fingerprint);
    // ssh-keygen re-encrypting our key proves every private field (d, iqmp, p, q) is right:
    // it refuses to load an RSA key whose components do not fit together.
    const file = tool.writePrivate(key.privateKey);
    tool.sshKeygen('-p', '-P', '', '-N', PASS, '-f', file);
    const reencrypted = await importSshPrivateKey(tool.read(file), { passphrase: PASS });
    expect(reencrypted.fingerprint).toBe(key.fingerprint);
  });

  it('RSA 4096 with a passphrase round-trips', async () => {
    const key = await generateSshKey(
      { type: 'rsa', bits: 4096 },
      { comment: 'ci@example.com', passphrase: PASS },
    );
    expect(key.bits).toBe(4096);
    checkWithSshKeygen(key, key.privateKey, PASS);
  }, 60_000);

  it(
    're-exports keys from other formats as ' + 'OpenSSH, encrypted with any supported cipher',
    async () => {
      const rsaFile = tool.generate(['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-C', 'x']);
      const rsa = await importSshPrivateKey(tool.read(rsaFile));
      expect(rsa.format).toBe('pkcs1');
      checkWithSshKeygen(rsa, exportOpenSshPrivateKey(rsa));
      const ecFile = tool.generate(['-t', 'ecdsa', '-b', '521', '-m', 'PKCS8']);
      const ec = await importSshPrivateKey(tool.read(ecFile));
      for (const cipher of [
        'aes256-gcm@openssh.com',
        'chacha20-poly1305@openssh.com',
        'aes128-cbc',
      ]) {
        const text = exportOpenSshPrivateKey(ec, { passphrase: PASS, cipher, rounds: 2 });
        checkWithSshKeygen(ec, text, PASS);
      }
    },
  );
});

describe('keys written by ssh-keygen in every cipher and format import', () => {
  const ciphers = [
    'aes256-ctr',
    'aes192-ctr',
    'aes128-ctr',
    'aes256-cbc',
    'aes192-cbc',
    'aes128-cbc',
    'aes256-gcm@openssh.com',
    'aes128-gcm@openssh.com',
    'chacha20-poly1305@openssh.com',
    '3des-cbc',
  ];
  it.each(ciphers)('OpenSSH key encrypted with %s', async (cipher) => {
    const file = tool.generate(['-t', 'ed25519', '-a', '2', '-Z', cipher, '-C', cipher], PASS);
    const expected = tool.fingerprint(`${file}.pub`);
    const key = await importSshPrivateKey(tool.read(file), { passphrase: PASS });
    expect(key.fingerprint).toBe(expected.fingerprint);
    expect(key.comment).toBe(cipher);
    const wrong = await rejection(importSshPrivateKey(tool.read(file), { passphrase: 'Pass' }));
    expect(isCofferError(wrong, 'wrong_passphrase')).toBe(true);
  });

  const kinds: [string, string[]][] = [
    ['RSA 2048', ['-t', 'rsa', '-b', '2048']],
    ['ECDSA P-256', ['-t', 'ecdsa', '-b', '256']],
    ['ECDSA P-384', ['-t', 'ecdsa', '-b', '384']],
    ['ECDSA P-521', ['-t', 'ecdsa', '-b', '521']],
  ];
  const formats: [string, string[], string][] = [
    ['OpenSSH', [], ''],
    ['OpenSSH encrypted', ['-a', '2'], PASS],
    ['PEM', ['-m', 'PEM'], ''],
    ['PEM encrypted (AES-128-CBC)', ['-m', 'PEM'], PASS],
    ['PKCS #8', ['-m', 'PKCS8'], ''],
    ['PKCS #8 encrypted (PBES2)', ['-m', 'PKCS8'], PASS],
  ];
  for (const [kind, kindArgs] of kinds) {
    it.each(formats)(`${kind} as %s`, async (_name, formatArgs, passphrase) => {
      const file = tool.generate([...kindArgs, ...formatArgs, '-C', 'bob@example.com'], passphrase);
      const expected = tool.fingerprint(`${file}.pub`);
      const options = passphrase === '' ? {} : { passphrase };
      const key = await importSshPrivateKey(tool.read(file), options);
      expect(key.fingerprint).toBe(expected.fingerprint);
      expect(key.bits).toBe(expected.bits);
      expect(key.encrypted).toBe(passphrase !== '');
      if (passphrase !== '') {
        const missing = await rejection(importSshPrivateKey(tool.read(file)));
        expect(isCofferError(missing, 'passphrase_required')).toBe(true);
        const wrong = await rejection(importSshPrivateKey(tool.read(file), { passphrase: 'x' }));
        expect(isCofferError(wrong, 'wrong_passphrase')).toBe(true);
      }
    });
  }
});

describe.skipIf(!hasOpenssl)('keys written by OpenSSL (skipped without the openssl CLI)', () => {
  const variants: [string, (inFile: string, outFile: string) => string[]][] = [
    [
      'PKCS #1 DES-EDE3-CBC',
      (i, o) => ['rsa', '-in', i, '-traditional', '-des3', '-passout', `pass:${PASS}`, '-out', o],
    ],
    [
      'PKCS #1 AES-256-CBC',
      (i, o) => ['rsa', '-in', i, '-traditional', '-aes256', '-passout', `pass:${PASS}`, '-out', o],
    ],
    [
      'PKCS #8 PBES2 3DES',
      (i, o) => ['pkcs8', '-topk8', '-in', i, '-v2', 'des3', '-passout', `pass:${PASS}`, '-out', o],
    ],
    [
      'PKCS #8 PBES2 AES-128 HMAC-SHA1',
      (i, o) => [
        'pkcs8',
        '-topk8',
        '-in',
        i,
        '-v2',
        'aes-128-cbc',
        '-v2prf',
        'hmacWithSHA1',
        '-passout',
        `pass:${PASS}`,
        '-out',
        o,
      ],
    ],
    [
      'PKCS #8 PBES2 AES-192 HMAC-SHA512',
      (i, o) => [
        'pkcs8',
        '-topk8',
        '-in',
        i,
        '-v2',
        'aes-192-cbc',
        '-v2prf',
        'hmacWithSHA512',
        '-passout',
        `pass:${PASS}`,
        '-out',
        o,
      ],
    ],
    [
      'PKCS #8 scrypt AES-256',
      (i, o) => ['pkcs8', '-topk8', '-in', i, '-scrypt', '-passout', `pass:${PASS}`, '-out', o],
    ],
    [
      'PKCS #8 PKCS #12 SHA1-3DES',
      (i, o) => [
        'pkcs8',
        '-topk8',
        '-in',
        i,
        '-v1',
        'PBE-SHA1-3DES',
        '-passout',
        `pass:${PASS}`,
        '-out',
        o,
      ],
    ],
  ];
  let source = '';
  beforeAll(() => {
    source = tool.generate(['-t', 'rsa', '-b', '2048', '-m', 'PEM']);
  });
  it.each(variants)('%s', async (_name, args) => {
    const expected = tool.fingerprint(`${source}.pub`);
    const out = tool.fresh('openssl');
    tool.openssl(...args(source, out));
    const key = await importSshPrivateKey(tool.read(out), { passphrase: PASS });
    expect(key.fingerprint).toBe(expected.fingerprint);
    const wrong = await rejection(importSshPrivateKey(tool.read(out), { passphrase: 'wrong' }));
    expect(isCofferError(wrong, 'wrong_passphrase')).toBe(true);
  });

  it('EC key with EC PARAMETERS block first, encrypted with AES-256-CBC', async () => {
    const plain = tool.fresh('ec');
    tool.openssl('ecparam', '-name', 'secp384r1', '-genkey', '-out', plain);
    const out = tool.fresh('ec-enc');
    tool.openssl('ec', '-in', plain, '-aes256', '-passout', `pass:${PASS}`, '-out', out);
    const params = tool.read(plain).split('-----BEGIN EC PRIVATE KEY-----')[0];
    const withParams = `${params}${tool.read(out)}`;
    const pubFile = tool.fresh('ec-pub');
    tool.openssl('ec', '-in', plain, '-pubout', '-out', pubFile);
    const [pub] = parseSshPublicKeys(tool.read(pubFile));
    const key = await importSshPrivateKey(withParams, { passphrase: PASS });
    expect(key.type).toBe('ecdsa-sha2-nistp384');
    expect(key.fingerprint).toBe(pub?.fingerprint);
    const plainKey = await importSshPrivateKey(tool.read(plain));
    expect(plainKey.fingerprint).toBe(pub?.fingerprint);
  });

  it('Ed25519 PKCS #8 from OpenSSL', async () => {
    const file = tool.fresh('ed');
    tool.openssl('genpkey', '-algorithm', 'ed25519', '-out', file);
    const key = await importSshPrivateKey(tool.read(file));
    const opensshFile = tool.writePrivate(exportOpenSshPrivateKey(key));
    expect(tool.fingerprint(opensshFile).fingerprint).toBe(key.fingerprint);
    const spki = tool.openssl('pkey', '-in', file, '-pubout');
    expect(parseSshPublicKeys(spki)[0]?.fingerprint).toBe(key.fingerprint);
  });
});

describe('public key forms written by ssh-keygen', () => {
  // ssh-keygen exports Ed25519 only as RFC 4716; its SPKI form is checked with OpenSSL above.
  const rsa = ['-t', 'rsa', '-b', '2048'];
  const ecdsa = ['-t', 'ecdsa'];
  const ed25519 = ['-t', 'ed25519'];
  it.each([
    ['RFC 4716', ['-e'], [rsa, ecdsa, ed25519]],
    ['PKCS #8 / SPKI PEM', ['-e', '-m', 'PKCS8'], [rsa, ecdsa]],
    ['PKCS #1 RSA PUBLIC KEY', ['-e', '-m', 'PEM'], [rsa]],
  ])('%s gives the same fingerprint', (_name, args, types) => {
    for (const type of types) {
      const file = tool.generate([...type, '-C', 'carol@example.com']);
      const exported = tool.sshKeygen(...args, '-f', `${file}.pub`);
      const [key] = parseSshPublicKeys(exported);
      expect(key?.fingerprint).toBe(tool.fingerprint(`${file}.pub`).fingerprint);
    }
  });

  it('RFC 4716 keeps a quoted, continued comment header', () => {
    const file = tool.generate(['-t', 'ed25519']);
    const body = tool.sshKeygen('-e', '-f', `${file}.pub`).split('\n');
    const block = [
      body[0],
      'Subject: alice',
      'Comment: "alice@example.com \\',
      'work laptop"',
      ...body.slice(1).filter((line) => !line.startsWith('Comment:')),
    ].join('\r\n');
    const [key] = parseSshPublicKeys(block);
    expect(key?.comment).toBe('alice@example.com work laptop');
    expect(key?.fingerprint).toBe(tool.fingerprint(`${file}.pub`).fingerprint);
  });

  it('an authorized_keys file yields each key with its options and line', () => {
    const a = tool.generate(['-t', 'ed25519', '-C', 'a@example.com']);
    const b = tool.generate(['-t', 'ecdsa', '-C', 'b@example.com']);
    const text = [
      '# managed by example.com',
      '',
      `restrict,command="echo \\"hi there\\"" ${tool.read(`${a}.pub`).trim()}`,
      `  ${tool.read(`${b}.pub`).trim()}`,
      '',
    ].join('\n');
    const keys = parseSshPublicKeys(text);
    expect(keys.map((k) => [k.line, k.options, k.comment])).toEqual([
      [3, 'restrict,command="echo \\"hi there\\""', 'a@example.com'],
      [4, '', 'b@example.com'],
    ]);
    expect(keys[1]?.fingerprint).toBe(tool.fingerprint(`${b}.pub`).fingerprint);
  });
});

describe('certificates signed by ssh-keygen', () => {
  it.each([
    ['an RSA CA (rsa-sha2-512)', ['-t', 'rsa', '-b', '2048']],
    ['an ECDSA P-256 CA', ['-t', 'ecdsa', '-b', '256']],
    ['an ECDSA P-521 CA', ['-t', 'ecdsa', '-b', '521']],
  ])('host certificate from %s: fields, signature and attachment', async (_name, caArgs) => {
    const ca = tool.generate(caArgs);
    const host = tool.generate(['-t', 'ecdsa', '-b', '384', '-C', 'host.example.com']);
    tool.sshKeygen(
      '-s',
      ca,
      '-I',
      'host key 1',
      '-h',
      '-n',
      'host.example.com,192.0.2.7',
      '-V',
      '20250101000000:20260101000000',
      '-z',
      '18446744073709551615',
      `${host}.pub`,
    );
    const certText = tool.read(`${host}-cert.pub`);
    const result = await importSsh(`${tool.read(host)}${certText}`);
    expect(result.kind).toBe('private-key');
    const cert = result.kind === 'private-key' ? result.key.certificate : undefined;
    expect(cert?.kind).toBe('host');
    expect(cert?.keyId).toBe('host key 1');
    expect(cert?.serial).toBe('18446744073709551615');
    expect(cert?.principals).toEqual(['host.example.com', '192.0.2.7']);
    expect(cert?.validAfter?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(cert?.validBefore?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(cert?.caFingerprint).toBe(tool.fingerprint(`${ca}.pub`).fingerprint);
    expect(cert?.key.fingerprint).toBe(tool.fingerprint(`${host}.pub`).fingerprint);
    expect(cert?.signatureValid).toBe(true);
  });

  it(
    'a certificate pasted after a PuTTY key ' + 'attaches without becoming part of the key',
    async () => {
      const ppk = readFileSync(
        join(import.meta.dirname, '../../../../fixtures/ssh/ssh-11-rsa-ppk-v2.ppk'),
        'utf8',
      );
      const key = await importSshPrivateKey(ppk);
      const ca = tool.generate(['-t', 'ed25519']);
      const pub = tool.fresh('ppk-pub');
      writeFileSync(`${pub}.pub`, `${key.publicKey}\n`);
      tool.sshKeygen('-s', ca, '-I', 'putty user', '-n', 'alice', `${pub}.pub`);
      const withCert = await importSshPrivateKey(`${ppk}\n${tool.read(`${pub}-cert.pub`)}`);
      expect(withCert.certificate?.keyId).toBe('putty user');
      expect(withCert.privateKey).toBe(ppk);
    },
  );

  it('user certificate with critical options, unbounded validity and a forged signature', () => {
    const ca = tool.generate(['-t', 'ed25519']);
    const user = tool.generate(['-t', 'ed25519']);
    tool.sshKeygen(
      '-s',
      ca,
      '-I',
      'alice',
      '-n',
      'alice',
      '-O',
      'force-command=/usr/bin/backup --quiet',
      '-O',
      'source-address=192.0.2.0/24',
      `${user}.pub`,
    );
    const line = tool.read(`${user}-cert.pub`);
    const cert = parseSshPublicKeys(line)[0]?.certificate;
    expect(cert?.criticalOptions).toEqual([
      { name: 'force-command', value: '/usr/bin/backup --quiet' },
      { name: 'source-address', value: '192.0.2.0/24' },
    ]);
    expect(cert?.validAfter).toBeNull();
    expect(cert?.validBefore).toBeNull();
    expect(cert?.signatureValid).toBe(true);
    // Same length key id, so the structure still parses but the CA signature cannot match.
    const [type, data = ''] = line.split(' ');
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const at = bytes.findIndex(
      (_, i) => String.fromCharCode(...bytes.subarray(i, i + 5)) === 'alice',
    );
    bytes[at] = 'm'.charCodeAt(0);
    const forged = `${type} ${btoa(String.fromCharCode(...bytes))}`;
    const forgedCert = parseSshPublicKeys(forged)[0]?.certificate;
    expect(forgedCert?.keyId).toBe('mlice');
    expect(forgedCert?.signatureValid).toBe(false);
  });
});
