import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  DEFAULT_SEAL_LIMIT,
  encodeAad,
  fromHex,
  fromUtf8,
  generateAeadKeyBytes,
  importAeadKey,
  open,
  openMany,
  openManySettled,
  randomBytes,
  seal,
  sealMany,
  toHex,
  utf8,
  type AeadKey,
} from '../../../../shared/crypto/index.ts';

const newKey = async () => importAeadKey(generateAeadKeyBytes());
const aadFor = (record: string, revision: number) =>
  encodeAad('record', ['folder-1', record, revision, 1]);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'no error';
}

// AES-256 test cases 14 and 16 of the GCM specification (McGrew & Viega), the vectors NIST
// published with SP 800-38D; 16 carries associated data. Raw GCM is tested by framing the
// vector as a sealed blob: 0x01 ‖ IV ‖ ciphertext ‖ tag.
const GCM_VECTORS = [
  {
    name: 'test case 14 (zero key, one block, no AAD)',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    aad: '',
    plaintext: '00'.repeat(16),
    ciphertext: 'cea7403d4d606b6e074ec5d3baf39d18',
    tag: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  {
    name: 'test case 16 (60-byte plaintext, 20-byte AAD)',
    key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
    iv: 'cafebabefacedbaddecaf888',
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    plaintext:
      'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    ciphertext:
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];

describe('AES-256-GCM known answers', () => {
  it.each(GCM_VECTORS)('opens NIST GCM $name', async (v) => {
    const key = await importAeadKey(fromHex(v.key));
    const blob = concatBytes(
      Uint8Array.of(1),
      fromHex(v.iv),
      fromHex(v.ciphertext),
      fromHex(v.tag),
    );
    expect(toHex(await open(key, blob, fromHex(v.aad)))).toBe(v.plaintext);
  });

  it.each(GCM_VECTORS)('refuses NIST GCM $name with one tag bit flipped', async (v) => {
    const key = await importAeadKey(fromHex(v.key));
    const tag = fromHex(v.tag);
    tag[0]! ^= 0x80;
    const blob = concatBytes(Uint8Array.of(1), fromHex(v.iv), fromHex(v.ciphertext), tag);
    expect(await codeOf(open(key, blob, fromHex(v.aad)))).toBe('crypto_integrity_failed');
  });
});

describe('seal and open', () => {
  it('round-trips empty, short and large plaintexts', async () => {
    const key = await newKey();
    for (const size of [0, 1, 400, 100_000]) {
      const plaintext = randomBytes(size);
      const blob = await seal(key, plaintext, aadFor('r1', 1));
      expect(blob).toHaveLength(size + 29);
      expect(blob[0]).toBe(1);
      expect(toHex(await open(key, blob, aadFor('r1', 1)))).toBe(toHex(plaintext));
    }
  });

  it('never yields the same blob twice for the same input', async () => {
    const key = await newKey();
    const a = await seal(key, utf8('password'), aadFor('r1', 1));
    const b = await seal(key, utf8('password'), aadFor('r1', 1));
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('does not contain the plaintext in the blob', async () => {
    const key = await newKey();
    const marker = 'SENTINEL-7f3a-correct-horse';
    const blob = await seal(key, utf8(marker), aadFor('r1', 1));
    expect(fromUtf8Lossy(blob)).not.toContain(marker);
  });

  it('rejects keys that are not 32 bytes', async () => {
    for (const length of [0, 16, 24, 31, 33, 64]) {
      await expect(importAeadKey(new Uint8Array(length))).rejects.toMatchObject({
        code: 'invalid_input',
      });
    }
  });

  it('rejects a look-alike object in place of an imported key', async () => {
    const fake = { algorithm: 'AES-256-GCM', sealCount: 0, sealLimit: 10 } as AeadKey;
    expect(await codeOf(seal(fake, utf8('x'), utf8('y')))).toBe('invalid_input');
  });
});

function fromUtf8Lossy(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

describe('tampering: every case fails with its own code (CR-03, CR-04)', () => {
  async function sealed() {
    const key = await newKey();
    const aad = aadFor('r1', 3);
    const blob = await seal(key, utf8('db password: correct horse'), aad);
    return { key, aad, blob };
  }

  it('a flipped bit anywhere after the version byte → crypto_integrity_failed', async () => {
    const { key, aad, blob } = await sealed();
    for (let i = 1; i < blob.length; i += 1) {
      const bad = blob.slice();
      bad[i]! ^= 1 << (i % 8);
      expect(await codeOf(open(key, bad, aad))).toBe('crypto_integrity_failed');
    }
  });

  it(
    'associated data of another record, revision, ' + 'folder or kind → crypto_integrity_failed',
    async () => {
      const { key, blob } = await sealed();
      for (const other of [
        aadFor('r2', 3),
        aadFor('r1', 2),
        encodeAad('record', ['folder-2', 'r1', 3, 1]),
        encodeAad('folder-name', ['folder-1', 'r1', 3, 1]),
        new Uint8Array(0),
      ]) {
        expect(await codeOf(open(key, blob, other))).toBe('crypto_integrity_failed');
      }
    },
  );

  it('a blob shorter than version + IV + tag → crypto_truncated', async () => {
    const { key, aad, blob } = await sealed();
    for (const length of [0, 1, 13, 28]) {
      expect(await codeOf(open(key, blob.subarray(0, length), aad))).toBe('crypto_truncated');
    }
  });

  it('a blob cut inside its ciphertext or tag → crypto_integrity_failed', async () => {
    const { key, aad, blob } = await sealed();
    for (const cut of [1, 8, 16]) {
      expect(await codeOf(open(key, blob.subarray(0, blob.length - cut), aad))).toBe(
        'crypto_integrity_failed',
      );
    }
  });

  it('a different key → crypto_integrity_failed (GCM cannot tell it from tampering)', async () => {
    const { aad, blob } = await sealed();
    expect(await codeOf(open(await newKey(), blob, aad))).toBe('crypto_integrity_failed');
  });

  it('an unknown version byte → crypto_unsupported_version, asking to update the app', async () => {
    const { key, aad, blob } = await sealed();
    for (const version of [0x00, 0x02, 0xff]) {
      const bad = blob.slice();
      bad[0] = version;
      await expect(open(key, bad, aad)).rejects.toMatchObject({
        code: 'crypto_unsupported_version',
        message: expect.stringContaining('update the app'),
      });
    }
    // Checked before length: a short blob of a future version is still "unsupported".
    expect(await codeOf(open(key, Uint8Array.of(2, 0, 0), aad))).toBe('crypto_unsupported_version');
  });

  it('error messages carry no plaintext or key material', async () => {
    const { key, blob } = await sealed();
    try {
      await open(key, blob, aadFor('r9', 9));
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toMatch(/correct horse/);
    }
  });
});

describe('key usage limit (CR-02)', () => {
  it('refuses to seal past the limit, and counts batches up front', async () => {
    const key = await importAeadKey(generateAeadKeyBytes(), { sealLimit: 5 });
    await seal(key, utf8('1'), utf8('a'));
    await sealMany(key, [
      { data: utf8('2'), aad: utf8('a') },
      { data: utf8('3'), aad: utf8('a') },
    ]);
    expect(key.sealCount).toBe(3);
    expect(
      await codeOf(
        sealMany(
          key,
          [1, 2, 3].map((n) => ({ data: utf8(String(n)), aad: utf8('a') })),
        ),
      ),
    ).toBe('crypto_key_usage_exhausted');
    expect(key.sealCount).toBe(3);
    await seal(key, utf8('4'), utf8('a'));
    await seal(key, utf8('5'), utf8('a'));
    expect(await codeOf(seal(key, utf8('6'), utf8('a')))).toBe('crypto_key_usage_exhausted');
  });

  it('keeps opening after the limit: only encryption is bounded', async () => {
    const key = await importAeadKey(generateAeadKeyBytes(), { sealLimit: 1 });
    const blob = await seal(key, utf8('alice'), utf8('a'));
    expect(await codeOf(seal(key, utf8('bob'), utf8('a')))).toBe('crypto_key_usage_exhausted');
    expect(fromUtf8(await open(key, blob, utf8('a')))).toBe('alice');
  });

  it('defaults far below 2^32 and cannot be raised past the default', async () => {
    expect(DEFAULT_SEAL_LIMIT).toBeLessThanOrEqual(2 ** 28);
    const key = await newKey();
    expect(key.sealLimit).toBe(DEFAULT_SEAL_LIMIT);
    await expect(
      importAeadKey(generateAeadKeyBytes(), { sealLimit: DEFAULT_SEAL_LIMIT + 1 }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('batches', () => {
  it('sealMany and openMany keep order and bind each item to its own AAD', async () => {
    const key = await newKey();
    const items = Array.from({ length: 500 }, (_, i) => ({
      data: utf8(`secret ${i}`),
      aad: aadFor(`r${i}`, 1),
    }));
    const blobs = await sealMany(key, items);
    const opened = await openMany(
      key,
      blobs.map((data, i) => ({ data, aad: items[i]!.aad })),
    );
    expect(opened.map(fromUtf8)).toEqual(items.map((_, i) => `secret ${i}`));
  });

  it('openMany rejects naming the failing item; openManySettled isolates it', async () => {
    const key = await newKey();
    const items = Array.from({ length: 20 }, (_, i) => ({
      data: utf8(`v${i}`),
      aad: aadFor(`r${i}`, 1),
    }));
    const blobs = await sealMany(key, items);
    const swapped = blobs.map((data, i) => ({ data, aad: items[i]!.aad }));
    // A hostile server swaps records 3 and 4 (CR-03).
    [swapped[3]!.data, swapped[4]!.data] = [blobs[4]!, blobs[3]!];
    await expect(openMany(key, swapped)).rejects.toMatchObject({
      code: 'crypto_integrity_failed',
      message: expect.stringMatching(/^item 3:/),
    });
    const settled = await openManySettled(key, swapped);
    expect(settled.map((r) => r.ok)).toEqual(items.map((_, i) => i !== 3 && i !== 4));
    const failed = settled[3]!;
    expect(failed.ok === false && failed.error.code).toBe('crypto_integrity_failed');
  });

  it('handles an empty batch', async () => {
    const key = await newKey();
    expect(await sealMany(key, [])).toEqual([]);
    expect(await openMany(key, [])).toEqual([]);
  });

  it('validates every item before sealing any', async () => {
    const key = await newKey();
    const items = [
      { data: utf8('a'), aad: utf8('b') },
      { data: 'x', aad: utf8('b') },
    ];
    expect(await codeOf(sealMany(key, items as never))).toBe('invalid_input');
    expect(key.sealCount).toBe(0);
  });
});

describe('nonce uniqueness (CR-02)', () => {
  it('uses no IV twice over 100,000 seals under one key', async () => {
    const key = await newKey();
    const items = Array.from({ length: 100_000 }, () => ({
      data: new Uint8Array(4),
      aad: utf8('r'),
    }));
    const blobs = await sealMany(key, items);
    const ivs = new Set<string>();
    for (const blob of blobs) ivs.add(toHex(blob.subarray(1, 13)));
    expect(ivs.size).toBe(100_000);
    expect(key.sealCount).toBe(100_000);
  }, 180_000);
});
