import { CofferError } from '../../errors.ts';
import { bytesToBigInt, fromBase64 } from './bytes.ts';
import { describeKey } from './fingerprint.ts';
import type { SshPrivateKey } from './import.ts';
import { ed25519FromSeed, publicOf, rsaFromParts } from './key-material.ts';
import type { SshPrivateMaterial } from './key-material.ts';
import { writeOpenSshPrivateKey } from './openssh-private.ts';

/**
 * New SSH keys. Ed25519 is the default (small, fast, no parameter choices); RSA 3072/4096 is for
 * servers that still refuse Ed25519. RSA comes from WebCrypto, exported as JWK, and is written
 * out as OpenSSH; the private key is always produced in the OpenSSH format.
 */

export type SshKeySpec =
  { readonly type: 'ed25519' } | { readonly type: 'rsa'; readonly bits: 3072 | 4096 };

export interface SshGenerateOptions {
  readonly comment?: string;
  /** Encrypts the private key with bcrypt-kdf and aes256-ctr, as ssh-keygen does. */
  readonly passphrase?: string;
  /** bcrypt rounds for the passphrase; ssh-keygen's default is 16. */
  readonly rounds?: number;
}

function fromBase64Url(value: unknown, name: string): bigint {
  if (typeof value !== 'string') {
    throw new CofferError('crypto_rng_failure', `The generated RSA key lacks ${name}`);
  }
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  return bytesToBigInt(fromBase64(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='), name));
}

async function generateRsa(bits: number): Promise<SshPrivateMaterial> {
  const pair = await globalThis.crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: bits,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  );
  const jwk = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey);
  return rsaFromParts({
    n: fromBase64Url(jwk.n, 'n'),
    e: fromBase64Url(jwk.e, 'e'),
    d: fromBase64Url(jwk.d, 'd'),
    p: fromBase64Url(jwk.p, 'p'),
    q: fromBase64Url(jwk.q, 'q'),
  });
}

export async function generateSshKey(
  spec: SshKeySpec,
  options: SshGenerateOptions = {},
): Promise<SshPrivateKey> {
  let material: SshPrivateMaterial;
  if (spec.type === 'ed25519') {
    material = ed25519FromSeed(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  } else if (spec.type === 'rsa' && (spec.bits === 3072 || spec.bits === 4096)) {
    material = await generateRsa(spec.bits);
  } else {
    throw new CofferError('invalid_input', 'SSH keys are generated as Ed25519 or RSA 3072/4096');
  }
  const comment = options.comment ?? '';
  const writeOptions = {
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
    ...(options.rounds === undefined ? {} : { rounds: options.rounds }),
  };
  const info = describeKey(publicOf(material), comment);
  return {
    ...info,
    format: 'openssh',
    encrypted: options.passphrase !== undefined && options.passphrase !== '',
    privateKey: writeOpenSshPrivateKey(material, info.comment, writeOptions),
    material,
  };
}
