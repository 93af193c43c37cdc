import type * as NodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKeyPair,
  signP1363,
  utf8,
  verifyP1363,
} from '../../../../shared/crypto/index.ts';

// Interoperability with Node's own crypto (the server verifies device signatures with it):
// Node-only. The module name sits in a variable so the Chromium bundle never resolves it.
const inNode = typeof window === 'undefined';
const nodeCryptoName = 'node:crypto';
const loadNodeCrypto = async () =>
  (await import(/* @vite-ignore */ nodeCryptoName)) as typeof NodeCrypto;

describe.skipIf(!inNode)('P1363 signatures against node:crypto', () => {
  const data = utf8('GET\n/v1/folders\nvault.example.com\n1700000000\nn0nce\ndevice-1\ne3b0c442');

  it(
    'a WebCrypto signature verifies with ' + 'crypto.verify({ dsaEncoding: "ieee-p1363" })',
    async () => {
      const nodeCrypto = await loadNodeCrypto();
      const { publicKey, privateKey } = await generateSigningKeyPair();
      const signature = await signP1363(privateKey, data);
      const key = nodeCrypto.createPublicKey({
        key: {
          kty: 'EC',
          crv: 'P-256',
          x: b64u(publicKey.subarray(1, 33)),
          y: b64u(publicKey.subarray(33)),
        },
        format: 'jwk',
      });
      const verify = (sig: Uint8Array) =>
        nodeCrypto.verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
      expect(verify(signature)).toBe(true);
      const flipped = signature.slice();
      flipped[10]! ^= 1;
      expect(verify(flipped)).toBe(false);
      // Without the option Node reads the signature as DER and must not accept the raw form.
      expect(nodeCrypto.verify('sha256', data, key, signature)).toBe(false);
    },
  );

  it('a node:crypto P1363 signature verifies with verifyP1363', async () => {
    const nodeCrypto = await loadNodeCrypto();
    const pair = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const raw = pair.publicKey.export({ format: 'jwk' });
    const publicKey = new Uint8Array([4, ...unb64u(raw.x!), ...unb64u(raw.y!)]);
    const signature = nodeCrypto.sign('sha256', data, {
      key: pair.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    expect(await verifyP1363(publicKey, data, new Uint8Array(signature))).toBe(true);
    const der = nodeCrypto.sign('sha256', data, pair.privateKey);
    expect(await verifyP1363(publicKey, data, new Uint8Array(der))).toBe(false);
  });

  it(
    'a PKCS#8 private key from WebCrypto is ' + 'readable by node:crypto and signs compatibly',
    async () => {
      const nodeCrypto = await loadNodeCrypto();
      const { publicKey, privateKey } = await generateSigningKeyPair();
      const nodeKey = nodeCrypto.createPrivateKey({
        key: Buffer.from(privateKey),
        format: 'der',
        type: 'pkcs8',
      });
      const signature = nodeCrypto.sign('sha256', data, {
        key: nodeKey,
        dsaEncoding: 'ieee-p1363',
      });
      expect(await verifyP1363(publicKey, data, new Uint8Array(signature))).toBe(true);
    },
  );
});

function b64u(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function unb64u(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
