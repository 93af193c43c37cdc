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
import { idField } from '../../shared/protocol/fields.ts';
import type { AuditEvent } from '../audit/audit.ts';
import type { ServerContext } from '../context.ts';
import { clientAddress } from '../http/client-address.ts';
import { RateLimiter } from '../http/rate-limit.ts';
import { defineRoute, validate } from '../http/route.ts';
import type { Route } from '../http/route.ts';
import { authenticateDevice } from './authenticate.ts';
import type { AuthenticatedDevice, DeviceAuthDeps } from './authenticate.ts';
import { RequestNonces } from './nonces.ts';
import { deviceCreateRecord, deviceUpdateRecord } from './records.ts';
import { redeemDevice } from './redeem.ts';
import { deviceStatus, deviceVault } from './vault.ts';

interface SignedContext<P, Q, B> {
  device: AuthenticatedDevice;
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
  run(
    device: AuthenticatedDevice,
    request: FastifyRequest,
    raw: Uint8Array,
    reply: FastifyReply,
  ): Promise<unknown>;
}

const emptyParams = z.object({}).strict();

function signedRoute<P, Q, B>(spec: {
  method: SignedRoute['method'];
  url: string;
  status?: number;
  bodyLimit?: number;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  handler(context: SignedContext<P, Q, B>): Promise<unknown>;
}): SignedRoute {
  return {
    method: spec.method,
    url: spec.url,
    status: spec.status ?? 200,
    bodyLimit: spec.bodyLimit ?? 16 * 1024,
    run: (device, request, raw, reply) =>
      spec.handler({
        device,
        params: validate('path', spec.params ?? (emptyParams as z.ZodType<P>), request.params),
        query: validate('query', spec.query ?? (emptyParams as z.ZodType<Q>), request.query),
        body: spec.body ? validate('body', spec.body, parseJson(raw)) : noBody(raw),
        reply,
      }),
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
    signedRoute({
      method: 'GET',
      url: DEVICE_ROUTES.status.path,
      handler: ({ device }) => deviceStatus(db, device, now()),
    }),
    signedRoute({
      method: 'GET',
      url: DEVICE_ROUTES.vault.path,
      query: deviceVaultQuerySchema,
      handler: async ({ device, query }) => {
        const vault = await deviceVault(db, device, query, now());
        await audit.record(db, {
          type: 'device_fetch',
          outcome: 'success',
          ip: device.ip,
          actorDeviceId: device.deviceId,
          appId: device.appId,
          details: { count: vault.records.length },
        });
        return vault;
      },
    }),
    signedRoute({
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
    signedRoute({
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
              const ip = clientAddress(request);
              const device = await authenticateDevice(authDeps, request, raw, ip);
              const result = await route.run(device, request, raw, reply);
              return reply.status(route.status).send(result);
            },
          });
        }
        done();
      });
    },
  };
}
