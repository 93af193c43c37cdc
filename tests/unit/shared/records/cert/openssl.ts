// Test-time certificate factory: drives the system `openssl` in a private temporary folder, so
// the importer is tested against an independent implementation and no key material is checked in.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

export const KEY = {
  ec: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  ecP384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  rsa: ['-newkey', 'rsa:2048'],
  ed25519: ['-newkey', 'ed25519'],
} as const;

// A configuration with no default extensions: each certificate gets exactly the -addext it
// asks for.
const CONFIG = '[req]\ndistinguished_name = dn\nstring_mask = default\n[dn]\n';

export class OpensslWorkdir {
  readonly dir = mkdtempSync(join(tmpdir(), 'coffer-cert-'));

  constructor() {
    writeFileSync(this.path('req.cnf'), CONFIG);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  run(args: readonly string[], input?: string): string {
    const result = spawnSync('openssl', args, { cwd: this.dir, encoding: 'utf8', input });
    if (result.status !== 0) throw new Error(`openssl ${args[0] ?? ''} failed: ${result.stderr}`);
    return result.stdout;
  }

  bytes(name: string): Uint8Array {
    return new Uint8Array(readFileSync(this.path(name)));
  }

  text(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  write(name: string, data: string | Uint8Array): void {
    writeFileSync(this.path(name), data);
  }

  /**
   * Creates `<name>.pem` and `<name>.key`: self-signed when no issuer is given, else signed by
   * `<issuer>.pem`/`<issuer>.key`.
   */
  certificate(
    name: string,
    subject: string,
    options: {
      key?: readonly string[];
      issuer?: string;
      ca?: boolean;
      days?: number;
      extensions?: readonly string[];
      extraArgs?: readonly string[];
    } = {},
  ): void {
    const args = [
      'req',
      '-config',
      'req.cnf',
      '-utf8',
      '-x509',
      ...(options.key ?? KEY.ec),
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-subj',
      subject,
      '-days',
      String(options.days ?? 365),
      '-addext',
      options.ca === true
        ? 'basicConstraints=critical,CA:TRUE'
        : 'basicConstraints=critical,CA:FALSE',
      ...(options.extensions ?? []).flatMap((extension) => ['-addext', extension]),
      ...(options.issuer === undefined
        ? []
        : ['-CA', `${options.issuer}.pem`, '-CAkey', `${options.issuer}.key`]),
      ...(options.extraArgs ?? []),
    ];
    this.run(args);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
