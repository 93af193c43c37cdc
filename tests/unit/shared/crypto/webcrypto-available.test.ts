import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('offers WebCrypto with AES-GCM, ECDH and ECDSA on P-256', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
    ]);
    expect(key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    const ecdh = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
      'deriveBits',
    ]);
    expect(ecdh.publicKey.algorithm).toMatchObject({ namedCurve: 'P-256' });
  });
});
