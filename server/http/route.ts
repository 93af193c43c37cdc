import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CofferError } from '../../shared/errors.ts';
import type { Session } from '../auth/sessions.ts';
import { describeIssues, issueMessage } from '../zod-issues.ts';
import { clientAddress } from './client-address.ts';

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Present on every route whose `auth` is `session`. */
  session: Session;
  ip: string;
  request: FastifyRequest;
  reply: FastifyReply;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec<P, Q, B> {
  method: Method;
  url: string;
  auth: 'none' | 'session';
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Bytes; routes that take ciphertext raise it, every other route keeps the small default. */
  bodyLimit?: number;
  /** Status of a successful answer; 204 sends no body. */
  status?: number;
  handler(context: RouteContext<P, Q, B>): Promise<unknown>;
}

/** A route with its types erased: what the registration table holds. */
export interface Route {
  method: Method;
  url: string;
  auth: 'none' | 'session';
  bodyLimit: number;
  status: number;
  run(request: FastifyRequest, reply: FastifyReply, session: Session): Promise<unknown>;
}

const noParams = z.object({}).strict();
/** A route that declares no body accepts none: a stray body is a client bug worth reporting. */
const noBody = z.undefined({ message: 'this route takes no body' });

const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Declares a route. Its path parameters, query and body are validated with zod before the handler
 * runs (unknown members refused), so the handler sees typed, checked input.
 */
export function defineRoute<P = Record<never, never>, Q = Record<never, never>, B = undefined>(
  spec: RouteSpec<P, Q, B>,
): Route {
  return {
    method: spec.method,
    url: spec.url,
    auth: spec.auth,
    bodyLimit: spec.bodyLimit ?? DEFAULT_BODY_LIMIT,
    status: spec.status ?? 200,
    run: (request, reply, session) =>
      spec.handler({
        params: validate('path', spec.params ?? (noParams as z.ZodType<P>), request.params),
        query: validate('query', spec.query ?? (noParams as z.ZodType<Q>), request.query),
        body: validate('body', spec.body ?? (noBody as unknown as z.ZodType<B>), request.body),
        session,
        ip: clientAddress(request),
        request,
        reply,
      }),
  };
}

export type Authenticate = (request: FastifyRequest) => Promise<Session>;

/** Registers routes from one table, so every route gets the same authentication and checks. */
export function registerRoutes(
  app: FastifyInstance,
  authenticate: Authenticate,
  routes: readonly Route[],
): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      bodyLimit: route.bodyLimit,
      handler: async (request, reply) => {
        // Authenticate before validating, so an anonymous caller learns nothing about a route.
        const session =
          route.auth === 'session' ? await authenticate(request) : (undefined as never);
        const result = await route.run(request, reply, session);
        reply.status(route.status);
        return route.status === 204 ? reply.send() : result;
      },
    });
  }
}

/** Longer details would not fit a problem body as clients read it (problem-details.ts). */
const MAX_DETAIL = 900;

/**
 * Validates input against its schema. A refusal names each offending field and what is wrong
 * with its shape (server/zod-issues.ts), never the submitted value, so nothing secret is echoed.
 */
export function validate<T>(where: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value, { error: issueMessage });
  if (result.success) return result.data;
  const problems = describeIssues(result.error.issues).map(({ path, message }) =>
    path === '' ? message : `${path}: ${message}`,
  );
  const detail = `Invalid ${where}: ${problems.join('; ')}`;
  throw new CofferError(
    'invalid_input',
    detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL)}…` : detail,
  );
}
