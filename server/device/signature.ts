import { createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject, VerifyKeyObjectInput } from 'node:crypto';
import { assertP256PublicKey, fromBase64Url } from '../../shared/crypto/index.ts';
import { CofferError } from '../../shared/errors.ts';
import type { DeviceRequest } from '../../shared/keys/device-requests.ts';
import {
  assertTimestampFresh,
  canonicalRequestString,
  type RequestAuthentication,
} from '../../shared/protocol/signed-request.ts';

/**
 * The DER prefix of a SubjectPublicKeyInfo for an uncompressed P-256 point (RFC 5480: algorithm
 * id-ecPublicKey, parameters secp256r1); the 65 point bytes follow it. Node imports SPKI
 * directly, so no ASN.1 library is needed on the hot path.
 */
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');
const P1363_LENGTH = 64;

type VerifyKeyWithOptions = VerifyKeyObjectInput & { dsaEncoding: 'ieee-p1363' };

/**
 * One answer for a signature that does not verify and for a device the server does not know
 * (device/authenticate.ts verifies those against a key nothing verifies under), so the words say
 * both.
 */
export const badSignature = () =>
  new CofferError(
    'bad_signature',
    'The request signature does not verify: this server does not know the device, or knows it ' +
      'with another key.',
  );

/** Every GET is signed over the hash of an empty body: computed once. */
const EMPTY_BODY_SHA256 = createHash('sha256').digest('hex');

/** Bound devices each keep one key; past this many the cache starts over rather than grow. */
const MAX_CACHED_KEYS = 10_000;

/**
 * Server-side verification of signed device requests with `node:crypto`: the same checks, in the
 * same order, over the same canonical string (shared/protocol) as `verifyDeviceRequest` of
 * shared/keys, which the device side and the tests keep using. WebCrypto costs the server a key
 * import, two promise hops through its job queue and a `CryptoKey` per request (measured
 * 300-700 µs under load); here the public key is parsed and validated once per device and kept
 * as a `KeyObject`, and hashing is synchronous.
 */
export class DeviceSignatureVerifier {
  readonly #keys = new Map<string, KeyObject>();

  /** `signingPublicKey` is the stored base64url of the device's uncompressed P-256 point. */
  verify(
    auth: RequestAuthentication,
    request: DeviceRequest,
    signingPublicKey: string,
    nowSeconds: number,
  ): void {
    const check = this.#prepare(auth, request, signingPublicKey, nowSeconds);
    if (!check || !verify('sha256', check.data, check.key, auth.signature)) throw badSignature();
  }

  /**
   * The same verification, its elliptic-curve work on libuv's thread pool (node:crypto's
   * callback form): a verification costs the event loop some 10 µs instead of some 90 µs, so
   * the server parses, answers and writes while signatures are checked on other cores.
   */
  verifyOffThread(
    auth: RequestAuthentication,
    request: DeviceRequest,
    signingPublicKey: string,
    nowSeconds: number,
  ): Promise<void> {
    const check = this.#prepare(auth, request, signingPublicKey, nowSeconds);
    if (!check) return Promise.reject(badSignature());
    return new Promise((resolve, reject) => {
      verify('sha256', check.data, check.key, auth.signature, (error, valid) => {
        if (error) reject(error);
        else if (!valid) reject(badSignature());
        else resolve();
      });
    });
  }

  /** The key, freshness and canonical bytes; undefined for a signature of the wrong length. */
  #prepare(
    auth: RequestAuthentication,
    request: DeviceRequest,
    signingPublicKey: string,
    nowSeconds: number,
  ): { data: Buffer; key: VerifyKeyWithOptions } | undefined {
    const key = this.#key(signingPublicKey);
    assertTimestampFresh(auth.timestamp, nowSeconds);
    const canonical = canonicalRequestString({
      ...request,
      timestamp: auth.timestamp,
      nonce: auth.nonce,
      deviceId: auth.deviceId,
      bodySha256:
        request.body.length === 0
          ? EMPTY_BODY_SHA256
          : createHash('sha256').update(request.body).digest('hex'),
    });
    if (auth.signature.length !== P1363_LENGTH) return undefined;
    // WebCrypto signs in IEEE P1363 form (r ‖ s); node:crypto expects DER unless told.
    return { data: Buffer.from(canonical, 'utf8'), key: { key, dsaEncoding: 'ieee-p1363' } };
  }

  #key(encoded: string): KeyObject {
    const cached = this.#keys.get(encoded);
    if (cached) return cached;
    const point = fromBase64Url(encoded);
    // Refuses anything but a valid point on the curve, exactly as the shared verifier does.
    assertP256PublicKey(point, 'Device signing public key');
    const key = createPublicKey({
      key: Buffer.concat([P256_SPKI_PREFIX, point]),
      format: 'der',
      type: 'spki',
    });
    if (this.#keys.size >= MAX_CACHED_KEYS) this.#keys.clear();
    this.#keys.set(encoded, key);
    return key;
  }
}
