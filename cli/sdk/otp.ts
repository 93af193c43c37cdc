import type { OtpCode } from '../../shared/records/totp/index.ts';

/**
 * The current one-time code of a stored otpauth://, steam:// or bare secret. The totp module and
 * the otpauth library load only when a code is asked for, keeping every other command's
 * start-up light.
 */
export async function otpCode(stored: string, nowMs: number): Promise<OtpCode> {
  const { otpCodeAt, parseOtp } = await import('../../shared/records/totp/index.ts');
  return otpCodeAt(parseOtp(stored).entry, nowMs);
}
