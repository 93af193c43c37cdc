import { describe, expect, it } from 'vitest';
import {
  checkKdfParams,
  DEFAULT_KDF_PARAMS,
  KDF_CEILING,
  KDF_FLOOR,
} from '../../../../shared/keys/index.ts';
import { thrownCode, thrownError } from '../protocol/helpers/errors.ts';

const base = { algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 };

describe('KDF parameter policy', () => {
  it('defaults to 64 MiB, 3 passes, 4 lanes, which pass the policy', () => {
    expect(DEFAULT_KDF_PARAMS).toEqual(base);
    expect(checkKdfParams(DEFAULT_KDF_PARAMS)).toEqual(base);
  });

  it('accepts exactly the floor and exactly the ceiling', () => {
    expect(checkKdfParams({ ...base, ...KDF_FLOOR })).toMatchObject(KDF_FLOOR);
    expect(checkKdfParams({ ...base, ...KDF_CEILING })).toMatchObject(KDF_CEILING);
    expect(KDF_FLOOR).toEqual({ memoryKiB: 19456, passes: 2, lanes: 1 });
  });

  it.each([
    ['Argon2id m=1 MiB t=1 p=1 (CR-01)', { memoryKiB: 1024, passes: 1, lanes: 1 }],
    ['memory one KiB under the floor', { memoryKiB: 19455 }],
    ['a single pass', { passes: 1 }],
    ['zero lanes', { lanes: 0 }],
    ['PBKDF2 with 5,000 iterations (CR-01)', { algorithm: 'pbkdf2', iterations: 5000 }],
    ['PBKDF2 with 1 iteration', { algorithm: 'pbkdf2-sha256', iterations: 1 }],
    ['Argon2i instead of Argon2id', { algorithm: 'argon2i' }],
    ['no algorithm', { algorithm: undefined }],
    ['weak and costly at once (weakness is named first)', { memoryKiB: 1024, passes: 100 }],
  ])('refuses %s as too weak', (_what, change) => {
    const error = thrownError(() => checkKdfParams({ ...base, ...change }));
    expect(error.code).toBe('kdf_parameters_too_weak');
    expect(error.message).toMatch(/weaker|Argon2id/);
  });

  it.each([
    ['64 GiB of memory (CR-01 DoS)', { memoryKiB: 64 * 1024 * 1024 }],
    ['1 GiB + 1 KiB', { memoryKiB: 1024 * 1024 + 1 }],
    ['11 passes', { passes: 11 }],
    ['17 lanes', { lanes: 17 }],
  ])('refuses %s as too costly', (_what, change) => {
    expect(thrownCode(() => checkKdfParams({ ...base, ...change }))).toBe(
      'kdf_parameters_too_costly',
    );
  });

  it.each([
    ['null parameters', null],
    ['missing parameters', undefined],
    ['a string', 'argon2id'],
    ['null memory', { ...base, memoryKiB: null }],
    ['missing passes', { algorithm: 'argon2id', memoryKiB: 65536, lanes: 4 }],
    ['memory as a string', { ...base, memoryKiB: '65536' }],
    ['fractional passes', { ...base, passes: 2.5 }],
  ])('never maps %s to a default', (_what, value) => {
    const error = thrownError(() => checkKdfParams(value));
    expect(error.code).toBe('invalid_input');
  });
});
