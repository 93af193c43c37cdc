import { DATABASE_ENGINES, type RecordType } from '../../../../shared/records/schema/index.ts';
import { ENGINE_LABELS, PLATFORM_LABELS } from '../view/type-bodies.tsx';

interface Base {
  readonly key: string;
  readonly label: string;
  readonly description?: string;
}

/** How one field of a record type is edited. */
export type FieldSpec =
  | (Base & { readonly kind: 'text'; readonly mono?: boolean; readonly inputMode?: 'numeric' })
  | (Base & {
      readonly kind: 'secret';
      readonly generator: boolean;
      readonly inputMode?: 'numeric';
    })
  | (Base & { readonly kind: 'pem'; readonly secret: boolean })
  | (Base & { readonly kind: 'port' })
  | (Base & {
      readonly kind: 'select';
      readonly options: readonly { readonly value: string; readonly label: string }[];
    })
  | (Base & { readonly kind: 'switch' })
  | (Base & { readonly kind: 'urls' })
  | (Base & { readonly kind: 'otp'; readonly required: boolean });

const engines = DATABASE_ENGINES.map((value) => ({ value, label: ENGINE_LABELS[value] }));
const platforms = (Object.keys(PLATFORM_LABELS) as (keyof typeof PLATFORM_LABELS)[]).map(
  (value) => ({ value, label: PLATFORM_LABELS[value] }),
);

/** The form of each record type, in the order people fill it in. */
export const TEMPLATES: Readonly<Record<RecordType, readonly FieldSpec[]>> = {
  login: [
    { kind: 'text', key: 'username', label: 'Username' },
    { kind: 'secret', key: 'password', label: 'Password', generator: true },
    { kind: 'urls', key: 'urls', label: 'Websites' },
    { kind: 'otp', key: 'otp', label: 'One-time code', required: false },
  ],
  database: [
    { kind: 'select', key: 'engine', label: 'Engine', options: engines },
    { kind: 'text', key: 'host', label: 'Host' },
    { kind: 'port', key: 'port', label: 'Port', description: 'Empty: the engine’s default port' },
    { kind: 'text', key: 'database', label: 'Database' },
    { kind: 'text', key: 'username', label: 'Username' },
    { kind: 'secret', key: 'password', label: 'Password', generator: true },
    {
      kind: 'switch',
      key: 'tls',
      label: 'Require TLS',
      description: 'Encrypted connection that verifies the server’s certificate and name',
    },
  ],
  server: [
    { kind: 'select', key: 'platform', label: 'Platform', options: platforms },
    { kind: 'text', key: 'host', label: 'Host' },
    { kind: 'port', key: 'port', label: 'Port' },
    { kind: 'text', key: 'username', label: 'Username' },
    { kind: 'secret', key: 'password', label: 'Password', generator: true },
  ],
  'ssh-key': [
    { kind: 'text', key: 'username', label: 'Username' },
    { kind: 'text', key: 'host', label: 'Host' },
    { kind: 'pem', key: 'privateKey', label: 'Private key', secret: true },
    { kind: 'pem', key: 'publicKey', label: 'Public key', secret: false },
    { kind: 'secret', key: 'passphrase', label: 'Passphrase', generator: true },
    { kind: 'pem', key: 'certificate', label: 'SSH certificate', secret: false },
  ],
  certificate: [
    { kind: 'pem', key: 'certificateChain', label: 'Certificate chain (PEM)', secret: false },
    { kind: 'pem', key: 'privateKey', label: 'Private key (PEM)', secret: true },
    { kind: 'secret', key: 'passphrase', label: 'Passphrase', generator: false },
  ],
  'api-key': [
    { kind: 'text', key: 'service', label: 'Service' },
    { kind: 'text', key: 'keyId', label: 'Key ID', mono: true },
    { kind: 'secret', key: 'secret', label: 'Secret', generator: true },
    { kind: 'text', key: 'url', label: 'URL' },
  ],
  'one-time-code': [{ kind: 'otp', key: 'uri', label: 'Key URI or secret', required: true }],
  'secure-note': [],
  'payment-card': [
    { kind: 'text', key: 'cardholder', label: 'Cardholder' },
    { kind: 'text', key: 'brand', label: 'Brand' },
    { kind: 'secret', key: 'number', label: 'Card number', generator: false, inputMode: 'numeric' },
    { kind: 'text', key: 'expiryMonth', label: 'Expiry month (MM)', inputMode: 'numeric' },
    { kind: 'text', key: 'expiryYear', label: 'Expiry year (YYYY)', inputMode: 'numeric' },
    {
      kind: 'secret',
      key: 'securityCode',
      label: 'Security code',
      generator: false,
      inputMode: 'numeric',
    },
    { kind: 'secret', key: 'pin', label: 'PIN', generator: false, inputMode: 'numeric' },
  ],
};
