import { request as httpRequest } from 'node:http';
import {
  fromBase64Url,
  generateAeadKeyBytes,
  generateEcdhKeyPair,
  generateSigningKeyPair,
  importAeadKey,
  randomId,
  seal,
  toBase64Url,
  utf8,
  type AeadKey,
} from '../../../../shared/crypto/index.ts';
import {
  Vault,
  completeRedemption,
  createAppKey,
  createFolderKey,
  encryptRecord,
  grantFolderToApp,
  mintDeviceToken,
  prepareRedemption,
  signDeviceRequest,
  type DeviceProfile,
  type MintOptions,
} from '../../../../shared/keys/index.ts';
import type { IpRule } from '../../../../shared/protocol/bodies.ts';
import {
  DEVICE_ROUTES,
  folderNameAad,
  redemptionCore,
  type GrantMode,
} from '../../../../shared/protocol/device-api.ts';
import type { ApiResponse, Harness } from './harness.ts';

/** A body that is not JSON (which a test then asserts on through `text`) reads as empty. */
function parseBody(text: string): ApiResponse['body'] {
  try {
    return text ? (JSON.parse(text) as ApiResponse['body']) : {};
  } catch {
    return {};
  }
}

/** A raw HTTP exchange, optionally from another loopback address (DT-04: 127.0.0.2). */
export function send(
  url: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: Uint8Array; localAddress?: string } = {},
): Promise<ApiResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        headers: {
          ...(options.body && options.body.length > 0
            ? { 'content-type': 'application/json', 'content-length': options.body.length }
            : {}),
          ...options.headers,
        },
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') headers.set(name, value);
          }
          resolve({ status: res.statusCode ?? 0, headers, body: parseBody(text), text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body && options.body.length > 0) req.write(options.body);
    req.end();
  });
}

export interface TestFolder {
  id: string;
  key: AeadKey;
  /** The folder key wrapped under the manager's user key, as the server stores it. */
  wrapped: Uint8Array;
}

export interface TestApp {
  id: string;
  wrapped: Uint8Array;
}

/**
 * A manager as the desktop app is one: a real key hierarchy from shared/keys (a vault made from
 * fresh random keys rather than a master password, which these tests do not exercise).
 */
export class TestManager {
  readonly h: Harness;
  readonly token: string;
  readonly userId: string;
  readonly vault: Vault;

  private constructor(h: Harness, token: string, userId: string, vault: Vault) {
    this.h = h;
    this.token = token;
    this.userId = userId;
    this.vault = vault;
  }

  static async signIn(h: Harness, subject: string, email = `${subject}@example.com`) {
    const session = await h.signIn(subject, { claims: { email } });
    const raw = generateAeadKeyBytes();
    const userKey = await importAeadKey(raw);
    raw.fill(0);
    const [encryption, signing] = await Promise.all([
      generateEcdhKeyPair(),
      generateSigningKeyPair(),
    ]);
    const vault = new Vault(randomId(), { userKey, encryption, signing });
    return new TestManager(h, session.token, session.userId, vault);
  }

  api(method: string, path: string, body?: unknown) {
    return this.h.api(method, path, { token: this.token, ...(body === undefined ? {} : { body }) });
  }

  async folder(name = 'Production'): Promise<TestFolder> {
    const id = randomId();
    const created = await createFolderKey(this.vault, id, 1);
    const response = await this.api('POST', '/api/v1/vault/folders', {
      id,
      parentId: null,
      name: toBase64Url(await seal(created.key, utf8(name), folderNameAad(id, 1))),
      revision: 1,
      wrappedKey: toBase64Url(created.wrapped),
      keyVersion: 1,
    });
    if (response.status !== 201) throw new Error(`folder: ${response.status} ${response.text}`);
    return { id, key: created.key, wrapped: created.wrapped };
  }

  async subFolder(root: TestFolder, parentId: string, name = 'db'): Promise<string> {
    const id = randomId();
    const response = await this.api('POST', '/api/v1/vault/folders', {
      id,
      parentId,
      name: toBase64Url(await seal(root.key, utf8(name), folderNameAad(id, 1))),
      revision: 1,
    });
    if (response.status !== 201) throw new Error(`sub-folder: ${response.status} ${response.text}`);
    return id;
  }

  /** A record sealed as the app seals it, in `folderId` of the tree `root`. */
  async record(root: TestFolder, content: string, folderId = root.id): Promise<string> {
    const id = randomId();
    const binding = { folderId, recordId: id, keyVersion: 1, revision: 1, schemaVersion: 1 };
    const ciphertext = toBase64Url(await encryptRecord(root.key, binding, utf8(content)));
    const response = await this.api('POST', '/api/v1/vault/records', {
      id,
      folderId,
      ciphertext,
      revision: 1,
    });
    if (response.status !== 201) throw new Error(`record: ${response.status} ${response.text}`);
    return id;
  }

  async app(name = 'GitHub Actions'): Promise<TestApp> {
    const id = randomId();
    const created = await createAppKey(this.vault, id, 1);
    const response = await this.api('POST', '/api/v1/apps', {
      id,
      name,
      keyVersion: 1,
      wrappedAppKey: toBase64Url(created.wrapped),
    });
    if (response.status !== 201) throw new Error(`app: ${response.status} ${response.text}`);
    return { id, wrapped: created.wrapped };
  }

  async grant(app: TestApp, folder: TestFolder, mode: GrantMode = 'read-only') {
    const binding = { appId: app.id, appKeyVersion: 1, folderId: folder.id, folderKeyVersion: 1 };
    const sealed = await grantFolderToApp(this.vault, {
      ...binding,
      wrappedFolderKey: folder.wrapped,
    });
    return this.api('PUT', `/api/v1/apps/${app.id}/grants/${folder.id}`, {
      mode,
      appKeyVersion: 1,
      folderKeyVersion: 1,
      wrappedFolderKey: toBase64Url(sealed),
    });
  }

  /** Mints a device token in the "app" and registers it; answers the token and the response. */
  async mint(
    app: TestApp,
    options: Partial<Pick<MintOptions, 'firstAccessDeadline' | 'accessExpiry' | 'name'>> & {
      ipRule?: IpRule;
      /** false: only mint, for a test that registers several at once. */
      register?: boolean;
    } = {},
  ) {
    const nowSeconds = Math.floor(this.h.clock.now() / 1000);
    const minted = await mintDeviceToken(this.vault, {
      origin: this.h.server.url,
      appId: app.id,
      appKeyVersion: 1,
      wrappedAppKey: app.wrapped,
      name: options.name ?? 'ci-runner-1',
      firstAccessDeadline: options.firstAccessDeadline ?? nowSeconds + 3600,
      ...(options.accessExpiry === undefined ? {} : { accessExpiry: options.accessExpiry }),
      ipRule: options.ipRule ?? { type: 'first-use' },
      nowSeconds,
    });
    if (options.register === false) return { ...minted, response: undefined };
    const response = await this.api('POST', `/api/v1/apps/${app.id}/devices`, minted.registration);
    return { ...minted, response };
  }
}

/** A bound device as the CLI is one: its profile and signed requests from shared/keys. */
export class TestDevice {
  readonly h: Harness;
  readonly profile: DeviceProfile;
  readonly redeemed: ApiResponse;
  localAddress: string | undefined;

  private constructor(h: Harness, profile: DeviceProfile, redeemed: ApiResponse, local?: string) {
    this.h = h;
    this.profile = profile;
    this.redeemed = redeemed;
    this.localAddress = local;
  }

  /** Redeems and answers the raw response; for the outcomes a test checks without a device. */
  static async attempt(h: Harness, token: string, localAddress?: string) {
    const prepared = await prepareRedemption(token);
    const response = await send(h.server.url, 'POST', DEVICE_ROUTES.redeem.path, {
      body: utf8(JSON.stringify(prepared.request)),
      ...(localAddress ? { localAddress } : {}),
    });
    return { prepared, response };
  }

  static async redeem(h: Harness, token: string, localAddress?: string): Promise<TestDevice> {
    const { prepared, response } = await TestDevice.attempt(h, token, localAddress);
    if (response.status !== 200) throw new Error(`redeem: ${response.status} ${response.text}`);
    const profile = await completeRedemption(
      prepared.pending,
      redemptionCore(response.body as never),
    );
    return new TestDevice(h, profile, response, localAddress);
  }

  /**
   * The four signed headers for a request, as the CLI would send them; `host` is the harness
   * server's unless given (replicas behind one public URL all verify against its host).
   */
  async sign(
    method: string,
    path: string,
    body: Uint8Array,
    nowSeconds?: number,
    host = new URL(this.h.server.url).host,
  ) {
    return signDeviceRequest(
      {
        deviceId: this.profile.deviceId,
        signingPrivateKey: fromBase64Url(this.profile.signing.privateKey),
      },
      { method, pathWithQuery: path, host, body },
      nowSeconds ?? Math.floor(Date.now() / 1000),
    );
  }

  async request(
    method: string,
    path: string,
    json?: unknown,
    options: { nowSeconds?: number; localAddress?: string } = {},
  ): Promise<ApiResponse> {
    const body = json === undefined ? new Uint8Array() : utf8(JSON.stringify(json));
    const headers = await this.sign(method, path, body, options.nowSeconds);
    const localAddress = options.localAddress ?? this.localAddress;
    return send(this.h.server.url, method, path, {
      headers,
      body,
      ...(localAddress ? { localAddress } : {}),
    });
  }
}
