import { CofferError } from '../../shared/errors.ts';

/** The two sockets the server opens, and the setting an operator changes to move each one. */
const SOCKETS = {
  server: { what: 'the Coffer server', variable: 'COFFER_LISTEN', example: '127.0.0.1:<port>' },
  devIdentityProvider: {
    what: 'the development identity provider',
    variable: 'COFFER_DEV_IDP',
    example: '<port>',
  },
} as const;

export type Socket = keyof typeof SOCKETS;

/**
 * Turns Node's `listen EADDRINUSE 127.0.0.1:8788` into a sentence that names the setting to
 * change; any other error is returned as it is.
 */
export function explainListenError(error: unknown, socket: Socket, host: string, port: number) {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const { what, variable, example } = SOCKETS[socket];
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const move = `set ${variable}=${example} to use another port`;
  switch (code) {
    case 'EADDRINUSE':
      return new CofferError(
        'config_invalid',
        `port ${port} for ${what} is in use (${address}); ${move}`,
        { cause: error },
      );
    case 'EACCES':
      return new CofferError(
        'config_invalid',
        `${what} may not listen on ${address} (ports below 1024 need privileges); ${move}`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
      return new CofferError(
        'config_invalid',
        `${what} cannot listen on ${address}: no interface of this machine has that address; ` +
          `set ${variable}`,
        { cause: error },
      );
    default:
      return error;
  }
}
