import { describe, expect, it } from 'vitest';
import { generateEcKeyPair, randomId, toBase64Url } from '../../../shared/crypto/index.ts';
import { isCofferError } from '../../../shared/errors.ts';
import { signDeviceRequest, verifyDeviceRequest } from '../../../shared/keys/device-requests.ts';
import type { DeviceRequest } from '../../../shared/keys/device-requests.ts';
import { parseRequestHeaders } from '../../../shared/protocol/signed-request.ts';
import { DeviceSignatureVerifier } from '../../../server/device/signature.ts';

const NOW = 1_790_000_000;

async function signedRequest(request: DeviceRequest, at = NOW) {
  const keys = await generateEcKeyPair('ECDSA');
  const device = { deviceId: randomId(), signingPrivateKey: keys.privateKey };
  const auth = parseRequestHeaders(await signDeviceRequest(device, request, at));
  return { auth, publicKey: keys.publicKey, encoded: toBase64Url(keys.publicKey) };
}

async function refusalCode(run: () => void | Promise<void>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return isCofferError(error) ? error.code : 'not a CofferError';
  }
}

type Check = (
  verifier: DeviceSignatureVerifier,
  ...args: Parameters<DeviceSignatureVerifier['verify']>
) => void | Promise<void>;

/** The same checks on the event loop and on libuv's thread pool (what the server uses). */
const MODES: [string, Check][] = [
  ['on the event loop', (verifier, ...args) => verifier.verify(...args)],
  ['on the thread pool', (verifier, ...args) => verifier.verifyOffThread(...args)],
];

const body = new TextEncoder().encode('{"id":"alice-record"}');
const put: DeviceRequest = {
  method: 'PUT',
  pathWithQuery: '/api/v1/device/records/abc?x=1',
  host: 'vault.example.com',
  body,
};

describe.each(MODES)('server-side device signature verification (node:crypto) %s', (_, check) => {
  it('accepts exactly what the shared WebCrypto verifier accepts', async () => {
    const { auth, publicKey, encoded } = await signedRequest(put);
    await expect(verifyDeviceRequest(auth, put, publicKey, NOW)).resolves.toBeUndefined();
    expect(
      await refusalCode(() => check(new DeviceSignatureVerifier(), auth, put, encoded, NOW)),
    ).toBe(undefined);
  });

  it('refuses a request changed in any signed part as a bad signature', async () => {
    const { auth, encoded } = await signedRequest(put);
    const verifier = new DeviceSignatureVerifier();
    const changed: DeviceRequest[] = [
      { ...put, method: 'POST' },
      { ...put, pathWithQuery: '/api/v1/device/records/abc?x=2' },
      { ...put, host: 'vault.example.com:8443' },
      { ...put, body: new TextEncoder().encode('{"id":"alice-recorD"}') },
    ];
    for (const request of changed) {
      expect(await refusalCode(() => check(verifier, auth, request, encoded, NOW))).toBe(
        'bad_signature',
      );
    }
    const otherNonce = { ...auth, nonce: randomId() };
    expect(await refusalCode(() => check(verifier, otherNonce, put, encoded, NOW))).toBe(
      'bad_signature',
    );
    const flipped = auth.signature.slice();
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    const tampered = { ...auth, signature: flipped };
    expect(await refusalCode(() => check(verifier, tampered, put, encoded, NOW))).toBe(
      'bad_signature',
    );
    const short = { ...auth, signature: auth.signature.slice(0, 63) };
    expect(await refusalCode(() => check(verifier, short, put, encoded, NOW))).toBe(
      'bad_signature',
    );
  });

  it("refuses another device's key, even after caching the right one", async () => {
    const { auth, encoded } = await signedRequest(put);
    const other = await signedRequest(put);
    const verifier = new DeviceSignatureVerifier();
    await check(verifier, auth, put, encoded, NOW);
    expect(await refusalCode(() => check(verifier, auth, put, other.encoded, NOW))).toBe(
      'bad_signature',
    );
  });

  it('refuses a timestamp outside ±300 s as stale, and accepts its edges', async () => {
    const { auth, encoded } = await signedRequest(put);
    const verifier = new DeviceSignatureVerifier();
    expect(await refusalCode(() => check(verifier, auth, put, encoded, NOW + 300))).toBe(undefined);
    expect(await refusalCode(() => check(verifier, auth, put, encoded, NOW - 300))).toBe(undefined);
    expect(await refusalCode(() => check(verifier, auth, put, encoded, NOW + 301))).toBe(
      'stale_timestamp',
    );
  });

  it('refuses a stored key that is not a point on P-256', async () => {
    const { auth, publicKey } = await signedRequest(put);
    const offCurve = publicKey.slice();
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    const verifier = new DeviceSignatureVerifier();
    expect(await refusalCode(() => check(verifier, auth, put, toBase64Url(offCurve), NOW))).toBe(
      'invalid_input',
    );
  });
});
