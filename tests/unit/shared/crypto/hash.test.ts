import { describe, expect, it } from 'vitest';
import {
  fromHex,
  hkdfSha256,
  hmacSha256,
  sha256,
  toHex,
  utf8,
  verifyHmacSha256,
} from '../../../../shared/crypto/index.ts';

describe('SHA-256', () => {
  it('matches the FIPS 180-2 "abc" and empty-string digests', async () => {
    expect(toHex(await sha256(utf8('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(toHex(await sha256(new Uint8Array(0)))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});

// RFC 4231 §4 (test case 5 truncates the output and is not applicable).
const RFC4231 = [
  {
    name: 'case 1',
    key: '0b'.repeat(20),
    data: '4869205468657265',
    mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    name: 'case 2 (short key)',
    key: '4a656665',
    data: '7768617420646f2079612077616e7420666f72206e6f7468696e673f',
    mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    name: 'case 3',
    key: 'aa'.repeat(20),
    data: 'dd'.repeat(50),
    mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
  {
    name: 'case 4',
    key: '0102030405060708090a0b0c0d0e0f10111213141516171819',
    data: 'cd'.repeat(50),
    mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  {
    name: 'case 6 (key longer than a block)',
    key: 'aa'.repeat(131),
    data: '54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374',
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    name: 'case 7 (long key and data)',
    key: 'aa'.repeat(131),
    data: '5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e',
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

describe('HMAC-SHA-256', () => {
  it.each(RFC4231)('matches RFC 4231 $name', async ({ key, data, mac }) => {
    expect(toHex(await hmacSha256(fromHex(key), fromHex(data)))).toBe(mac);
    expect(await verifyHmacSha256(fromHex(key), fromHex(data), fromHex(mac))).toBe(true);
  });

  it('verification fails for a changed MAC, changed data, wrong key or wrong length', async () => {
    const key = utf8('bind-proof key for alice');
    const data = utf8('device-id|public-keys');
    const mac = await hmacSha256(key, data);
    const flipped = mac.slice();
    flipped[31]! ^= 1;
    expect(await verifyHmacSha256(key, data, flipped)).toBe(false);
    expect(await verifyHmacSha256(key, utf8('device-id|public-keyz'), mac)).toBe(false);
    expect(await verifyHmacSha256(utf8('another key'), data, mac)).toBe(false);
    expect(await verifyHmacSha256(key, data, mac.subarray(0, 16))).toBe(false);
    expect(await verifyHmacSha256(key, data, new Uint8Array(0))).toBe(false);
  });

  it('rejects an empty key', async () => {
    await expect(hmacSha256(new Uint8Array(0), utf8('x'))).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});

// RFC 5869 Appendix A, test cases 1-3 (SHA-256).
const RFC5869 = [
  {
    name: 'case 1',
    ikm: '0b'.repeat(22),
    salt: '000102030405060708090a0b0c',
    info: 'f0f1f2f3f4f5f6f7f8f9',
    length: 42,
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    name: 'case 2 (long inputs)',
    ikm: hexRange(0x00, 0x4f),
    salt: hexRange(0x60, 0xaf),
    info: hexRange(0xb0, 0xff),
    length: 82,
    okm: 'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  {
    name: 'case 3 (empty salt and info)',
    ikm: '0b'.repeat(22),
    salt: '',
    info: '',
    length: 42,
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
];

function hexRange(from: number, to: number): string {
  let out = '';
  for (let i = from; i <= to; i += 1) out += i.toString(16).padStart(2, '0');
  return out;
}

describe('HKDF-SHA-256', () => {
  it.each(RFC5869)('matches RFC 5869 $name', async ({ ikm, salt, info, length, okm }) => {
    expect(toHex(await hkdfSha256(fromHex(ikm), fromHex(salt), fromHex(info), length))).toBe(okm);
  });

  it('encodes a string info as UTF-8', async () => {
    const ikm = utf8('device token bytes');
    const fromString = await hkdfSha256(ikm, new Uint8Array(0), 'coffer/device-id', 32);
    const fromBytes = await hkdfSha256(ikm, new Uint8Array(0), utf8('coffer/device-id'), 32);
    const other = await hkdfSha256(ikm, new Uint8Array(0), 'coffer/bind-proof', 32);
    expect(toHex(fromString)).toBe(toHex(fromBytes));
    expect(toHex(fromString)).not.toBe(toHex(other));
  });

  it.each([0, -1, 8161, 1.5])('rejects output length %s', async (length) => {
    await expect(hkdfSha256(utf8('k'), utf8('s'), 'i', length)).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
