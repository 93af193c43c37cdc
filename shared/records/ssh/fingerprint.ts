import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64 } from './bytes.ts';
import { encodePublicBlob, keyBits } from './key-material.ts';
import type { SshKeyType, SshPublicMaterial } from './key-material.ts';

/** What Coffer shows for any SSH key: the facts `ssh-keygen -l` prints, and the public line. */
export interface SshKeyInfo {
  readonly type: SshKeyType;
  readonly bits: number;
  /** The whole comment, spaces included (ssh-01); empty when the key has none. */
  readonly comment: string;
  /** The OpenSSH public key line: type, base64 blob and, if any, the comment. */
  readonly publicKey: string;
  /** `SHA256:` and the unpadded base64 SHA-256 of the public key blob (ssh-keygen -l). */
  readonly fingerprint: string;
}

export function sshFingerprint(blob: Uint8Array): string {
  return `SHA256:${toBase64(sha256(blob)).replace(/=+$/, '')}`;
}

/** Control characters would split the one-line format; a comment never carries them out. */
export function cleanComment(comment: string): string {
  const visible = Array.from(comment, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? ' ' : char;
  });
  return visible.join('').trim();
}

export function describeKey(key: SshPublicMaterial, comment: string): SshKeyInfo {
  const blob = encodePublicBlob(key);
  const clean = cleanComment(comment);
  const line = `${key.type} ${toBase64(blob)}`;
  return {
    type: key.type,
    bits: keyBits(key),
    comment: clean,
    publicKey: clean === '' ? line : `${line} ${clean}`,
    fingerprint: sshFingerprint(blob),
  };
}
