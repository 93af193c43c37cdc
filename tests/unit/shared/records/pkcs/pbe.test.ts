// The shared PKCS decryption pieces on their own: strict padding, scheme checks that run before
// any key is derived, the weak-cipher policy and the legacy PEM header checks.
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../../shared/errors.ts';
import { TAG, encodeOid, encodeTlv, parseDer } from '../../../../../shared/records/asn1/der.ts';
import { OID } from '../../../../../shared/records/asn1/oids.ts';
import {
  DecryptionFailed,
  cbcDecrypt,
  cbcRaw,
  unpadPkcs7,
  type CbcCipher,
} from '../../../../../shared/records/pkcs/cbc.ts';
import { readLegacyPem } from '../../../../../shared/records/pkcs/legacy-pem.ts';
import { MAX_PBKDF2_ITERATIONS, readPbeScheme } from '../../../../../shared/records/pkcs/pbe.ts';

const random = (length: number) => globalThis.crypto.getRandomValues(new Uint8Array(length));
const octets = (bytes: Uint8Array) => encodeTlv(TAG.octetString, bytes);
const integer = (value: number) =>
  encodeTlv(
    TAG.integer,
    Uint8Array.of(value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255),
  );

function pbes2(kdf: Uint8Array, cipherOid: string, iv: Uint8Array) {
  return parseDer(
    encodeTlv(
      TAG.sequence,
      encodeOid(OID.pbes2),
      encodeTlv(TAG.sequence, kdf, encodeTlv(TAG.sequence, encodeOid(cipherOid), octets(iv))),
    ),
  );
}

const pbkdf2 = (iterations: number) =>
  encodeTlv(
    TAG.sequence,
    encodeOid(OID.pbkdf2),
    encodeTlv(TAG.sequence, octets(random(8)), integer(iterations)),
  );

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CofferError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

describe('CBC with PKCS#7 padding', () => {
  it('decrypts what it encrypted for every cipher, padding included', () => {
    const cases: [CbcCipher, number, number][] = [
      ['AES-CBC', 32, 16],
      ['3DES-CBC', 24, 8],
      ['DES-CBC', 8, 8],
      ['RC2-CBC', 16, 8],
    ];
    for (const [cipher, keyLength, blockSize] of cases) {
      const key = random(keyLength);
      const iv = random(blockSize);
      const plain = random(blockSize + 3);
      const pad = blockSize - (plain.length % blockSize);
      const padded = Uint8Array.from([...plain, ...new Array<number>(pad).fill(pad)]);
      const sealed = cbcRaw('encrypt', cipher, key, iv, padded);
      expect(Array.from(cbcDecrypt(cipher, key, iv, sealed))).toEqual(Array.from(plain));
    }
  });

  it('checks every pad byte, not just the last', () => {
    expect(unpadPkcs7(Uint8Array.of(1, 2, 3, 4, 5, 3, 3, 3), 8)).toEqual(
      Uint8Array.of(1, 2, 3, 4, 5),
    );
    expect(unpadPkcs7(Uint8Array.of(1, 2, 3, 4, 5, 9, 3, 3), 8)).toBeNull();
    expect(unpadPkcs7(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 0), 8)).toBeNull();
  });

  it('reports a partial block as a failed decryption', () => {
    expect(() => cbcDecrypt('AES-CBC', random(16), random(16), random(20))).toThrow(
      DecryptionFailed,
    );
  });
});

describe('readPbeScheme', () => {
  it('refuses a crafted PBKDF2 work factor before deriving anything', () => {
    const algorithm = pbes2(pbkdf2(MAX_PBKDF2_ITERATIONS + 1), OID.aes256Cbc, random(16));
    expect(codeOf(() => readPbeScheme(algorithm, 'The key'))).toContain(
      `kdf_parameters_too_costly: The file asks for ${MAX_PBKDF2_ITERATIONS + 1} PBKDF2`,
    );
  });

  it('refuses scrypt parameters that would take more than 256 MiB', () => {
    const scrypt = encodeTlv(
      TAG.sequence,
      encodeOid(OID.scrypt),
      encodeTlv(TAG.sequence, octets(random(8)), integer(1 << 20), integer(8), integer(1)),
    );
    const algorithm = pbes2(scrypt, OID.aes256Cbc, random(16));
    expect(codeOf(() => readPbeScheme(algorithm, 'The key'))).toMatch(
      /^kdf_parameters_too_costly: .*N=1048576, r=8, p=1/,
    );
  });

  it('refuses scrypt whose parallelisation multiplies a 256 MiB derivation sixteen-fold', () => {
    // p runs ROMix p times over: 256 MiB with p = 16 is about half a minute of JavaScript scrypt,
    // although the memory used at any moment stays 256 MiB.
    const scrypt = encodeTlv(
      TAG.sequence,
      encodeOid(OID.scrypt),
      encodeTlv(TAG.sequence, octets(random(8)), integer(1 << 17), integer(16), integer(16)),
    );
    const algorithm = pbes2(scrypt, OID.aes256Cbc, random(16));
    expect(codeOf(() => readPbeScheme(algorithm, 'The key'))).toMatch(
      /^kdf_parameters_too_costly: .*N=131072, r=16, p=16/,
    );
  });

  it('accepts the scrypt parameters OpenSSL writes by default (N=16384, r=8, p=1)', () => {
    const scrypt = encodeTlv(
      TAG.sequence,
      encodeOid(OID.scrypt),
      encodeTlv(TAG.sequence, octets(random(8)), integer(1 << 14), integer(8), integer(1)),
    );
    const algorithm = pbes2(scrypt, OID.aes256Cbc, random(16));
    expect(codeOf(() => readPbeScheme(algorithm, 'The key'))).toBe('no error');
  });

  it('names single DES when the policy refuses weak ciphers, and accepts it otherwise', () => {
    const algorithm = pbes2(pbkdf2(2048), OID.desCbc, random(8));
    expect(codeOf(() => readPbeScheme(algorithm, 'The key', { weakCiphers: false }))).toBe(
      'unsupported_algorithm: The key encryption uses an unsupported algorithm ' +
        `(single DES (DES-CBC), OID ${OID.desCbc}).`,
    );
    expect(readPbeScheme(algorithm, 'The key').cipher).toBe('DES-CBC');
  });

  it('decrypts with the right password; a wrong one never yields the plaintext', async () => {
    const salt = random(8);
    const iv = random(16);
    const kdf = encodeTlv(
      TAG.sequence,
      encodeOid(OID.pbkdf2),
      encodeTlv(TAG.sequence, octets(salt), integer(1000)),
    );
    const base = await globalThis.crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode('alice-pass'),
      'PBKDF2',
      false,
      ['deriveBits'],
    );
    const key = new Uint8Array(
      await globalThis.crypto.subtle.deriveBits(
        { name: 'PBKDF2', salt, iterations: 1000, hash: 'SHA-1' },
        base,
        128,
      ),
    );
    const plain = random(16);
    const sealed = cbcRaw(
      'encrypt',
      'AES-CBC',
      key,
      iv,
      Uint8Array.from([...plain, ...new Array<number>(16).fill(16)]),
    );
    const scheme = readPbeScheme(pbes2(kdf, OID.aes128Cbc, iv), 'The key');
    expect(Array.from(await scheme.decrypt(sealed, { text: 'alice-pass' }))).toEqual(
      Array.from(plain),
    );
    const wrong = await scheme.decrypt(sealed, { text: 'mallory' }).catch((error) => error);
    if (!(wrong instanceof DecryptionFailed))
      expect(Array.from(wrong)).not.toEqual(Array.from(plain));
  });

  it('refuses an IV of the wrong length as damage', () => {
    const algorithm = pbes2(pbkdf2(2048), OID.aes256Cbc, random(8));
    expect(() => readPbeScheme(algorithm, 'The key')).toThrow('PBES2 IV must be 16 bytes');
  });
});

describe('readLegacyPem', () => {
  const headers = (dekInfo?: string) =>
    new Map([
      ['Proc-Type', '4,ENCRYPTED'],
      ...(dekInfo === undefined ? [] : [['DEK-Info', dekInfo] as [string, string]]),
    ]);

  it('names a missing DEK-Info header, a bad IV and a cut-off body as damage', () => {
    expect(codeOf(() => readLegacyPem(headers(), random(16), 'The block'))).toMatch(
      /^pem_block_damaged: The block is encrypted but has no DEK-Info header/,
    );
    expect(
      codeOf(() => readLegacyPem(headers('AES-128-CBC,0011'), random(16), 'The block')),
    ).toMatch(/^pem_block_damaged: .*without a valid IV/);
    const iv = '00112233445566778899aabbccddeeff';
    expect(
      codeOf(() => readLegacyPem(headers(`AES-128-CBC,${iv}`), random(20), 'The block')),
    ).toMatch(/^pem_block_damaged: .*not whole blocks/);
  });

  it('refuses DES-CBC under the strict policy and quotes no unreadable cipher name', () => {
    const des = headers('DES-CBC,0011223344556677');
    expect(
      codeOf(() => readLegacyPem(des, random(16), 'The block', { weakCiphers: false })),
    ).toMatch(/^unsupported_algorithm: .*\(DES-CBC\)/);
    expect(() => readLegacyPem(des, random(16), 'The block')).not.toThrow();
    const odd = headers('\u202eEVIL,0011223344556677');
    expect(codeOf(() => readLegacyPem(odd, random(16), 'The block'))).toMatch(/\(\?\)\.$/);
  });
});
