import { assertP256PublicKey, randomId, signP1363, utf8, verifyP1363 } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import {
  assertTimestampFresh,
  canonicalRequestString,
  formatRequestHeaders,
  requestBodySha256,
  unixSeconds,
  type RequestAuthentication,
} from '../protocol/signed-request.ts';

export interface DeviceRequest {
  readonly method: string;
  /** The request target exactly as sent, e.g. "/v1/folders?since=42". */
  readonly pathWithQuery: string;
  /** Lower-case host[:port] of the server origin (`new URL(origin).host`). */
  readonly host: string;
  /** The raw body bytes as sent (empty for GET). */
  readonly body: Uint8Array;
}

/**
 * Signs a device request (ECDSA P-256, P1363) over the protocol's canonical string and returns
 * the four authentication headers. A fresh random nonce per request lets the server refuse
 * replays inside the timestamp window.
 */
export async function signDeviceRequest(
  device: { readonly deviceId: string; readonly signingPrivateKey: Uint8Array },
  request: DeviceRequest,
  nowSeconds: number = unixSeconds(),
): Promise<Record<string, string>> {
  const nonce = randomId();
  const canonical = canonicalRequestString({
    ...request,
    timestamp: nowSeconds,
    nonce,
    deviceId: device.deviceId,
    bodySha256: await requestBodySha256(request.body),
  });
  const signature = await signP1363(device.signingPrivateKey, utf8(canonical));
  return formatRequestHeaders({
    deviceId: device.deviceId,
    timestamp: nowSeconds,
    nonce,
    signature,
  });
}

/**
 * Server side: checks freshness against the server clock (`stale_timestamp`), then the signature
 * with the device's bound public key (`bad_signature`). The caller must still refuse a nonce it
 * has already seen for this device (`request_replayed`), atomically, in the database.
 */
export async function verifyDeviceRequest(
  auth: RequestAuthentication,
  request: DeviceRequest,
  signingPublicKey: Uint8Array,
  nowSeconds: number,
): Promise<void> {
  assertP256PublicKey(signingPublicKey, 'Device signing public key');
  assertTimestampFresh(auth.timestamp, nowSeconds);
  const canonical = canonicalRequestString({
    ...request,
    timestamp: auth.timestamp,
    nonce: auth.nonce,
    deviceId: auth.deviceId,
    bodySha256: await requestBodySha256(request.body),
  });
  if (!(await verifyP1363(signingPublicKey, utf8(canonical), auth.signature))) {
    throw new CofferError('bad_signature', 'Request signature does not verify for this device.');
  }
}
