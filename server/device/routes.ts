import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isCofferError } from '../../shared/errors.ts';
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
import { defineRoute } from '../http/route.ts';
import type { Route } from '../http/route.ts';
import { AdmissionBatcher } from './admission.ts';
import type { AuthenticatedDevice, DeviceAuthDeps } from './authenticate.ts';
import { BoundDevices } from './bound-devices.ts';
import { DeviceSignatureVerifier } from './signature.ts';
import { deviceCreateRecord, deviceUpdateRecord } from './records.ts';
import { redeemDevice } from './redeem.ts';
import { signedRoute } from './signed-route.ts';
import type { SignedRoute } from './signed-route.ts';
import { SerializedJson, VaultAnswers } from './vault-answers.ts';
import { deviceStatus } from './vault.ts';

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
