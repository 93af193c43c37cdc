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
import type { Queryable } from '../db/types.ts';
import { clientAddress } from '../http/client-address.ts';
import { RateLimiter } from '../http/rate-limit.ts';
import { defineRoute, validate } from '../http/route.ts';
import type { Route } from '../http/route.ts';
import { AdmissionBatcher } from './admission.ts';
import type { AccessRevision, CachedAnswer, DeviceActor } from './admission.ts';
import { authenticateDevice } from './authenticate.ts';
import type { AuthenticatedDevice, DeviceAuthDeps } from './authenticate.ts';
import { BoundDevices } from './bound-devices.ts';
import type { BoundDevice } from './bound-devices.ts';
import { DeviceSignatureVerifier } from './signature.ts';
import { deviceCreateRecord, deviceUpdateRecord } from './records.ts';
import { redeemDevice } from './redeem.ts';
import { SerializedJson, VaultAnswers } from './vault-answers.ts';
import { deviceStatus } from './vault.ts';

interface SignedContext<P, Q, B> {
  device: AuthenticatedDevice;
  /** The request's batch transaction for `inTransaction` routes, else the database. */
  db: Queryable;
  /** What `inTransaction` routes may validate a cached answer against (device/vault-answers.ts). */
  revision: AccessRevision;
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
  /** Body-less reads spend the per-address budget in their batch, not before routing. */
  countsAddress: boolean;
  run(request: FastifyRequest, raw: Uint8Array, ip: string, reply: FastifyReply): Promise<unknown>;
}

const emptyParams = z.object({}).strict();

/**
 * A signed route. Input is validated only after the signature verified, inside the request's
 * batch; a validation refusal is committed with the spent nonce and thrown afterwards.
 * `inTransaction` routes (the reads) run their handler in that batch too, so the fetch and its
 * audit row cost no extra commit; the writes run after it in their own transaction, because a
 * write refused by compare-and-swap must not roll the nonce back and make its request replayable.
 */
function signedRoute<P, Q, B, R>(
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
    handler(context: SignedContext<P, Q, B>): Promise<R>;
    /** For `inTransaction` routes: the audit event that commits with the answer. */
    audit?(device: DeviceActor, result: R): AuditEvent;
    /** For `inTransaction` routes: what is sent, when not `result` itself. */
    send?(result: R): unknown;
    /** For `inTransaction` routes: an answer read earlier, if one is kept for this input. */
    peek?(
      device: BoundDevice,
      input: { params: P; query: Q; body: B },
      now: number,
    ): Omit<CachedAnswer<R>, 'event'> | undefined;
  },
): SignedRoute {
  type Input = { params: P; query: Q; body: B };
  // A write reads its input and device, to run after the batch; a read answers in the batch.
  type Read =
    { invalid: CofferError } | { input: Input; device: AuthenticatedDevice } | { result: R };
  const parse = (request: FastifyRequest, raw: Uint8Array): Input => ({
    params: validate('path', spec.params ?? (emptyParams as z.ZodType<P>), request.params),
    query: validate('query', spec.query ?? (emptyParams as z.ZodType<Q>), request.query),
    body: spec.body ? validate('body', spec.body, parseJson(raw)) : noBody(raw),
  });
  const countsAddress = spec.body === undefined;
  return {
    method: spec.method,
    url: spec.url,
    status: spec.status ?? 200,
    bodyLimit: spec.bodyLimit ?? 16 * 1024,
    countsAddress,
    run: async (request, raw, ip, reply) => {
      const read = await authenticateDevice<Read>(deps, request, raw, ip, {
        countsAddress,
        read: async (tx, device, revision) => {
          let input: Input;
          try {
            input = parse(request, raw);
          } catch (error) {
            if (isCofferError(error, 'invalid_input')) return { invalid: error };
            throw error;
          }
          if (!spec.inTransaction) return { input, device };
          return { result: await spec.handler({ device, db: tx, revision, reply, ...input }) };
        },
        audit: (device, read) => ('result' in read ? spec.audit?.(device, read.result) : undefined),
        cached: (device, address, now) => {
          if (!spec.peek) return undefined;
          let input: Input;
          try {
            input = parse(request, raw);
          } catch {
            return undefined; // refused the slow way, with its nonce spent
          }
          const kept = spec.peek(device, input, now);
          if (!kept) return undefined;
          const actor = { deviceId: device.deviceId, appId: device.appId, ip: address };
          return { ...kept, value: { result: kept.value }, event: spec.audit?.(actor, kept.value) };
        },
      });
      if ('invalid' in read) throw read.invalid;
      if ('result' in read) return spec.send ? spec.send(read.result) : read.result;
      return spec.handler({
        device: read.device,
        db: deps.db,
        revision: noRevision,
        reply,
        ...read.input,
      });
    },
  };
}

/** Write handlers run after the batch and validate nothing against it. */
const noRevision: AccessRevision = { vaultSeq: -1, accessRevision: -1 };

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
    devices: new BoundDevices(db),
    admissions: new AdmissionBatcher(db, audit, {
      devicePerMinute: config.rateLimits.devicePerMinute,
      apiPerAddressPerMinute: config.rateLimits.apiPerAddressPerMinute,
    }),
    limiter,
    verifier: new DeviceSignatureVerifier(),
    now,
    publicHost: config.publicUrl ? new URL(config.publicUrl).host : undefined,
    apiPerAddressPerMinute: config.rateLimits.apiPerAddressPerMinute,
    unknownDevicePerAddressPerMinute: config.rateLimits.unknownDevicePerAddressPerMinute,
  };
  const answers = new VaultAnswers();

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
      handler: ({ device, db: tx, query, revision }) =>
        answers.answer(tx, device, query, revision, now()),
      audit: (device, answer) => ({
        type: 'device_fetch',
        outcome: 'success',
        ip: device.ip,
        actorDeviceId: device.deviceId,
        appId: device.appId,
        details: { count: answer.count },
      }),
      send: (answer) => answer.body,
      peek: (device, { query }, at) => {
        const kept = answers.peek(device.appId, query, at);
        if (!kept) return undefined;
        return { appKeyVersion: kept.appKeyVersion, revision: kept.revision, value: kept.answer };
      },
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

  const countedInBatch = new Set(
    signed.filter((route) => route.countsAddress).map((route) => `${route.method} ${route.url}`),
  );

  return {
    routes: [redeem],
    /** Signed reads count their per-address budget in their batch, not before routing. */
    countsAddressItself(request: FastifyRequest): boolean {
      return countedInBatch.has(`${request.method} ${request.routeOptions.url}`);
    },
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
              reply.status(route.status);
              if (!(result instanceof SerializedJson)) return reply.send(result);
              return reply.type('application/json; charset=utf-8').send(result.bytes);
            },
          });
        }
        done();
      });
    },
  };
}
