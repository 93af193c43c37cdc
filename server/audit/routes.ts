import { z } from 'zod';
import { CofferError } from '../../shared/errors.ts';
import type { ServerContext } from '../context.ts';
import { defineRoute } from '../http/route.ts';
import { id } from '../http/schemas.ts';
import { AUDIT_EVENT_TYPES } from '../../shared/protocol/audit-events.ts';
import { verifyChain } from './chain.ts';
import { toJsonLines, toSyslog } from './export.ts';
import { namesFor } from './names.ts';
import { auditView, queryAudit } from './query.ts';

const count = (max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, { message: 'must be a non-negative integer' })
    .transform(Number)
    .pipe(z.number().max(max));

const filterFields = {
  actor: id.optional(),
  app: id.optional(),
  device: id.optional(),
  folder: id.optional(),
  event: z.enum(AUDIT_EVENT_TYPES).optional(),
  since: count(Number.MAX_SAFE_INTEGER).optional(),
  until: count(Number.MAX_SAFE_INTEGER).optional(),
  after: count(Number.MAX_SAFE_INTEGER).optional(),
};

/**
 * Chain order unless `order=newest`, whose pages follow `before` (the last page's
 * `nextBefore`).
 */
const listQuery = z
  .object({
    ...filterFields,
    order: z.enum(['chain', 'newest']).default('chain'),
    before: count(Number.MAX_SAFE_INTEGER).optional(),
    limit: count(1000).pipe(z.number().min(1)).default(100),
  })
  .strict()
  .refine((q) => q.order === 'newest' || q.before === undefined, {
    message: 'before pages only the newest-first order',
    path: ['before'],
  });

const exportQuery = z
  .object({
    ...filterFields,
    format: z.enum(['jsonl', 'syslog']),
    limit: count(10_000).pipe(z.number().min(1)).default(10_000),
  })
  .strict();

const NEXT_HEADER = 'coffer-audit-next-after';

export function auditRoutes({ db, config }: ServerContext) {
  const hostname = config.publicUrl ? new URL(config.publicUrl).hostname : config.listen.host;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit',
      auth: 'session',
      query: listQuery,
      handler: async ({ session, query }) => {
        const newest = query.order === 'newest';
        const before = newest ? (query.before ?? Number.MAX_SAFE_INTEGER) : undefined;
        const page = await queryAudit(db, session, { ...query, before });
        return {
          events: page.rows.map(auditView),
          nextAfter: newest ? null : page.next,
          nextBefore: newest ? page.next : null,
          names: await namesFor(db, page.rows),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit/export',
      auth: 'session',
      query: exportQuery,
      handler: async ({ session, query, reply }) => {
        const page = await queryAudit(db, session, query);
        if (page.next !== null) reply.header(NEXT_HEADER, String(page.next));
        if (query.format === 'jsonl') {
          reply.type('application/jsonl; charset=utf-8');
          return toJsonLines(page.rows);
        }
        reply.type('text/plain; charset=utf-8');
        return toSyslog(page.rows, hostname);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit/verify',
      auth: 'session',
      handler: ({ session }) => {
        // Verifying needs every row; others see only part of the log, so only admins verify.
        if (!session.isAdmin) {
          return Promise.reject(
            new CofferError('forbidden', 'Only admins can verify the audit log'),
          );
        }
        return verifyChain(db);
      },
    }),
  ];
}
