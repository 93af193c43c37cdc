import { config } from 'zod';

/**
 * Zod settings for the command line, applied before any schema is built (the bundle puts this
 * module in zod's own chunk, which every schema module imports, so it runs first). `jitless`:
 * by default zod compiles a fast parser with `new Function` for each object schema the first
 * time it parses; a CLI run parses each schema about once, so compiling costs more than it saves.
 * Validation is the same either way.
 */
config({ jitless: true });
