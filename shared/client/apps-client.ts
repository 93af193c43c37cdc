import { fromBase64Url, randomId, toBase64Url } from '../crypto/index.ts';
import { CofferError } from '../errors.ts';
import {
  createAppKey,
  grantFolderToApp,
  mintDeviceToken,
  unwrapAppKey,
  type Vault,
} from '../keys/index.ts';
import type { IpRule } from '../protocol/bodies.ts';
import { canonicalCidr } from '../protocol/cidr.ts';
import type { GrantMode } from '../protocol/device-api.ts';
import { DISPLAY_NAME_MAX, displayNameField } from '../protocol/fields.ts';
import { FIRST_ACCESS_MAX_SECONDS } from '../protocol/token-lifetime.ts';
import type { ApiClient } from './api-client.ts';
import {
  applicationList,
  applicationView,
  deviceList,
  deletedApplication,
  deviceView,
  type ApplicationView,
  type DeviceView,
} from './admin-wire.ts';
import { emptyResponse, syncResponse } from './wire.ts';

/** How many tokens one "Add device" may issue; the server takes up to 100 per request. */
export const MAX_DEVICES_PER_ISSUE = 20;
/** DESIGN.md: the first-access window defaults to 60 minutes and is at most 24 hours. */
export const DEFAULT_FIRST_ACCESS_MINUTES = 60;
export const MAX_FIRST_ACCESS_MINUTES = FIRST_ACCESS_MAX_SECONDS / 60;

export interface AddDevicesOptions {
  /** One device's name, or the stem of several (`ci-runner` → `ci-runner-1`, `ci-runner-2`…). */
  readonly name: string;
  readonly count: number;
  readonly firstAccessMinutes: number;
  /** Unix seconds after which the bound device is refused; undefined: no expiry. */
  readonly accessExpiry?: number | undefined;
  readonly ipRule: IpRule;
  /** Unix seconds; the caller's clock (tests move it). */
  readonly nowSeconds: number;
}

/** A one-time token and the device it belongs to. The token is shown once and never stored. */
export interface IssuedToken {
  readonly token: string;
  readonly device: DeviceView;
}

/** A top-level folder's key as this user holds it: what a grant rewraps for the application. */
interface FolderMembership {
  readonly keyVersion: number;
  readonly wrappedKey: Uint8Array;
}

/**
 * Larger than any sequence a server hands out (the sync route takes up to 15 digits): a sync from
 * here returns no folders or records, only the memberships every sync answer carries.
 */
const BEYOND_EVERY_CURSOR = 999_999_999_999_999;

/**
 * Applications, grants and device tokens as a manager's app does them (DESIGN.md "Applications,
 * one-time tokens and devices"). Every key is made and wrapped here: the server receives the app
 * key wrapped under the user key, folder keys wrapped under the app key, and for each device the
 * app key wrapped under a token-derived key — never a token, never a raw key.
 */
export class AppsClient {
  readonly #api: ApiClient;
  readonly #vault: () => Vault;

  constructor(api: ApiClient, vault: () => Vault) {
    this.#api = api;
    this.#vault = vault;
  }

  async list(): Promise<ApplicationView[]> {
    return (await this.#api.get('/api/v1/apps', { schema: applicationList })).applications;
  }

  async get(appId: string): Promise<ApplicationView> {
    return this.#api.get(`/api/v1/apps/${appId}`, { schema: applicationView });
  }

  /** Creates an application with a fresh app key, wrapped under this user's key. */
  async create(name: string): Promise<ApplicationView> {
    const cleanName = checkName(name, 'An application');
    const id = randomId();
    const created = await createAppKey(this.#vault(), id, 1);
    return this.#api.post('/api/v1/apps', {
      body: { id, name: cleanName, keyVersion: 1, wrappedAppKey: toBase64Url(created.wrapped) },
      schema: applicationView,
    });
  }

  async rename(appId: string, name: string): Promise<ApplicationView> {
    return this.#api.put(`/api/v1/apps/${appId}`, {
      body: { name: checkName(name, 'An application') },
      schema: applicationView,
    });
  }

  /** A disabled application's devices are refused (`application_disabled`) until re-enabled. */
  async setDisabled(appId: string, disabled: boolean): Promise<ApplicationView> {
    return this.#api.put(`/api/v1/apps/${appId}`, { body: { disabled }, schema: applicationView });
  }

  /** Deletes the application; the server revokes every device of it in the same step. */
  async delete(appId: string): Promise<{ revokedDevices: number }> {
    return this.#api.delete(`/api/v1/apps/${appId}`, { schema: deletedApplication });
  }

  /**
   * Grants a top-level folder (or rewraps an existing grant): the folder key, opened with this
   * user's key, is sealed under the app key and bound to both ids and both key versions.
   */
  async grant(app: ApplicationView, folderId: string, mode: GrantMode): Promise<ApplicationView> {
    const vault = this.#vault();
    const appKeyVersion = await this.#openAppKey(vault, app);
    const folder = (await this.#memberships()).get(folderId);
    if (folder === undefined) {
      throw new CofferError(
        'not_found',
        'This folder is not a top-level folder of your vault; only those can be granted.',
      );
    }
    const sealed = await grantFolderToApp(vault, {
      appId: app.id,
      appKeyVersion,
      folderId,
      folderKeyVersion: folder.keyVersion,
      wrappedFolderKey: folder.wrappedKey,
    });
    return this.#api.put(`/api/v1/apps/${app.id}/grants/${folderId}`, {
      body: {
        mode,
        appKeyVersion,
        folderKeyVersion: folder.keyVersion,
        wrappedFolderKey: toBase64Url(sealed),
      },
      schema: applicationView,
    });
  }

  /** Switches a grant between read-only and editable; the wrapped key stays as it is. */
  async changeGrantMode(appId: string, folderId: string, mode: GrantMode) {
    return this.#api.put(`/api/v1/apps/${appId}/grants/${folderId}`, {
      body: { mode },
      schema: applicationView,
    });
  }

  /** The server stops serving the folder on the device's next request. */
  async removeGrant(appId: string, folderId: string): Promise<void> {
    await this.#api.delete(`/api/v1/apps/${appId}/grants/${folderId}`, { schema: emptyResponse });
  }

  async listDevices(appId: string): Promise<DeviceView[]> {
    return (await this.#api.get(`/api/v1/apps/${appId}/devices`, { schema: deviceList })).devices;
  }

  /**
   * Mints `count` one-time tokens in this app and registers them in one request (all or none).
   * The answer pairs each token with its device; nothing here keeps the tokens.
   */
  async addDevices(app: ApplicationView, options: AddDevicesOptions): Promise<IssuedToken[]> {
    const checked = checkAddDevices(options);
    const vault = this.#vault();
    const { wrapped, version } = managerWrap(app);
    const minted = [];
    for (const deviceName of checked.names) {
      minted.push(
        await mintDeviceToken(vault, {
          origin: this.#api.baseUrl,
          appId: app.id,
          appKeyVersion: version,
          wrappedAppKey: wrapped,
          name: deviceName,
          firstAccessDeadline: checked.firstAccessDeadline,
          ...(options.accessExpiry === undefined ? {} : { accessExpiry: options.accessExpiry }),
          ipRule: checked.ipRule,
          nowSeconds: options.nowSeconds,
        }),
      );
    }
    const answer = await this.#api.post(`/api/v1/apps/${app.id}/devices`, {
      body: { devices: minted.map((m) => m.registration) },
      schema: deviceList,
    });
    const byId = new Map(answer.devices.map((device) => [device.id, device]));
    return minted.map((m) => {
      const device = byId.get(m.registration.deviceId);
      if (device === undefined) {
        throw new CofferError('response_invalid', 'The server did not confirm every new device.');
      }
      return { token: m.token, device };
    });
  }

  async revokeDevice(appId: string, deviceId: string): Promise<DeviceView> {
    return this.#api.post(`/api/v1/apps/${appId}/devices/${deviceId}/revoke`, {
      schema: deviceView,
    });
  }

  async #openAppKey(vault: Vault, app: ApplicationView): Promise<number> {
    const { wrapped, version } = managerWrap(app);
    await unwrapAppKey(vault, app.id, version, wrapped);
    return version;
  }

  async #memberships(): Promise<Map<string, FolderMembership>> {
    const page = await this.#api.get('/api/v1/vault/sync', {
      query: { cursor: BEYOND_EVERY_CURSOR, limit: 1 },
      schema: syncResponse,
    });
    return new Map(
      page.memberships.map((m) => [
        m.folderId,
        { keyVersion: m.keyVersion, wrappedKey: fromBase64Url(m.wrappedKey) },
      ]),
    );
  }
}

/** This user's wrap of the app key; admins who do not manage the app have none. */
function managerWrap(app: ApplicationView): { wrapped: Uint8Array; version: number } {
  if (app.wrappedAppKey === null || app.wrappedAppKeyVersion === null) {
    throw new CofferError(
      'forbidden',
      'You are not a manager of this application, so you do not hold its key.',
    );
  }
  if (app.wrappedAppKeyVersion !== app.keyVersion) {
    throw new CofferError(
      'conflict',
      'Your copy of this application’s key is not the current version; ask another manager.',
    );
  }
  return { wrapped: fromBase64Url(app.wrappedAppKey), version: app.keyVersion };
}

function checkName(name: string, what: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new CofferError('invalid_input', `${what} needs a name.`);
  if (!displayNameField.safeParse(trimmed).success) {
    throw new CofferError(
      'invalid_input',
      `${what}'s name has at most ${DISPLAY_NAME_MAX} characters and no control characters.`,
    );
  }
  return trimmed;
}

function checkAddDevices(options: AddDevicesOptions) {
  const name = checkName(options.name, 'A device');
  const count = options.count;
  if (!Number.isInteger(count) || count < 1 || count > MAX_DEVICES_PER_ISSUE) {
    throw new CofferError(
      'invalid_input',
      `Issue between 1 and ${MAX_DEVICES_PER_ISSUE} device tokens at a time.`,
    );
  }
  const minutes = options.firstAccessMinutes;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_FIRST_ACCESS_MINUTES) {
    throw new CofferError(
      'invalid_input',
      'The first-access window is between 1 minute and 24 hours (1440 minutes).',
    );
  }
  if (options.accessExpiry !== undefined && options.accessExpiry <= options.nowSeconds) {
    throw new CofferError('invalid_input', 'The access expiry must be in the future.');
  }
  const names = count === 1 ? [name] : Array.from({ length: count }, (_, i) => `${name}-${i + 1}`);
  for (const each of names) checkName(each, 'A device');
  return {
    names,
    firstAccessDeadline: options.nowSeconds + minutes * 60,
    ipRule: checkIpRule(options.ipRule),
  };
}

/** A CIDR allow-list is kept only in canonical form, so what is shown is what is enforced. */
export function checkIpRule(rule: IpRule): IpRule {
  if (rule.type !== 'cidr') return rule;
  if (rule.allow.length === 0) {
    throw new CofferError('invalid_input', 'A CIDR allow-list needs at least one address range.');
  }
  const allow = rule.allow.map((block) => {
    const canonical = canonicalCidr(block.trim());
    if (canonical === undefined) {
      throw new CofferError(
        'invalid_input',
        `“${block.slice(0, 50)}” is not an address range such as 203.0.113.0/24.`,
      );
    }
    return canonical;
  });
  return { type: 'cidr', allow };
}
