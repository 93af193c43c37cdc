import { z } from 'zod';
import { deviceTokenRegistrationSchema } from '../../shared/protocol/bodies.ts';
import { GRANT_MODES } from '../../shared/protocol/device-api.ts';
import {
  base64UrlBlob,
  displayNameField,
  idField,
  keyVersionField,
} from '../../shared/protocol/fields.ts';
import type { AuditEvent } from '../audit/audit.ts';
import type { ServerContext } from '../context.ts';
import type { Queryable } from '../db/types.ts';
import { safeError } from '../http/problem.ts';
import { defineRoute } from '../http/route.ts';
import { id } from '../http/schemas.ts';
import {
  createApplication,
  deleteApplication,
  getApplication,
  listApplications,
  removeManager,
  setManager,
  updateApplication,
} from './applications.ts';
import { listDevices, mintDevices, revokeDevice } from './devices.ts';
import { removeGrant, setGrant } from './grants.ts';

const wrappedKey = base64UrlBlob(4096);
const appParams = z.object({ id: idField }).strict();
const grantParams = z.object({ id: idField, folderId: idField }).strict();
const deviceParams = z.object({ id: idField, deviceId: idField }).strict();
const managerParams = z.object({ id: idField, userId: id }).strict();

const newApplication = z
  .object({
    id: idField,
    name: displayNameField,
    keyVersion: keyVersionField,
    wrappedAppKey: wrappedKey,
  })
  .strict();

const applicationChange = z
  .object({ name: displayNameField.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((c) => c.name !== undefined || c.disabled !== undefined, 'name or disabled is required');

const grantChange = z
  .object({
    mode: z.enum(GRANT_MODES),
    appKeyVersion: keyVersionField.optional(),
    folderKeyVersion: keyVersionField.optional(),
    wrappedFolderKey: wrappedKey.optional(),
  })
  .strict();

const managerChange = z.object({ keyVersion: keyVersionField, wrappedAppKey: wrappedKey }).strict();

/** One registration, or several minted at once (one transaction: all or none). */
const mintBody = z.union([
  deviceTokenRegistrationSchema,
  z.strictObject({ devices: z.array(deviceTokenRegistrationSchema).min(1).max(100) }),
]);

/** Enough for 100 registrations of about 500 bytes each. */
const MINT_BODY_LIMIT = 128 * 1024;

export function applicationRoutes({ db, audit, now, log }: ServerContext) {
  /** Runs a change and records its audit events in the same transaction (AU-03). */
  function write<T>(
    work: (tx: Queryable) => Promise<T>,
    events: (result: T) => Omit<AuditEvent, 'outcome'>[],
  ) {
    return db.transaction(async (tx) => {
      const result = await work(tx);
      for (const event of events(result)) await audit.record(tx, { ...event, outcome: 'success' });
      return result;
    });
  }

  /**
   * A protective change (revoking) must happen even when the audit log cannot be written
   * (SECURITY-CASES AU-03): it commits first, then its events are appended; a failed append is
   * logged loudly instead of undoing the revocation.
   */
  async function protect<T>(
    work: (tx: Queryable) => Promise<T>,
    events: (result: T) => Omit<AuditEvent, 'outcome'>[],
  ): Promise<T> {
    const result = await db.transaction(work);
    const pending = events(result);
    try {
      await db.transaction(async (tx) => {
        for (const event of pending) await audit.record(tx, { ...event, outcome: 'success' });
      });
    } catch (error) {
      log.error(
        { err: safeError(error), events: pending.map((e) => e.type) },
        'protect: revocation committed but its audit event could not be written',
      );
    }
    return result;
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/apps',
      auth: 'session',
      handler: ({ session }) => listApplications(db, session),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/apps',
      auth: 'session',
      status: 201,
      body: newApplication,
      handler: ({ session, body, ip }) =>
        write(
          (tx) => createApplication(tx, session.userId, body, now()),
          () => [{ type: 'app_created', ip, userId: session.userId, appId: body.id }],
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/apps/:id',
      auth: 'session',
      params: appParams,
      handler: ({ session, params }) => getApplication(db, session, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/apps/:id',
      auth: 'session',
      params: appParams,
      body: applicationChange,
      handler: async ({ session, params, body, ip }) =>
        (
          await write(
            (tx) => updateApplication(tx, session, params.id, body, now()),
            (result) =>
              result.events.map((type) => ({ type, ip, userId: session.userId, appId: params.id })),
          )
        ).app,
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/apps/:id',
      auth: 'session',
      params: appParams,
      handler: ({ session, params, ip }) =>
        write(
          (tx) => deleteApplication(tx, session, params.id, now()),
          (result) => [
            {
              type: 'app_deleted',
              ip,
              userId: session.userId,
              appId: params.id,
              details: { count: result.revokedDevices },
            },
          ],
        ),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/apps/:id/managers/:userId',
      auth: 'session',
      params: managerParams,
      body: managerChange,
      handler: ({ session, params, body, ip }) =>
        write(
          (tx) => setManager(tx, session, params.id, { userId: params.userId, ...body }, now()),
          () => [
            {
              type: 'app_manager_set',
              ip,
              userId: session.userId,
              appId: params.id,
              targetUserId: params.userId,
            },
          ],
        ),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/apps/:id/managers/:userId',
      auth: 'session',
      status: 204,
      params: managerParams,
      handler: ({ session, params, ip }) =>
        write(
          (tx) => removeManager(tx, session, params.id, params.userId),
          () => [
            {
              type: 'app_manager_removed',
              ip,
              userId: session.userId,
              appId: params.id,
              targetUserId: params.userId,
            },
          ],
        ),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/apps/:id/grants/:folderId',
      auth: 'session',
      params: grantParams,
      body: grantChange,
      handler: async ({ session, params, body, ip }) => {
        await write(
          (tx) => setGrant(tx, session, params.id, params.folderId, body, now()),
          () => [
            {
              type: 'grant_set',
              ip,
              userId: session.userId,
              appId: params.id,
              folderId: params.folderId,
              details: { mode: body.mode },
            },
          ],
        );
        return getApplication(db, session, params.id);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/apps/:id/grants/:folderId',
      auth: 'session',
      status: 204,
      params: grantParams,
      handler: ({ session, params, ip }) =>
        write(
          (tx) => removeGrant(tx, session, params.id, params.folderId),
          () => [
            {
              type: 'grant_removed',
              ip,
              userId: session.userId,
              appId: params.id,
              folderId: params.folderId,
            },
          ],
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/apps/:id/devices',
      auth: 'session',
      status: 201,
      params: appParams,
      body: mintBody,
      bodyLimit: MINT_BODY_LIMIT,
      handler: ({ session, params, body, ip }) => {
        const registrations = 'devices' in body ? body.devices : [body];
        return write(
          (tx) => mintDevices(tx, session, params.id, registrations, now()),
          () =>
            registrations.map((reg) => ({
              type: 'device_token_issued' as const,
              ip,
              userId: session.userId,
              appId: params.id,
              deviceId: reg.deviceId,
            })),
        );
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/apps/:id/devices',
      auth: 'session',
      params: appParams,
      handler: ({ session, params }) => listDevices(db, session, params.id, now()),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/apps/:id/devices/:deviceId/revoke',
      auth: 'session',
      params: deviceParams,
      handler: ({ session, params, ip }) =>
        protect(
          (tx) => revokeDevice(tx, session, params.deviceId, params.id, now()),
          (device) => [
            {
              type: 'device_revoked',
              ip,
              userId: session.userId,
              appId: device.appId,
              deviceId: device.id,
            },
          ],
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/devices/:deviceId/revoke',
      auth: 'session',
      params: z.object({ deviceId: idField }).strict(),
      handler: ({ session, params, ip }) =>
        protect(
          (tx) => revokeDevice(tx, session, params.deviceId, undefined, now()),
          (device) => [
            {
              type: 'device_revoked',
              ip,
              userId: session.userId,
              appId: device.appId,
              deviceId: device.id,
            },
          ],
        ),
    }),
  ];
}
