import type { AuditEventView, AuditNames } from '../../../shared/client/index.ts';
import type { AuditEventType } from '../../../shared/protocol/audit-events.ts';
import { accountNames, type AccountNames } from './account-names.ts';

/**
 * What the app knows beside the server's names: folder names and record titles are plaintext
 * only here, after unlock, so they are looked up locally and never asked of the server.
 */
export interface LocalNames {
  folderName(id: string): string | undefined;
  recordTitle(id: string): string | undefined;
}

/** One audit row as people read it. */
export interface EventDescription {
  /** Who acted: an e-mail, a device with its application, or "Unknown". */
  readonly actor: string;
  readonly sentence: string;
  readonly application: string | null;
  /** The device the event concerns, whether it acted (a fetch) or was acted on (a revocation). */
  readonly device: string | null;
}

const UNKNOWN = 'Unknown';

/** Events a device performs itself, whichever device column the server filed it in. */
const DEVICE_ACTS: ReadonlySet<string> = new Set<AuditEventType>([
  'device_redeemed',
  'device_redemption_failed',
  'device_fetch',
  'device_record_created',
  'device_record_updated',
  'device_request_refused',
]);

/** A reason code such as `token_already_used` as words. */
export function reasonText(code: string): string {
  return code.replaceAll('_', ' ');
}

/** An event type such as `device_fetch` as a label for the event filter ("Device fetch"). */
export function eventTypeLabel(type: string): string {
  const words = type.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function short(id: string): string {
  return id.slice(0, 8);
}

/**
 * `people` names the page's accounts (account-names.ts); by default as if the viewer were not on
 * it. Build it once per page: whether a name needs its provider depends on the whole page.
 */
export function describeEvent(
  event: AuditEventView,
  names: AuditNames,
  local: LocalNames,
  people: AccountNames = accountNames(names.users, null),
): EventDescription {
  const user = (id: string) => people.label(id);
  const app = (id: string) => names.apps[id]?.name ?? `application ${short(id)}`;
  const deviceId = event.actorDeviceId ?? event.deviceId;
  const deviceName = (id: string) => names.devices[id]?.name ?? short(id);
  const deviceAppId = deviceId === undefined ? undefined : names.devices[deviceId]?.appId;
  const appId = event.appId ?? deviceAppId;
  const device = deviceId === undefined ? null : deviceName(deviceId);
  /** "deploy-runner (CI pipeline)": a device is only meaningful with its application. */
  const deviceLabel =
    device === null ? 'a device' : appId === undefined ? device : `${device} (${app(appId)})`;

  // A redemption or a refusal is the device's own act, though some rows file it as the object.
  const deviceActs = event.actorDeviceId !== undefined || DEVICE_ACTS.has(event.type);
  const actor =
    event.actorUserId !== undefined
      ? user(event.actorUserId)
      : deviceActs && deviceId !== undefined
        ? deviceLabel
        : UNKNOWN;
  const subject = actor === UNKNOWN ? 'Someone' : actor;
  const asDevice = device === null ? 'A device' : `Device ${deviceLabel}`;
  const folder = quoted('folder', event.folderId, local.folderName);
  const record = quoted('record', event.recordId, local.recordTitle);
  const appName = appId === undefined ? 'an application' : app(appId);
  const target = event.targetUserId === undefined ? 'someone' : user(event.targetUserId);

  const text = sentence(event, {
    subject,
    asDevice,
    deviceLabel,
    folder,
    record,
    appName,
    target,
  });
  const refused =
    event.outcome === 'failure' && event.reason !== undefined
      ? `${text}: ${reasonText(event.reason)}`
      : text;
  return {
    actor,
    sentence: refused,
    application: appId === undefined ? null : app(appId),
    device: device === null ? null : deviceLabel,
  };
}

interface Parts {
  subject: string;
  asDevice: string;
  deviceLabel: string;
  folder: string;
  record: string;
  appName: string;
  target: string;
}

function quoted(
  kind: string,
  id: string | undefined,
  lookup: (id: string) => string | undefined,
): string {
  if (id === undefined) return `a ${kind}`;
  const known = lookup(id);
  return known === undefined ? `a ${kind} (${short(id)})` : `${kind} “${known}”`;
}

function count(event: AuditEventView, one: string, many: string): string {
  const n = event.details?.['count'];
  return typeof n === 'number' ? `${n} ${n === 1 ? one : many}` : many;
}

function sentence(event: AuditEventView, p: Parts): string {
  const type = event.type as AuditEventType;
  switch (type) {
    case 'sign_in':
      return `${p.subject} signed in`;
    case 'sign_in_refused': {
      const issuer = event.details?.['issuer'];
      return typeof issuer === 'string'
        ? `A sign-in through ${issuer} was refused`
        : 'A sign-in was refused';
    }
    case 'sign_out':
      return `${p.subject} signed out`;
    case 'account_keys_enrolled':
      return `${p.subject} created a master password and account keys`;
    case 'master_password_changed':
      return `${p.subject} changed their master password`;
    case 'folder_created':
      return `${p.subject} created ${p.folder}`;
    case 'folder_updated':
      return `${p.subject} changed ${p.folder}`;
    case 'folder_deleted':
      return `${p.subject} deleted ${p.folder}`;
    case 'record_created':
      return `${p.subject} created ${p.record}`;
    case 'record_updated':
      return `${p.subject} changed ${p.record}`;
    case 'record_deleted':
      return `${p.subject} deleted ${p.record}`;
    case 'app_created':
      return `${p.subject} created application ${p.appName}`;
    case 'app_renamed':
      return `${p.subject} renamed application ${p.appName}`;
    case 'app_disabled':
      return `${p.subject} disabled application ${p.appName}`;
    case 'app_enabled':
      return `${p.subject} enabled application ${p.appName}`;
    case 'app_deleted':
      return `${p.subject} deleted application ${p.appName}`;
    case 'app_manager_set':
      return `${p.subject} made ${p.target} a manager of ${p.appName}`;
    case 'app_manager_removed':
      return `${p.subject} removed ${p.target} as a manager of ${p.appName}`;
    case 'grant_set': {
      const mode = event.details?.['mode'];
      const access = typeof mode === 'string' ? `${mode} access` : 'access';
      return `${p.subject} gave ${p.appName} ${access} to ${p.folder}`;
    }
    case 'grant_removed':
      return `${p.subject} removed the access of ${p.appName} to ${p.folder}`;
    case 'device_token_issued':
      return `${p.subject} issued a device token for ${p.deviceLabel}`;
    case 'device_revoked':
      return `${p.subject} revoked device ${p.deviceLabel}`;
    case 'device_redeemed':
      return `${p.asDevice} redeemed its token`;
    case 'device_redemption_failed':
      return `${p.asDevice} failed to redeem a token`;
    case 'device_fetch':
      return `${p.asDevice} fetched ${count(event, 'record', 'records')}`;
    case 'device_record_created':
      return `${p.asDevice} created ${p.record}`;
    case 'device_record_updated':
      return `${p.asDevice} changed ${p.record}`;
    case 'device_request_refused':
      return `${p.asDevice} was refused`;
    default:
      // A newer server's event: still readable, as its type.
      return `${p.subject}: ${eventTypeLabel(event.type)}`;
  }
}
