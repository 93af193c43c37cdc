import { CofferError } from '../errors.ts';

/**
 * The names of every IPC channel and main-to-renderer event, without their schemas. The sandboxed
 * preload imports only this file, so it stays a few hundred bytes and bundles no validator; the
 * schemas that go with each name live in contract.ts, which a test keeps in step with this list.
 * Names follow `area:verb`.
 */
export const IPC_CHANNELS = [
  'clipboard:copy-secret',
  'clipboard:clear',
  'links:open',
  'signin:authenticate',
  'settings:get',
  'settings:update',
] as const;

export type IpcChannel = (typeof IPC_CHANNELS)[number];

export const IPC_EVENTS = ['lock:requested'] as const;

export type IpcEvent = (typeof IPC_EVENTS)[number];

const known = new Set<string>(IPC_CHANNELS);

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && known.has(value);
}

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

export type AreaOf<C extends string> = C extends `${infer Area}:${string}` ? Area : never;
export type MethodOf<C extends string> = C extends `${string}:${infer Verb}` ? Camel<Verb> : never;
export type ListenerNameOf<E extends string> = E extends `${infer Area}:${infer Verb}`
  ? `on${Capitalize<Camel<`${Area}-${Verb}`>>}`
  : never;

function camel(kebab: string): string {
  return kebab.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

function splitName(name: string): [string, string] {
  const [area, verb, ...rest] = name.split(':');
  if (area === undefined || verb === undefined || rest.length > 0) {
    throw new CofferError('invalid_input', `An IPC name must be area:verb (${name.length} chars).`);
  }
  return [area, verb];
}

/** `clipboard:copy-secret` → `['clipboard', 'copySecret']`: where the preload exposes a channel. */
export function bridgeMethodOf(channel: IpcChannel): [area: string, method: string] {
  const [area, verb] = splitName(channel);
  return [area, camel(verb)];
}

/** `lock:requested` → `onLockRequested`: the preload's subscription function for an event. */
export function bridgeListenerOf(event: IpcEvent): string {
  const [area, verb] = splitName(event);
  const name = camel(`${area}-${verb}`);
  return `on${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}
