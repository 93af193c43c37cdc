import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CofferError } from '../../../../../shared/errors.ts';
import type { ErrorCode } from '../../../../../shared/protocol/error-codes.ts';
import { SshWriter, fromBase64, toBase64 } from '../../../../../shared/records/ssh/bytes.ts';
import {
  exportOpenSshPrivateKey,
  generateSshKey,
  importSsh,
  importSshPrivateKey,
  parseSshPublicKeys,
} from '../../../../../shared/records/ssh/index.ts';
import { KeyTool, hasOpenssl } from './ssh-keygen-tool.ts';

// Damaged, hostile and unsupported input: every refusal carries a specific code and a message
// naming the block, cipher or KDF at fault, and never the passphrase or key content.
const dir = join(import.meta.dirname, '../../../../fixtures/ssh');
const fixture = (name: string) => readFileSync(join(dir, name), 'utf8');
const tool = new KeyTool();
afterAll(() => tool.cleanup());

const SECRET_PASS = 'sentinel-pass-7f3a';

async function failure(run: () => Promise<unknown> | unknown): Promise<CofferError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CofferError) {
      expect(error.message).not.toContain(SECRET_PASS);
      return error;
    }
    throw error;
  }
  throw new Error('expected a CofferError');
}

async function expectFailure(
  run: () => Promise<unknown> | unknown,
  code: ErrorCode,
  messagePart?: string,
): Promise<void> {
  const error = await failure(run);
  expect(error.code).toBe(code);
  if (messagePart !== undefined) expect(error.message).toContain(messagePart);
}

const MAGIC = new TextEncoder().encode('openssh-key-v1\0');

/** Builds an OpenSSH key container with chosen header fields around a real key's parts. */
function craftOpenSsh(fields: {
  cipher: string;
  kdf: string;
  kdfOptions: Uint8Array;
  publicBlob: Uint8Array;
  section: Uint8Array;
}): string {
  const body = new SshWriter()
    .raw(MAGIC)
    .string(fields.cipher)
    .string(fields.kdf)
    .string(fields.kdfOptions)
    .uint32(1)
    .string(fields.publicBlob)
    .string(fields.section)
    .bytes();
  const lines = toBase64(body).match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

function publicBlobOf(line: string): Uint8Array {
  return fromBase64(line.split(' ')[1] ?? '', 'test');
}

describe('a passphrase problem is always named as one', () => {
  it(
    'a missing passphrase asks for it; a wrong ' + 'one says so, for every encrypted format',
    async () => {
      const cases: [string, string][] = [
        ['openssh', fixture('ssh-02-ed25519-bcrypt.key')],
        ['pkcs8', fixture('ssh-07-rsa-pkcs8-encrypted.pem')],
        ['putty v3', fixture('ssh-12-ed25519-ppk-v3-argon2id.ppk')],
      ];
      const pem = tool.generate(['-t', 'ecdsa', '-m', 'PEM'], 'pem-pass-1');
      cases.push(['pkcs1/sec1', tool.read(pem)]);
      for (const [, text] of cases) {
        await expectFailure(() => importSshPrivateKey(text), 'passphrase_required');
        await expectFailure(
          () => importSshPrivateKey(text, { passphrase: '' }),
          'passphrase_required',
        );
        await expectFailure(
          () => importSshPrivateKey(text, { passphrase: SECRET_PASS }),
          'wrong_passphrase',
        );
      }
    },
  );
});

describe('damaged input names what is wrong', () => {
  it('a truncated or corrupted PEM block', async () => {
    const text = fixture('ssh-01-ed25519-comment-spaces.key');
    await expectFailure(
      () => importSshPrivateKey(text.split('-----END')[0] ?? ''),
      'pem_block_damaged',
      'OPENSSH PRIVATE KEY block has no END line',
    );
    const corrupted = text.replace(/\n(.)/, '\n!');
    await expectFailure(() => importSshPrivateKey(corrupted), 'pem_block_damaged', 'base64');
  });

  it('a private key whose public half belongs to another key', async () => {
    const a = await generateSshKey({ type: 'ed25519' });
    const b = await generateSshKey({ type: 'ed25519' });
    if (a.material.type !== 'ssh-ed25519' || b.material.type !== 'ssh-ed25519') throw new Error();
    const spliced = exportOpenSshPrivateKey({
      material: { ...a.material, publicKey: b.material.publicKey },
      comment: 'spliced',
    });
    await expectFailure(() => importSshPrivateKey(spliced), 'ssh_key_damaged', 'does not match');
  });

  it('a cut-off private section', async () => {
    const key = await generateSshKey({ type: 'ed25519' }, { comment: 'alice' });
    const body = fromBase64(key.privateKey.split('\n').slice(1, -2).join(''), 'test');
    const short = craftOpenSsh({
      cipher: 'none',
      kdf: 'none',
      kdfOptions: new Uint8Array(0),
      publicBlob: publicBlobOf(key.publicKey),
      section: body.subarray(body.length - 60),
    });
    await expectFailure(() => importSshPrivateKey(short), 'ssh_key_damaged');
  });

  it('an altered PuTTY file fails its Private-MAC', async () => {
    const text = fixture('ssh-11-rsa-ppk-v2.ppk');
    const altered = text.replace(/^(Private-MAC: )(.)/m, (_m, p: string, c: string) => {
      return p + (c === '0' ? '1' : '0');
    });
    await expectFailure(() => importSshPrivateKey(altered), 'ssh_key_damaged', 'Private-MAC');
  });

  it('a public key line whose type differs from its encoded key', async () => {
    const line = fixture('ssh-01-ed25519-comment-spaces.pub').replace('ssh-ed25519', 'ssh-rsa');
    await expectFailure(() => parseSshPublicKeys(line), 'ssh_key_damaged', 'Line 1');
    await expectFailure(
      () => parseSshPublicKeys('ssh-ed25519 AAAA$$$ alice'),
      'ssh_key_damaged',
      'base64',
    );
  });

  it('text that is no SSH key at all', async () => {
    await expectFailure(() => importSsh('hello world'), 'ssh_format_unrecognised');
    await expectFailure(() => importSsh('\n\n  \n'), 'ssh_format_unrecognised', 'empty');
    const certificate = '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n';
    await expectFailure(() => importSsh(certificate), 'ssh_format_unrecognised', 'CERTIFICATE');
    await expectFailure(
      () => importSshPrivateKey(fixture('ssh-01-ed25519-comment-spaces.pub')),
      'ssh_format_unrecognised',
      'public key',
    );
    await expectFailure(() => importSsh('x'.repeat(300_000)), 'invalid_input');
  });
});

describe('unsupported input names the cipher, KDF or key type', () => {
  it('an unknown OpenSSH cipher or KDF, and a bcrypt work factor that would stall', async () => {
    const key = await generateSshKey({ type: 'ed25519' });
    const parts = {
      publicBlob: publicBlobOf(key.publicKey),
      section: new Uint8Array(32),
      kdfOptions: new SshWriter().string(new Uint8Array(16)).uint32(16).bytes(),
    };
    const twofish = craftOpenSsh({ ...parts, cipher: 'twofish256-cbc', kdf: 'bcrypt' });
    await expectFailure(
      () => importSshPrivateKey(twofish),
      'unsupported_algorithm',
      'twofish256-cbc',
    );
    const scrypt = craftOpenSsh({ ...parts, cipher: 'aes256-ctr', kdf: 'scrypt' });
    await expectFailure(
      () => importSshPrivateKey(scrypt, { passphrase: 'x' }),
      'unsupported_algorithm',
      'KDF scrypt',
    );
    const costly = craftOpenSsh({
      ...parts,
      cipher: 'aes256-ctr',
      kdf: 'bcrypt',
      kdfOptions: new SshWriter().string(new Uint8Array(16)).uint32(1_000_000).bytes(),
    });
    await expectFailure(
      () => importSshPrivateKey(costly, { passphrase: 'x' }),
      'kdf_parameters_too_costly',
      '1000000 bcrypt rounds',
    );
  });

  it('an unknown PEM DEK-Info cipher', async () => {
    const body = fixture('ssh-05-rsa-pkcs1.pem').split('\n').slice(1, -2).join('\n');
    const text = [
      '-----BEGIN RSA PRIVATE KEY-----',
      'Proc-Type: 4,ENCRYPTED',
      'DEK-Info: DES-CBC,0011223344556677',
      '',
      body,
      '-----END RSA PRIVATE KEY-----',
    ].join('\n');
    await expectFailure(
      () => importSshPrivateKey(text, { passphrase: 'x' }),
      'unsupported_algorithm',
      'DES-CBC',
    );
  });

  it('PuTTY files with an unknown version, cipher or an excessive Argon2 cost', async () => {
    const text = fixture('ssh-12-ed25519-ppk-v3-argon2id.ppk');
    await expectFailure(
      () => importSshPrivateKey(text.replace('PuTTY-User-Key-File-3', 'PuTTY-User-Key-File-1')),
      'unsupported_algorithm',
      'version',
    );
    await expectFailure(
      () => importSshPrivateKey(text.replace('Encryption: aes256-cbc', 'Encryption: serpent')),
      'unsupported_algorithm',
      'serpent',
    );
    await expectFailure(
      () =>
        importSshPrivateKey(text.replace('Argon2-Memory: 8192', 'Argon2-Memory: 99999999'), {
          passphrase: 'x',
        }),
      'kdf_parameters_too_costly',
      'Argon2-Memory',
    );
  });

  it(
    'PuTTY Argon2 memory and passes that are each ' + 'allowed but together a work-factor bomb',
    async () => {
      // 8 MiB (PuTTY's default) with 1000 passes, or 256 MiB with 64: minutes to hours of pure
      // JavaScript Argon2 before the wrong passphrase could even be reported.
      const text = fixture('ssh-12-ed25519-ppk-v3-argon2id.ppk');
      const bombs = [
        text.replace('Argon2-Passes: 8', 'Argon2-Passes: 1000'),
        text
          .replace('Argon2-Memory: 8192', 'Argon2-Memory: 262144')
          .replace('Argon2-Passes: 8', 'Argon2-Passes: 64'),
      ];
      for (const bomb of bombs) {
        const started = performance.now();
        await expectFailure(
          () => importSshPrivateKey(bomb, { passphrase: 'x' }),
          'kdf_parameters_too_costly',
          'Argon2',
        );
        expect(performance.now() - started).toBeLessThan(1000);
      }
    },
    5000,
  );

  it('DSA and security-key types', async () => {
    const dsa = tool.generate(['-t', 'dsa']);
    await expectFailure(() => importSshPrivateKey(tool.read(dsa)), 'unsupported_algorithm', 'DSA');
    await expectFailure(
      () => parseSshPublicKeys(tool.read(`${dsa}.pub`)),
      'unsupported_algorithm',
      'DSA',
    );
    const skBlob = new SshWriter()
      .string('sk-ssh-ed25519@openssh.com')
      .string(new Uint8Array(32))
      .string('ssh:')
      .bytes();
    await expectFailure(
      () => parseSshPublicKeys(`sk-ssh-ed25519@openssh.com ${toBase64(skBlob)} alice`),
      'unsupported_algorithm',
      'hardware token',
    );
  });

  it.skipIf(!hasOpenssl)('RSA keys below 1024 bits (needs the openssl CLI)', async () => {
    const weak = tool.fresh('weak');
    tool.openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:512', '-out', weak);
    await expectFailure(
      () => importSshPrivateKey(tool.read(weak)),
      'unsupported_algorithm',
      '512 bits',
    );
  });
});

describe('text is normalised on the way out', () => {
  it(
    'a CRLF PuTTY file without final newline ' + 'is stored with LF and one final newline',
    async () => {
      const text = fixture('ssh-11-rsa-ppk-v2.ppk').trimEnd().replace(/\n/g, '\r\n');
      const key = await importSshPrivateKey(`\uFEFF${text}`);
      expect(key.privateKey).toBe(`${text.replace(/\r\n/g, '\n')}\n`);
    },
  );

  it('a comment with a line break cannot split the public key line', async () => {
    const key = await generateSshKey({ type: 'ed25519' }, { comment: 'alice\nssh-rsa AAAA' });
    expect(key.publicKey.split('\n')).toHaveLength(1);
    expect(key.comment).toBe('alice ssh-rsa AAAA');
  });

  it('a certificate pasted with CRLF and no final newline comes back as one LF line', () => {
    const cert = fixture('ssh-16-ed25519-with-cert-cert.pub');
    const [entry] = parseSshPublicKeys(cert.trimEnd().replace(/\n/g, '\r\n'));
    expect(entry?.certificate?.certificate).toBe(cert);
  });
});
