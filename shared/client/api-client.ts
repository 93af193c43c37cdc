import type { z } from 'zod';
import { CofferError } from '../errors.ts';
import { PROBLEM_JSON_MEDIA_TYPE, problemToError } from '../protocol/problem-details.ts';

/** What the client needs of `fetch`; tests and the hostile-server proxy may supply their own. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RequestOptions<T> {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Validates the answer; nothing the server sends is used before it passes. */
  readonly schema: z.ZodType<T>;
  /** Requests that must not carry the session token (sign-in itself). */
  readonly anonymous?: boolean;
}

/** Largest answer the client reads; a sync page of 5,000 records at the size limit is smaller. */
const MAX_RESPONSE_CHARS = 64 * 1024 * 1024;

/**
 * A typed client for the vault server's JSON API. Answers are validated with the caller's schema;
 * problem+json errors become CofferErrors with the server's code; anything else (an HTML page
 * from a captive portal, a truncated body) is `response_invalid` and trusted no further.
 * Messages name the route's method and path shape, never a body, a token or a query value.
 */
export class ApiClient {
  readonly baseUrl: string;
  readonly #fetch: FetchLike;
  #sessionToken: string | null = null;

  constructor(baseUrl: string, fetchImpl?: FetchLike) {
    this.baseUrl = normaliseBaseUrl(baseUrl);
    this.#fetch = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  }

  get hasSession(): boolean {
    return this.#sessionToken !== null;
  }

  /**
   * The session token, for a worker of this page that makes its own requests (the decrypt pool
   * fetches sync pages, issue #4). It never goes anywhere else.
   */
  get sessionToken(): string | null {
    return this.#sessionToken;
  }

  setSessionToken(token: string | null): void {
    this.#sessionToken = token;
  }

  async get<T>(path: string, options: RequestOptions<T>): Promise<T> {
    return this.request('GET', path, options);
  }

  async post<T>(path: string, options: RequestOptions<T>): Promise<T> {
    return this.request('POST', path, options);
  }

  async put<T>(path: string, options: RequestOptions<T>): Promise<T> {
    return this.request('PUT', path, options);
  }

  async delete<T>(path: string, options: RequestOptions<T>): Promise<T> {
    return this.request('DELETE', path, options);
  }

  /**
   * A GET whose answer is text rather than JSON (audit exports: JSON lines, syslog); errors
   * still arrive as problem+json and become CofferErrors as for every other call.
   */
  async getText(path: string, options: Omit<RequestOptions<unknown>, 'schema'>): Promise<string> {
    const route = `GET ${path.replace(/[A-Za-z0-9_-]{22,}/g, ':id')}`;
    return this.#exchange('GET', path, route, options, '*/*');
  }

  async request<T>(method: string, path: string, options: RequestOptions<T>): Promise<T> {
    const { route, json } = await this.requestUnchecked(method, path, options);
    return checkAnswer(route, json, options.schema);
  }

  /**
   * The answer parsed as JSON but not yet checked, for a caller that must act on part of it
   * before checking the whole (the decrypt worker asks for the next sync page as soon as it
   * knows the cursor: issue #4). It must pass the answer to checkAnswer before using it.
   * `onPrefix` sees the first text of a successful answer while the rest is still arriving.
   */
  async requestUnchecked(
    method: string,
    path: string,
    options: Omit<RequestOptions<unknown>, 'schema'> & { onPrefix?: (text: string) => void },
  ): Promise<{ route: string; json: unknown }> {
    const route = `${method} ${path.replace(/[A-Za-z0-9_-]{22,}/g, ':id')}`;
    const text = await this.#exchange(
      method,
      path,
      route,
      options,
      'application/json',
      options.onPrefix,
    );
    if (text === '') return { route, json: null };
    try {
      return { route, json: JSON.parse(text) };
    } catch (error) {
      throw new CofferError('response_invalid', `${route}: the server's answer is not JSON.`, {
        cause: error,
      });
    }
  }

  async #exchange(
    method: string,
    path: string,
    route: string,
    options: Omit<RequestOptions<unknown>, 'schema'>,
    accept: string,
    onPrefix?: (text: string) => void,
  ): Promise<string> {
    const headers: Record<string, string> = { accept };
    if (!options.anonymous) {
      if (this.#sessionToken === null) {
        throw new CofferError('unauthenticated', `${route}: not signed in; sign in first.`);
      }
      headers['authorization'] = `Bearer ${this.#sessionToken}`;
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await this.#fetch(this.#url(path, options.query), {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        credentials: 'omit',
        redirect: 'error',
        cache: 'no-store',
      });
    } catch (error) {
      throw new CofferError(
        'server_unreachable',
        `${route}: the server at ${this.baseUrl} could not be reached; check the address and ` +
          'your connection.',
        { cause: error },
      );
    }
    const text = await readText(response, route, response.ok ? onPrefix : undefined);
    if (!response.ok) throw errorFromResponse(response, text, route);
    return text;
  }

  #url(path: string, query: RequestOptions<unknown>['query']): string {
    if (!path.startsWith('/api/')) {
      throw new CofferError('invalid_input', 'API paths start with /api/.');
    }
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const search = params.toString();
    return `${this.baseUrl}${path}${search === '' ? '' : `?${search}`}`;
  }
}

/** Validates an answer; `response_invalid` names where it went wrong, never what it held. */
export function checkAnswer<T>(route: string, json: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? first.path.join('.') || 'body' : 'body';
    throw new CofferError(
      'response_invalid',
      `${route}: the server's answer is malformed at ${where}; it was not used.`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

async function readText(
  response: Response,
  route: string,
  onPrefix?: (text: string) => void,
): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  const tooLarge = () =>
    new CofferError('response_invalid', `${route}: the server's answer is too large.`);
  if (declared > MAX_RESPONSE_CHARS) throw tooLarge();
  try {
    const text =
      onPrefix === undefined || response.body === null
        ? await response.text()
        : await streamText(response.body, onPrefix, tooLarge);
    if (text.length > MAX_RESPONSE_CHARS) throw tooLarge();
    return text;
  } catch (error) {
    if (error instanceof CofferError) throw error;
    throw new CofferError('server_unreachable', `${route}: the answer was cut off.`, {
      cause: error,
    });
  }
}

/** The body as text, as Response.text() decodes it, showing `onPrefix` its first chunk. */
async function streamText(
  body: ReadableStream<Uint8Array>,
  onPrefix: (text: string) => void,
  tooLarge: () => CofferError,
): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let shown = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
    if (text.length > MAX_RESPONSE_CHARS) {
      await reader.cancel();
      throw tooLarge();
    }
    if (!shown && text !== '') {
      shown = true;
      onPrefix(text);
    }
  }
}

function errorFromResponse(response: Response, text: string, route: string): CofferError {
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith(PROBLEM_JSON_MEDIA_TYPE) || type.startsWith('application/json')) {
    try {
      const error = problemToError(JSON.parse(text));
      // problemToError reports a body it could not read as invalid_input with the parse error
      // as cause; a genuine invalid_input problem from the server has no cause.
      if (error.code !== 'invalid_input' || error.cause === undefined) {
        attachDetails(error, text);
        return error;
      }
    } catch {
      // Falls through to the generic answer below: the body was not JSON after all.
    }
  }
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return new CofferError(
      'server_unavailable',
      `${route}: the server is unavailable (HTTP ${response.status}); try again shortly.`,
    );
  }
  return new CofferError(
    'response_invalid',
    `${route}: the server answered HTTP ${response.status} without a Coffer error body.`,
  );
}

/**
 * Keeps the problem's extension members (a conflict's current revision) for the caller to
 * inspect; they hold ids and ciphertext only.
 */
function attachDetails(error: CofferError, text: string): void {
  const body = JSON.parse(text) as Record<string, unknown>;
  const standard = new Set(['type', 'title', 'status', 'code', 'detail', 'instance']);
  const extra = Object.fromEntries(Object.entries(body).filter(([name]) => !standard.has(name)));
  if (Object.keys(extra).length > 0) {
    Object.defineProperty(error, 'details', { value: extra, enumerable: false });
  }
}

/** Extension members of a problem answer, if the server sent any. */
export function problemExtras(error: unknown): Record<string, unknown> | undefined {
  if (!(error instanceof CofferError)) return undefined;
  return (error as CofferError & { details?: Record<string, unknown> }).details;
}

function normaliseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new CofferError('invalid_input', 'The server address is not a URL.', { cause: error });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CofferError('invalid_input', 'The server address must start with https://.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new CofferError('invalid_input', 'The server address must not contain credentials.');
  }
  return url.origin;
}
