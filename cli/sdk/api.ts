import type { z } from 'zod';
import { fromBase64Url, utf8 } from '../../shared/crypto/index.ts';
import { CofferError, isCofferError } from '../../shared/errors.ts';
import type { DeviceProfile } from '../../shared/keys/device-profile.ts';
import { signDeviceRequest } from '../../shared/keys/device-requests.ts';
import type { RedemptionRequest } from '../../shared/protocol/bodies.ts';
import {
  DEVICE_ROUTES,
  deviceRecordPath,
  deviceRecordWrittenSchema,
  deviceRedeemResponseSchema,
  deviceStatusResponseSchema,
  deviceVaultPath,
  deviceVaultResponseSchema,
  type DeviceRecordCreate,
  type DeviceRecordUpdate,
  type DeviceRecordWritten,
  type DeviceRedeemResponse,
  type DeviceStatusResponse,
  type DeviceVaultQuery,
  type DeviceVaultResponse,
} from '../../shared/protocol/device-api.ts';
import { parseBody } from '../../shared/protocol/parse-body.ts';
import { problemDetailsSchema, problemToError } from '../../shared/protocol/problem-details.ts';
import { nextDelayMs, sleep, type RetryOptions } from './retry.ts';
import { send, type HttpResponse, type TransportOptions } from './transport.ts';

/** Settings every call shares. */
export interface ApiOptions {
  /** Canonical origin to call (the profile's, or COFFER_SERVER). */
  readonly origin: string;
  readonly transport?: TransportOptions;
  readonly retry?: RetryOptions;
  /** Unix seconds, for signatures; the system clock unless a test sets it. */
  readonly nowSeconds?: () => number;
}

const USER_AGENT = 'coffer-cli/1';

function decodeJson(response: HttpResponse): unknown {
  const type = String(response.headers['content-type'] ?? '');
  if (!/^application\/(?:problem\+)?json\b/i.test(type)) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(response.body));
  } catch {
    return undefined;
  }
}

/** Turns a non-2xx answer into the error its code names, or a transport-level failure. */
function failure(response: HttpResponse, what: string, host: string): CofferError {
  const { status } = response;
  if (status === 502 || status === 503 || status === 504) {
    return new CofferError(
      'server_unreachable',
      `The Coffer server ${host} is unavailable (HTTP ${status}) for ${what}; try again later.`,
    );
  }
  const body = decodeJson(response);
  if (!problemDetailsSchema.safeParse(body).success) {
    return new CofferError(
      'response_invalid',
      `The server answered ${what} with HTTP ${status} and no Coffer error body; check that ` +
        `${host} is a Coffer server and not a proxy or sign-in portal.`,
    );
  }
  const error = problemToError(body);
  if (status === 429 && error.code === 'rate_limited') {
    const wait = response.headers['retry-after'];
    return new CofferError(
      'rate_limited',
      `The server is rate-limiting this device${wait === undefined ? '' : ` (retry after ${String(wait)} s)`}; try again later.`,
    );
  }
  return error;
}

function parseAnswer<S extends z.ZodType>(
  schema: S,
  response: HttpResponse,
  what: string,
): z.output<S> {
  const body = decodeJson(response);
  if (body === undefined) {
    throw new CofferError(
      'response_invalid',
      `The server's answer to ${what} is not JSON; it was not used.`,
    );
  }
  try {
    return parseBody(schema, body, `The server's answer to ${what}`);
  } catch (error) {
    if (isCofferError(error, 'invalid_input')) {
      throw new CofferError('response_invalid', `${error.message} It was not used.`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Calls the device API of shared/protocol/device-api.ts. Signed calls are signed afresh for
 * every attempt: a retried request with the old nonce would be refused as a replay.
 */
export class DeviceApi {
  readonly #options: ApiOptions;
  readonly #host: string;

  constructor(options: ApiOptions) {
    this.#options = options;
    this.#host = new URL(options.origin).host;
  }

  async #call(
    what: string,
    method: string,
    path: string,
    body: unknown,
    headers: (bytes: Uint8Array) => Promise<Record<string, string>>,
  ): Promise<HttpResponse> {
    const bytes = body === undefined ? new Uint8Array(0) : utf8(JSON.stringify(body));
    for (let attempt = 1; ; attempt += 1) {
      const response = await send(
        {
          method,
          url: `${this.#options.origin}${path}`,
          headers: {
            accept: 'application/json',
            'user-agent': USER_AGENT,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(await headers(bytes)),
          },
          body: bytes,
        },
        this.#options.transport,
      );
      if (response.status >= 200 && response.status < 300) return response;
      const delay = nextDelayMs(response, attempt, this.#options.retry);
      if (delay === undefined) throw failure(response, what, this.#host);
      await sleep(delay);
    }
  }

  #signed(profile: DeviceProfile, method: string, path: string) {
    return async (body: Uint8Array) => {
      const key = fromBase64Url(profile.signing.privateKey);
      try {
        return await signDeviceRequest(
          { deviceId: profile.deviceId, signingPrivateKey: key },
          { method, pathWithQuery: path, host: this.#host, body },
          this.#options.nowSeconds?.(),
        );
      } finally {
        key.fill(0);
      }
    };
  }

  async redeem(request: RedemptionRequest): Promise<DeviceRedeemResponse> {
    const { method, path } = DEVICE_ROUTES.redeem;
    const response = await this.#call('the redemption', method, path, request, async () => ({}));
    return parseAnswer(deviceRedeemResponseSchema, response, 'the redemption');
  }

  async status(profile: DeviceProfile): Promise<DeviceStatusResponse> {
    const { method, path } = DEVICE_ROUTES.status;
    const response = await this.#call(
      'the status request',
      method,
      path,
      undefined,
      this.#signed(profile, method, path),
    );
    return parseAnswer(deviceStatusResponseSchema, response, 'the status request');
  }

  async vault(profile: DeviceProfile, query: DeviceVaultQuery = {}): Promise<DeviceVaultResponse> {
    const { method } = DEVICE_ROUTES.vault;
    const path = deviceVaultPath(query);
    const response = await this.#call(
      'the vault request',
      method,
      path,
      undefined,
      this.#signed(profile, method, path),
    );
    const answer = parseAnswer(deviceVaultResponseSchema, response, 'the vault request');
    if (answer.appId !== profile.appId) {
      throw new CofferError(
        'response_invalid',
        "The server's vault answer is for another application; it was not used.",
      );
    }
    return answer;
  }

  async createRecord(
    profile: DeviceProfile,
    body: DeviceRecordCreate,
  ): Promise<DeviceRecordWritten> {
    const { method, path } = DEVICE_ROUTES.createRecord;
    const response = await this.#call(
      'the new record',
      method,
      path,
      body,
      this.#signed(profile, method, path),
    );
    return parseAnswer(deviceRecordWrittenSchema, response, 'the new record');
  }

  async updateRecord(
    profile: DeviceProfile,
    recordId: string,
    body: DeviceRecordUpdate,
  ): Promise<DeviceRecordWritten> {
    const { method } = DEVICE_ROUTES.updateRecord;
    const path = deviceRecordPath(recordId);
    const response = await this.#call(
      'the record update',
      method,
      path,
      body,
      this.#signed(profile, method, path),
    );
    return parseAnswer(deviceRecordWrittenSchema, response, 'the record update');
  }
}
