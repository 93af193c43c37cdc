import { CofferError } from '../errors.ts';
import { toBase64Url } from './bytes.ts';

/**
 * The one source of randomness for keys, IVs, salts and ids. A stuck generator is the classic way
 * AES-GCM loses everything (repeated IVs expose the authentication key, RFC 5116 §5.1.1), so the
 * output is health-checked before anything is encrypted with it (SECURITY-CASES CR-02):
 * - a self-test before the first use draws two blocks and refuses identical or constant output;
 * - every draw of 12 bytes or more (every IV, key and salt) is refused when all its bytes are
 *   equal — a false alarm has probability 2^-88 at 12 bytes.
 * Failures throw `crypto_rng_failure`; nothing is encrypted with the bad output.
 */

// WebCrypto refuses more than 65,536 bytes per getRandomValues call (W3C WebCrypto §10.1.1).
const CHUNK = 65536;
const MAX_LENGTH = 1 << 30;
const CHECKED_LENGTH = 12;
const SELF_TEST_LENGTH = 32;

let selfTestPassed = false;

function fill(target: Uint8Array<ArrayBuffer>): void {
  try {
    for (let offset = 0; offset < target.length; offset += CHUNK) {
      globalThis.crypto.getRandomValues(target.subarray(offset, offset + CHUNK));
    }
  } catch (error) {
    throw new CofferError('crypto_rng_failure', 'the system random generator failed', {
      cause: error,
    });
  }
}

function isConstant(bytes: Uint8Array): boolean {
  const first = bytes[0];
  for (const byte of bytes) if (byte !== first) return false;
  return true;
}

function stuck(): CofferError {
  return new CofferError(
    'crypto_rng_failure',
    'the system random generator returned repeating output; refusing to create keys or encrypt',
  );
}

/**
 * Runs the start-up health test now (it otherwise runs before the first draw). Exposed so an app
 * can fail at launch rather than at the first save, and so tests can prove it detects a stub.
 */
export function runRngSelfTest(): void {
  selfTestPassed = false;
  const a = new Uint8Array(SELF_TEST_LENGTH);
  const b = new Uint8Array(SELF_TEST_LENGTH);
  fill(a);
  fill(b);
  let same = true;
  for (let i = 0; i < SELF_TEST_LENGTH; i += 1) if (a[i] !== b[i]) same = false;
  if (same || isConstant(a) || isConstant(b)) throw stuck();
  selfTestPassed = true;
}

export function randomBytes(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_LENGTH) {
    throw new CofferError('invalid_input', `random length must be an integer in 0..${MAX_LENGTH}`);
  }
  if (!selfTestPassed) runRngSelfTest();
  const out = new Uint8Array(length);
  fill(out);
  if (length >= CHECKED_LENGTH && isConstant(out)) {
    selfTestPassed = false;
    throw stuck();
  }
  return out;
}

/**
 * 128 random bits as 22 base64url characters. Ids are passed as command-line arguments, so one
 * starting with '-' would be read as an option; such draws (1 in 64) are discarded and redrawn,
 * which keeps every remaining id equally likely.
 */
export function randomId(): string {
  for (;;) {
    const id = toBase64Url(randomBytes(16));
    if (!id.startsWith('-')) return id;
  }
}
