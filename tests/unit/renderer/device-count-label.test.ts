import { describe, expect, it } from 'vitest';
import { deviceCountLabel } from '../../../renderer/src/apps/format.ts';
import type { DeviceState } from '../../../shared/client/index.ts';

const devices = (...states: DeviceState[]) => states.map((state) => ({ state }));

describe('the applications list names what its device count counts', () => {
  it('says None when an application has no devices', () => {
    expect(deviceCountLabel([])).toBe('None');
  });

  it('counts active devices out of all of them', () => {
    expect(deviceCountLabel(devices('active', 'active', 'revoked'))).toBe('2 active of 3');
  });

  it('names pending tokens apart from active devices', () => {
    expect(deviceCountLabel(devices('active', 'pending', 'expired', 'unredeemed_expired'))).toBe(
      '1 active, 1 pending of 4',
    );
  });
});
