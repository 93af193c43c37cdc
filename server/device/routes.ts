import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CofferError, isCofferError } from '../../shared/errors.ts';
import { redemptionRequestSchema } from '../../shared/protocol/bodies.ts';
import {
  DEVICE_RECORD_BLOB_MAX,
  DEVICE_ROUTES,
  deviceRecordCreateSchema,
  deviceRecordUpdateSchema,
  deviceVaultQuerySchema,
} from '../../shared/protocol/device-api.ts';
import type { DeviceVaultResponse } from '../../shared/protocol/device-api.ts';
import { idField } from '../../shared/protocol/fields.ts';
import type { AuditEvent } from '../audit/audit.ts';
import type { ServerContext } from '../context.ts';
import type { Queryable } from '../db/types.ts';
import { clientAddress } from '../http/client-address.ts';
import { RateLimiter } from '../http/rate-limit.ts';
import { defineRoute, validate } from '../http/route.ts';
import type { Route } from '../http/route.ts';
import { authenticateDevice } from './authenticate.ts';
import type { AuthenticatedDevice, DeviceAuthDeps } from './authenticate.ts';
import { RequestNonces } from './nonces.ts';
import { DeviceSignatureVerifier } from './signature.ts';
import { deviceCreateRecord, deviceUpdateRecord } from './records.ts';
import { redeemDevice } from './redeem.ts';
import { deviceStatus, deviceVault } from './vault.ts';

interface SignedContext<P, Q, B> {
  device: AuthenticatedDevice;
  /** The request's own transaction for `inTransaction` routes, else the database. */
  db: Queryable;
  params: P;
  query: Q;
  body: B;
  reply: FastifyReply;
}

interface SignedRoute {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  status: number;
  bodyLimit: number;
  run(request: FastifyRequest, raw: Uint8Array, ip: string, reply: FastifyReply): Promise<unknown>;
}

const emptyParams = z.object({}).strict();

/**
 * A signed route. Input is validated only after the signature verified, inside the request's
 * transaction; a validation refusal is committed with the spent nonce and thrown afterwards.
 * `inTransaction` routes (the reads) run their handler in that transaction too, so the fetch and
 * its audit row cost no extra commit; the writes run after it in their own, because a write
 * refused by compare-and-swap must not roll the nonce back and make its request replayable.
 */
function signedRoute<P, Q, B>(
  deps: DeviceAuthDeps,
  spec: {
    method: SignedRoute['method'];
    url: string;
    status?: number;
    bodyLimit?: number;
    params?: z.ZodType<P>;
    query?: z.ZodType<Q>;
    body?: z.ZodType<B>;
    inTransaction?: boolean;
    handler(context: SignedContext<P, Q, B>): Promise<unknown>;
    /** For `inTransaction` routes: what commits with the answer, after the rate limit. */
    record?(tx: Queryable, device: AuthenticatedDevice, result: unknown): Promise<void>;
  },
): SignedRoute {
  type Input = { params: P; query: Q; body: B };
  const parse = (request: FastifyRequest, raw: Uint8Array): Input => ({
    params: validate('path', spec.params ?? (emptyParams as z.ZodType<P>), request.params),
    query: validate('query', spec.query ?? (emptyParams as z.ZodType<Q>), request.query),
    body: spec.body ? validate('body', spec.body, parseJson(raw)) : noBody(raw),
  });
  return {
    method: spec.method,
    url: spec.url,
    status: spec.status ?? 200,
    bodyLimit: spec.bodyLimit ?? 16 * 1024,
    run: async (request, raw, ip, reply) => {
      type Read = { invalid: CofferError } | { input: Input; result?: unknown };
      const { device, value } = await authenticateDevice<Read>(deps, request, raw, ip, {
        read: async (tx, device) => {
          let input: Input;
          try {
            input = parse(request, raw);
          } catch (error) {
            if (isCofferError(error, 'invalid_input')) return { invalid: error };
            throw error;
          }
          if (!spec.inTransaction) return { input };
          return { input, result: await spec.handler({ device, db: tx, reply, ...input }) };
        },
        record: async (tx, device, read) => {
          if ('invalid' in read || !spec.inTransaction) return;
          await spec.record?.(tx, device, read.result);
        },
      });
      if ('invalid' in value) throw value.invalid;
      if (spec.inTransaction) return value.result;
      return spec.handler({ device, db: deps.db, reply, ...value.input });
    },
  };
}

/** Parsed only after the signature over the raw bytes verified. */
function parseJson(raw: Uint8Array): unknown {
  if (raw.length === 0) throw new CofferError('invalid_input', 'This route needs a JSON body');
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)) as unknown;
  } catch {
    throw new CofferError('invalid_input', 'The request body must be JSON');
  }
}

function noBody<B>(raw: Uint8Array): B {
  if (raw.length !== 0) throw new CofferError('invalid_input', 'This route takes no body');
  return undefined as B;
}

/** Ciphertext routes take a record's size limit plus the JSON around it. */
const RECORD_BODY_LIMIT = Math.ceil((DEVICE_RECORD_BLOB_MAX * 4) / 3) + 4096;

/**
 * The device API of shared/protocol/device-api.ts. Redemption is an ordinary unsigned route; the
 * signed routes live in their own Fastify scope whose only body parser keeps the raw bytes, so
 * the signature is checked over exactly what was sent before any JSON is parsed.
 */
export function deviceApi(context: ServerContext) {
  const { db, audit, config, now } = context;
  const limiter = new RateLimiter(db);
  const authDeps: DeviceAuthDeps = {
    db,
    audit,
    nonces: new RequestNonces(db),
    limiter,
    verifier: new DeviceSignatureVerifier(),
    now,
    publicHost: config.publicUrl ? new URL(config.publicUrl).host : undefined,
    devicePerMinute: config.rateLimits.devicePerMinute,
    unknownDevicePerAddressPerMinute: config.rateLimits.unknownDevicePerAddressPerMinute,
  };

  /** A device write and its audit row commit together; a read-only refusal is audited too. */
  async function deviceWrite<T>(
    device: AuthenticatedDevice,
    event: Omit<AuditEvent, 'outcome' | 'ip'>,
    work: (tx: Parameters<Parameters<typeof db.transaction>[0]>[0]) => Promise<T>,
  ): Promise<T> {
    const base = { ip: device.ip, actorDeviceId: device.deviceId, appId: device.appId };
    try {
      return await db.transaction(async (tx) => {
        const result = await work(tx);
        await audit.record(tx, { ...event, ...base, outcome: 'success' });
        return result;
      });
    } catch (error) {
      if (isCofferError(error, 'read_only_grant')) {
        await audit.record(db, {
          ...base,
          type: 'device_request_refused',
          outcome: 'failure',
          deviceId: device.deviceId,
          reason: error.code,
          ...(event.folderId === undefined ? {} : { folderId: event.folderId }),
          ...(event.recordId === undefined ? {} : { recordId: event.recordId }),
        });
      }
      throw error;
    }
  }

  const redeem: Route = defineRoute({
    method: 'POST',
    url: DEVICE_ROUTES.redeem.path,
    auth: 'none',
    body: redemptionRequestSchema,
    handler: ({ body, ip }) =>
      redeemDevice(
        {
          db,
          audit,
          limiter,
          now,
          redeemPerAddressPerMinute: config.rateLimits.redeemPerAddressPerMinute,
          redeemPerMinute: config.rateLimits.redeemPerMinute,
        },
        body,
        ip,
      ),
  });

  const signed: SignedRoute[] = [
    signedRoute(authDeps, {
      method: 'GET',
      url: DEVICE_ROUTES.status.path,
      inTransaction: true,
      handler: ({ device, db: tx }) => deviceStatus(tx, device, now()),
    }),
    signedRoute(authDeps, {
      method: 'GET',
      url: DEVICE_ROUTES.vault.path,
      query: deviceVaultQuerySchema,
      inTransaction: true,
      handler: ({ device, db: tx, query }) => deviceVault(tx, device, query, now()),
      record: (tx, device, vault) =>
        audit.record(tx, {
          type: 'device_fetch',
          outcome: 'success',
          ip: device.ip,
          actorDeviceId: device.deviceId,
          appId: device.appId,
          details: { count: (vault as DeviceVaultResponse).records.length },
        }),
    }),
    signedRoute(authDeps, {
      method: 'POST',
      url: DEVICE_ROUTES.createRecord.path,
      status: 201,
      bodyLimit: RECORD_BODY_LIMIT,
      body: deviceRecordCreateSchema,
      handler: ({ device, body }) =>
        deviceWrite(
          device,
          { type: 'device_record_created', recordId: body.id, folderId: body.folderId },
          (tx) => deviceCreateRecord(tx, device, body, now()),
        ),
    }),
    signedRoute(authDeps, {
      method: 'PUT',
      url: DEVICE_ROUTES.updateRecord.path,
      bodyLimit: RECORD_BODY_LIMIT,
      params: z.object({ id: idField }).strict(),
      body: deviceRecordUpdateSchema,
      handler: ({ device, params, body }) =>
        deviceWrite(
          device,
          { type: 'device_record_updated', recordId: params.id, folderId: body.folderId },
          (tx) => deviceUpdateRecord(tx, device, params.id, body, now()),
        ),
    }),
  ];

  return {
    routes: [redeem],
    register(app: FastifyInstance): void {
      void app.register((scope, _options, done) => {
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, parsed) => {
          parsed(null, body);
        });
        for (const route of signed) {
          scope.route({
            method: route.method,
            url: route.url,
            bodyLimit: route.bodyLimit,
            handler: async (request, reply) => {
              const raw = request.body instanceof Uint8Array ? request.body : new Uint8Array();
              const result = await route.run(request, raw, clientAddress(request), reply);
              return reply.status(route.status).send(result);
            },
          });
        }
        done();
      });
    },
  };
}
