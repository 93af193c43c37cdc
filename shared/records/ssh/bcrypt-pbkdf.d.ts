// Types for the CommonJS bcrypt-pbkdf package (joyent/node-bcrypt-pbkdf), which ships none.
// It is pure JS over Uint8Array (Blowfish plus tweetnacl's SHA-512): no Buffer, no node:crypto.
declare module 'bcrypt-pbkdf' {
  interface BcryptPbkdf {
    /** Fills `key` in place; returns -1 on invalid arguments (empty password, rounds < 1). */
    pbkdf(
      pass: Uint8Array,
      passlen: number,
      salt: Uint8Array,
      saltlen: number,
      key: Uint8Array,
      keylen: number,
      rounds: number,
    ): number;
  }
  const bcryptPbkdf: BcryptPbkdf;
  export default bcryptPbkdf;
}
