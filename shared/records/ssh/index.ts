/**
 * SSH keys for the vault's SSH key record (DESIGN.md, Records): generate, import any common
 * format, show the OpenSSH public line and SHA256 fingerprint, attach certificates, export as
 * OpenSSH. Runs unchanged in Node, Chromium and Electron.
 */
export { generateSshKey } from './generate.ts';
export type { SshGenerateOptions, SshKeySpec } from './generate.ts';
export {
  attachSshCertificate,
  exportOpenSshPrivateKey,
  importSsh,
  importSshPrivateKey,
} from './import.ts';
export type { SshImport, SshImportOptions, SshPrivateKey, SshPrivateKeyFormat } from './import.ts';
export { parseSshPublicKeys } from './public-keys.ts';
export type { SshPublicKeyEntry } from './public-keys.ts';
export type { SshCertificate } from './certificate.ts';
export type { SshKeyInfo } from './fingerprint.ts';
export type { SshKeyType, SshPrivateMaterial } from './key-material.ts';
export type { OpenSshWriteOptions } from './openssh-private.ts';
export { canonicalText as canonicalSshText } from './text.ts';
