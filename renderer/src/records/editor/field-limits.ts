import { TEXT_MAX } from '../../app/text-limits.ts';
import type { FieldSpec } from './templates.ts';

type TextSpec = Extract<FieldSpec, { kind: 'text' | 'secret' | 'pem' | 'port' | 'urls' }>;

/** Members whose schema is not their kind's usual text limit (record-types.ts). */
const BY_KEY: Readonly<Record<string, number>> = {
  host: TEXT_MAX.host,
  url: TEXT_MAX.url,
  brand: TEXT_MAX.cardBrand,
  number: TEXT_MAX.cardNumber,
  expiryMonth: TEXT_MAX.expiryMonth,
  expiryYear: TEXT_MAX.expiryYear,
  securityCode: TEXT_MAX.securityCode,
  pin: TEXT_MAX.pin,
};

const BY_KIND: Readonly<Record<TextSpec['kind'], number>> = {
  text: TEXT_MAX.short,
  secret: TEXT_MAX.secret,
  pem: TEXT_MAX.pem,
  port: TEXT_MAX.port,
  urls: TEXT_MAX.url,
};

/** How much one template field's box holds (for `urls`, each website's box). */
export function fieldMax(spec: TextSpec): number {
  return BY_KEY[spec.key] ?? BY_KIND[spec.kind];
}
