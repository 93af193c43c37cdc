import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CofferError, isCofferError } from '../../shared/errors.ts';
import type { AuditEvent } from '../audit/audit.ts';
import type { Queryable } from '../db/types.ts';
import { validate } from '../http/route.ts';
import type { AccessRevision, CachedAnswer, DeviceActor } from './admission.ts';
import { authenticateDevice } from './authenticate.ts';
import type { AuthenticatedDevice, DeviceAuthDeps } from './authenticate.ts';
import type { BoundDevice } from './bound-devices.ts';

export interface SignedContext<P, Q, B> {
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

export interface SignedRoute {
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
export function signedRoute<P, Q, B, R>(
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
const noRevision: AccessRevision = { vaultRevision: -1, accessRevision: -1 };

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
