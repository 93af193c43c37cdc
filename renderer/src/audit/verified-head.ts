import { z } from 'zod';
import type { ChainHead } from '../../../shared/client/index.ts';

/**
 * The audit chain head this app verified last, per server (DESIGN.md "Audit"): the next
 * verification reports a log that no longer holds it. Kept like settings — in local storage,
 * under its own key, through a whitelist of three non-secret members — and read back through the
 * same schema, so an edited entry is ignored rather than trusted.
 */
export const VERIFIED_HEADS_KEY = 'coffer.audit.verifiedHeads';

const entry = z.strictObject({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  verifiedAt: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type VerifiedHead = z.infer<typeof entry>;

const MAX_SERVERS = 32;

export interface HeadStorage {
  getItem(name: string): string | null;
  setItem(name: string, value: string): void;
}

function readAll(storage: HeadStorage): Map<string, VerifiedHead> {
  const out = new Map<string, VerifiedHead>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(VERIFIED_HEADS_KEY) ?? '{}');
  } catch {
    return out;
  }
  if (typeof parsed !== 'object' || parsed === null) return out;
  for (const [server, value] of Object.entries(parsed)) {
    const valid = entry.safeParse(value);
    if (valid.success && isOrigin(server)) out.set(server, valid.data);
  }
  return out;
}

function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

export function loadVerifiedHead(storage: HeadStorage, server: string): VerifiedHead | null {
  return readAll(storage).get(server) ?? null;
}

export function saveVerifiedHead(
  storage: HeadStorage,
  server: string,
  head: ChainHead,
  verifiedAt: number,
): VerifiedHead {
  const all = readAll(storage);
  const saved = entry.parse({ seq: head.seq, hash: head.hash, verifiedAt });
  all.delete(server);
  all.set(server, saved);
  const kept = [...all].slice(-MAX_SERVERS);
  storage.setItem(VERIFIED_HEADS_KEY, JSON.stringify(Object.fromEntries(kept)));
  return saved;
}
