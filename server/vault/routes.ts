import { z } from 'zod';
import type { AuditEvent } from '../audit/audit.ts';
import type { ServerContext } from '../context.ts';
import type { Queryable } from '../db/types.ts';
import { defineRoute } from '../http/route.ts';
import {
  KEY_BLOB_MAX,
  NAME_BLOB_MAX,
  RECORD_BLOB_MAX,
  blob,
  id,
  revision,
  revisionParam,
} from '../http/schemas.ts';
import { createFolder, deleteFolder, getFolder, updateFolder } from './folders.ts';
import { createRecord, deleteRecord, getRecord, updateRecord } from './records.ts';
import { syncChanges } from './sync.ts';

const idParams = z.object({ id }).strict();
const revisionQuery = z.object({ revision: revisionParam }).strict();

const newFolder = z
  .object({
    id,
    parentId: id.nullable(),
    name: blob(NAME_BLOB_MAX),
    revision: z.literal(1, { message: 'a new folder starts at revision 1' }),
    wrappedKey: blob(KEY_BLOB_MAX).optional(),
    keyVersion: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

const folderChange = z
  .object({ parentId: id.nullable(), name: blob(NAME_BLOB_MAX), revision })
  .strict();

const recordWrite = z
  .object({ folderId: id, ciphertext: blob(RECORD_BLOB_MAX), revision })
  .strict();
const newRecord = recordWrite
  .extend({ id, revision: z.literal(1, { message: 'a new record starts at revision 1' }) })
  .strict();

const syncQuery = z
  .object({
    cursor: z
      .string()
      .regex(/^\d{1,15}$/, { message: 'must be a non-negative integer' })
      .transform(Number)
      .default(0),
    root: id.optional(),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, { message: 'must be an integer' })
      .transform(Number)
      .pipe(z.number().min(1).max(5000))
      .default(1000),
  })
  .strict();

/** Ciphertext routes take up to a record's size limit plus the JSON around it. */
const RECORD_BODY_LIMIT = Math.ceil((RECORD_BLOB_MAX * 4) / 3) + 4096;

export function vaultRoutes({ db, audit, now }: ServerContext) {
  /** Runs a write and records its audit event in the same transaction. */
  function write<T>(event: Omit<AuditEvent, 'outcome'>, work: (tx: Queryable) => Promise<T>) {
    return db.transaction(async (tx) => {
      const result = await work(tx);
      await audit.record(tx, { ...event, outcome: 'success' });
      return result;
    });
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/vault/sync',
      auth: 'session',
      query: syncQuery,
      handler: ({ session, query }) =>
        syncChanges(db, session.userId, {
          cursor: query.cursor,
          rootId: query.root,
          limit: query.limit,
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/vault/folders',
      auth: 'session',
      status: 201,
      body: newFolder,
      handler: ({ session, body, ip }) =>
        write({ type: 'folder_created', ip, userId: session.userId, folderId: body.id }, (tx) =>
          createFolder(tx, session.userId, body, now()),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/vault/folders/:id',
      auth: 'session',
      params: idParams,
      handler: ({ session, params }) => getFolder(db, session.userId, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/vault/folders/:id',
      auth: 'session',
      params: idParams,
      body: folderChange,
      handler: ({ session, params, body, ip }) =>
        write({ type: 'folder_updated', ip, userId: session.userId, folderId: params.id }, (tx) =>
          updateFolder(tx, session.userId, params.id, body, now()),
        ),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/vault/folders/:id',
      auth: 'session',
      params: idParams,
      query: revisionQuery,
      handler: ({ session, params, query, ip }) =>
        write({ type: 'folder_deleted', ip, userId: session.userId, folderId: params.id }, (tx) =>
          deleteFolder(tx, session.userId, params.id, query.revision, now()),
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/vault/records',
      auth: 'session',
      status: 201,
      bodyLimit: RECORD_BODY_LIMIT,
      body: newRecord,
      handler: ({ session, body, ip }) =>
        write(
          {
            type: 'record_created',
            ip,
            userId: session.userId,
            recordId: body.id,
            folderId: body.folderId,
          },
          (tx) => createRecord(tx, session.userId, body, now()),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/vault/records/:id',
      auth: 'session',
      params: idParams,
      handler: ({ session, params }) => getRecord(db, session.userId, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/vault/records/:id',
      auth: 'session',
      bodyLimit: RECORD_BODY_LIMIT,
      params: idParams,
      body: recordWrite,
      handler: ({ session, params, body, ip }) =>
        write(
          {
            type: 'record_updated',
            ip,
            userId: session.userId,
            recordId: params.id,
            folderId: body.folderId,
          },
          (tx) => updateRecord(tx, session.userId, params.id, body, now()),
        ),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/vault/records/:id',
      auth: 'session',
      params: idParams,
      query: revisionQuery,
      handler: ({ session, params, query, ip }) =>
        write({ type: 'record_deleted', ip, userId: session.userId, recordId: params.id }, (tx) =>
          deleteRecord(tx, session.userId, params.id, query.revision, now()),
        ),
    }),
  ];
}
