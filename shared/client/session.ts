import { CofferError } from '../errors.ts';
import { ApiClient, type FetchLike } from './api-client.ts';
import {
  emptyResponse,
  nonceResponse,
  providersResponse,
  revisionResponse,
  serverAccountKeys,
  signInResponse,
  type ProviderInfo,
  type ServerAccountKeys,
  type SignInResponse,
} from './wire.ts';

/** Who is signed in, as the server said at sign-in. */
export interface SignedInUser {
  readonly id: string;
  readonly isAdmin: boolean;
  readonly email: string | null;
  readonly hasAccountKeys: boolean;
  readonly expiresAt: number;
}

/**
 * The server session (DESIGN.md "Identity and unlock" 1–2): providers, the single-use login
 * nonce, the ID token exchanged for a short-lived session token, and sign-out. The session token
 * lives only in memory, in the ApiClient.
 */
export class ServerSession {
  readonly api: ApiClient;
  #user: SignedInUser | null = null;

  constructor(serverUrl: string, fetchImpl?: FetchLike) {
    this.api = new ApiClient(serverUrl, fetchImpl);
  }

  get user(): SignedInUser | null {
    return this.#user;
  }

  async providers(): Promise<ProviderInfo[]> {
    const answer = await this.api.get('/api/v1/auth/providers', {
      schema: providersResponse,
      anonymous: true,
    });
    return answer.providers;
  }

  async loginNonce(): Promise<string> {
    const answer = await this.api.post('/api/v1/auth/nonce', {
      schema: nonceResponse,
      anonymous: true,
    });
    return answer.nonce;
  }

  async signIn(idToken: string): Promise<SignedInUser> {
    const answer: SignInResponse = await this.api.post('/api/v1/auth/session', {
      body: { idToken },
      schema: signInResponse,
      anonymous: true,
    });
    this.api.setSessionToken(answer.token);
    this.#user = {
      id: answer.user.id,
      isAdmin: answer.user.isAdmin,
      email: answer.user.email,
      hasAccountKeys: answer.hasAccountKeys,
      expiresAt: answer.expiresAt,
    };
    return this.#user;
  }

  /** Revokes the session at the server (best effort) and forgets it here in any case. */
  async signOut(): Promise<void> {
    try {
      if (this.api.hasSession) {
        await this.api.delete('/api/v1/auth/session', { schema: emptyResponse });
      }
    } finally {
      this.api.setSessionToken(null);
      this.#user = null;
    }
  }

  requireUser(): SignedInUser {
    if (this.#user === null) {
      throw new CofferError('unauthenticated', 'Not signed in; sign in first.');
    }
    return this.#user;
  }

  markEnrolled(): void {
    if (this.#user !== null) this.#user = { ...this.#user, hasAccountKeys: true };
  }

  async fetchAccountKeys(): Promise<ServerAccountKeys> {
    return this.api.get('/api/v1/account/keys', { schema: serverAccountKeys });
  }

  async enrolAccountKeys(body: unknown): Promise<number> {
    const answer = await this.api.post('/api/v1/account/keys', {
      body,
      schema: revisionResponse,
    });
    return answer.revision;
  }

  /** Replaces the user-key wrap in one compare-and-swap; `revision_conflict` if it moved. */
  async changeAccountPassword(body: unknown): Promise<number> {
    const answer = await this.api.put('/api/v1/account/keys/password', {
      body,
      schema: revisionResponse,
    });
    return answer.revision;
  }
}
