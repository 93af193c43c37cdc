import { isCofferError } from '../../../../../shared/errors.ts';

/** The CofferError code `run` throws, 'none' when it returns, 'foreign' for another error. */
export function thrownCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return isCofferError(error) ? error.code : 'foreign';
  }
  return 'none';
}

/** The CofferError thrown by `run`, failing the test when there is none. */
export function thrownError(run: () => unknown): Error & { code: string } {
  try {
    run();
  } catch (error) {
    if (isCofferError(error)) return error;
    throw error;
  }
  throw new Error('expected a CofferError, nothing was thrown');
}

/** The CofferError code a promise rejects with, 'none' when it resolves. */
export async function rejectedCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isCofferError(error) ? error.code : 'foreign';
  }
  return 'none';
}
