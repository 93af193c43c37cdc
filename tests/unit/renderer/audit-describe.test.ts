import { describe, expect, it } from 'vitest';
import type { AuditEventView, AuditNames } from '../../../shared/client/index.ts';
import { AUDIT_EVENT_TYPES } from '../../../shared/protocol/audit-events.ts';
import { describeEvent, eventTypeLabel } from '../../../renderer/src/audit/describe-event.ts';

const ALICE = 'u'.repeat(22);
const BOB = 'b'.repeat(22);
const DEVICE = 'd'.repeat(22);
const APP = 'a'.repeat(22);
const FOLDER = 'f'.repeat(22);
const RECORD = 'r'.repeat(22);

const names: AuditNames = {
  users: { [ALICE]: { email: 'alice@example.com' }, [BOB]: { email: null } },
  devices: { [DEVICE]: { name: 'deploy-runner', appId: APP } },
  apps: { [APP]: { name: 'CI' } },
};
const local = {
  folderName: (id: string) => (id === FOLDER ? 'Production' : undefined),
  recordTitle: (id: string) => (id === RECORD ? 'db password' : undefined),
};

let seq = 0;
function event(fields: Partial<AuditEventView> & Pick<AuditEventView, 'type'>): AuditEventView {
  seq += 1;
  return {
    seq,
    time: '2026-12-04T20:10:06.000Z',
    outcome: 'success',
    ip: '127.0.0.1',
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
    ...fields,
  };
}

describe('audit events as sentences', () => {
  it('names a user actor by e-mail and a record by its local title', () => {
    const shown = describeEvent(
      event({ type: 'record_created', actorUserId: ALICE, recordId: RECORD, folderId: FOLDER }),
      names,
      local,
    );
    expect(shown).toEqual({
      actor: 'alice@example.com',
      sentence: 'alice@example.com created record “db password”',
      application: null,
      device: null,
    });
  });

  it('says which record only by a short id when the app does not hold it', () => {
    const other = 'x'.repeat(22);
    const shown = describeEvent(
      event({ type: 'record_deleted', actorUserId: ALICE, recordId: other }),
      names,
      local,
    );
    expect(shown.sentence).toBe('alice@example.com deleted a record (xxxxxxxx)');
  });

  it('shows a device the same way whether it acted or was acted on', () => {
    const fetch = describeEvent(
      event({ type: 'device_fetch', actorDeviceId: DEVICE, appId: APP, details: { count: 4 } }),
      names,
      local,
    );
    const redeemed = describeEvent(
      event({ type: 'device_redeemed', deviceId: DEVICE, appId: APP }),
      names,
      local,
    );
    const revoked = describeEvent(
      event({ type: 'device_revoked', actorUserId: ALICE, deviceId: DEVICE, appId: APP }),
      names,
      local,
    );
    expect(fetch).toEqual({
      actor: 'deploy-runner (CI)',
      sentence: 'Device deploy-runner (CI) fetched 4 records',
      application: 'CI',
      device: 'deploy-runner (CI)',
    });
    expect(redeemed.actor).toBe('deploy-runner (CI)');
    expect(redeemed.device).toBe('deploy-runner (CI)');
    expect(revoked.actor).toBe('alice@example.com');
    expect(revoked.device).toBe('deploy-runner (CI)');
    expect(revoked.sentence).toBe('alice@example.com revoked device deploy-runner (CI)');
  });

  it('gives a refusal its reason in words', () => {
    const shown = describeEvent(
      event({
        type: 'device_request_refused',
        outcome: 'failure',
        actorDeviceId: DEVICE,
        deviceId: DEVICE,
        reason: 'device_revoked',
      }),
      names,
      local,
    );
    expect(shown.sentence).toBe('Device deploy-runner (CI) was refused: device revoked');
    expect(shown.application).toBe('CI');
  });

  it('describes grants and managers with the mode and the other user', () => {
    const grant = describeEvent(
      event({
        type: 'grant_set',
        actorUserId: ALICE,
        appId: APP,
        folderId: FOLDER,
        details: { mode: 'read-only' },
      }),
      names,
      local,
    );
    expect(grant.sentence).toBe(
      'alice@example.com gave CI read-only access to folder “Production”',
    );
    const manager = describeEvent(
      event({ type: 'app_manager_set', actorUserId: ALICE, appId: APP, targetUserId: BOB }),
      names,
      local,
    );
    expect(manager.sentence).toBe('alice@example.com made user bbbbbbbb a manager of CI');
  });

  it('has a sentence of its own for every event type the server records', () => {
    for (const type of AUDIT_EVENT_TYPES) {
      const shown = describeEvent(event({ type, actorUserId: ALICE }), names, local);
      expect(shown.sentence, type).not.toContain(eventTypeLabel(type));
    }
    const future = describeEvent(
      event({ type: 'vault_exported', actorUserId: ALICE }),
      names,
      local,
    );
    expect(future.sentence).toBe('alice@example.com: Vault exported');
  });
});
