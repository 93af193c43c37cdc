// argon2-browser ships no type declarations; argon2-wasm.ts types the part it uses.
declare module 'argon2-browser';
declare module 'argon2-browser/dist/argon2.js';
