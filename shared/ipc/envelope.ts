import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../protocol/error-codes.ts';

/**
 * Every IPC answer is an envelope rather than a thrown error: Electron flattens an error thrown in
 * a main-process handler into a string (losing its code), so the code travels as data instead.
 */
export type IpcFailure = { ok: false; error: { code: ErrorCode; message: string } };
export type IpcSuccess<T> = { ok: true; value: T };
export type IpcResult<T> = IpcSuccess<T> | IpcFailure;

const failureSchema = z.strictObject({
  ok: z.literal(false),
  error: z.strictObject({ code: z.enum(ERROR_CODES), message: z.string().max(500) }),
});

/** The schema of an envelope whose success value follows `value`. */
export function ipcResultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value }),
    failureSchema,
  ]);
}

export function ipcOk<T>(value: T): IpcSuccess<T> {
  return { ok: true, value };
}

export function ipcFail(code: ErrorCode, message: string): IpcFailure {
  return { ok: false, error: { code, message } };
}
