import {
  parseRecord,
  type VaultRecord,
  type VaultRecordInput,
} from '../../../../shared/records/schema/index.ts';

type WithoutVersion<T> = T extends unknown ? Omit<T, 'schemaVersion'> : never;

/** A validated record with its defaults, from the members a test cares about. */
export function record(input: WithoutVersion<VaultRecordInput>): VaultRecord {
  return parseRecord({ schemaVersion: 1, ...input });
}
