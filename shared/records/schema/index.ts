export {
  CUSTOM_FIELD_KINDS,
  customFieldSchema,
  type CustomField,
  type CustomFieldKind,
} from './custom-fields.ts';
export {
  DATABASE_ENGINES,
  RECORD_SCHEMAS,
  RECORD_SCHEMA_VERSION,
  RECORD_TYPES,
  apiKeySchema,
  certificateSchema,
  databaseSchema,
  loginSchema,
  oneTimeCodeSchema,
  paymentCardSchema,
  recordSchema,
  secureNoteSchema,
  serverSchema,
  sshKeySchema,
  type ApiKeyRecord,
  type CertificateRecord,
  type DatabaseEngine,
  type DatabaseRecord,
  type LoginRecord,
  type OneTimeCodeRecord,
  type PaymentCardRecord,
  type RecordOfType,
  type RecordType,
  type SecureNoteRecord,
  type ServerRecord,
  type SshKeyRecord,
  type VaultRecord,
  type VaultRecordInput,
} from './record-types.ts';
export { parseRecord, validateRecord, type RecordProblem, type RecordValidation } from './parse.ts';
export {
  SEARCHABLE_FIELDS,
  SECRET_FIELDS,
  isSecretCustomField,
  isSecretField,
  searchableText,
} from './field-roles.ts';
export {
  DEFAULT_PORTS,
  connectionString,
  percentEncode,
  postgresKeywordString,
} from './connection-string.ts';
export { LIMITS, isHost, isWellFormedText } from './strings.ts';
