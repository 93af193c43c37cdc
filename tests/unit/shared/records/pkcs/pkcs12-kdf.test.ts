// The PKCS#12 key derivation (RFC 7292 B.2) against node-forge's independent implementation,
// over several hashes, lengths that span more than one hash output, and non-ASCII passwords.
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import {
  KDF_PURPOSE,
  MAX_PKCS12_ITERATIONS,
  PKCS12_HASHES,
  bmpPassword,
  pkcs12Kdf,
} from '../../../../../shared/records/pkcs/pkcs12-kdf.ts';
import { OID } from '../../../../../shared/records/asn1/oids.ts';

const toBinary = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

function forgeKdf(
  password: string,
  salt: Uint8Array,
  id: number,
  iterations: number,
  length: number,
  md: string,
): Uint8Array {
  const digest =
    md === 'sha1'
      ? forge.md.sha1.create()
      : md === 'sha256'
        ? forge.md.sha256.create()
        : forge.md.sha512.create();
  const key = forge.pkcs12.generateKey(
    password,
    forge.util.createBuffer(toBinary(salt)),
    id,
    iterations,
    length,
    digest,
  );
  return Uint8Array.from(key.getBytes(), (c) => c.charCodeAt(0));
}

describe('PKCS#12 key derivation', () => {
  const cases = [
    { md: 'sha1', oid: OID.sha1 },
    { md: 'sha256', oid: OID.sha256 },
    { md: 'sha512', oid: OID.sha512 },
  ];
  for (const { md, oid } of cases) {
    it(`matches an independent implementation with ${md}`, () => {
      const hash = PKCS12_HASHES[oid];
      if (hash === undefined) throw new Error('hash missing');
      for (const password of ['alice-p12', 'Zoë Łukasz 東京', 'x'.repeat(150)]) {
        const salt = crypto.getRandomValues(new Uint8Array(8 + (password.length % 13)));
        for (const [purpose, length] of [
          [KDF_PURPOSE.key, 24],
          [KDF_PURPOSE.iv, 8],
          [KDF_PURPOSE.mac, 70],
        ] as const) {
          const ours = pkcs12Kdf(hash, bmpPassword(password), salt, purpose, 7, length);
          expect(ours).toEqual(forgeKdf(password, salt, purpose, 7, length, md));
        }
      }
    });
  }

  it('encodes the password as UTF-16BE with a terminator, or nothing for the absent form', () => {
    expect(bmpPassword('aé')).toEqual(Uint8Array.of(0, 0x61, 0, 0xe9, 0, 0));
    expect(bmpPassword('')).toEqual(Uint8Array.of(0, 0));
    expect(bmpPassword('', 'absent')).toEqual(new Uint8Array());
  });

  it('refuses iteration counts that would hang the app', () => {
    const sha1 = PKCS12_HASHES[OID.sha1];
    if (sha1 === undefined) throw new Error('hash missing');
    expect(() =>
      pkcs12Kdf(sha1, bmpPassword('a'), new Uint8Array(8), 1, MAX_PKCS12_ITERATIONS + 1, 8),
    ).toThrow(expect.objectContaining({ code: 'kdf_parameters_too_costly' }));
    expect(() => pkcs12Kdf(sha1, bmpPassword('a'), new Uint8Array(8), 1, 0, 8)).toThrow(
      expect.objectContaining({ code: 'kdf_parameters_too_costly' }),
    );
  });
});
