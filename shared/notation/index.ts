export { MAX_INDEX, MAX_REFERENCE_LENGTH, RECORD_ID, isSafeChar } from './characters.ts';
export { ReferenceSyntaxError } from './errors.ts';
export { formatReference } from './format.ts';
export { looksLikeReference, parseReference } from './parse.ts';
export {
  BARE_SELECTORS,
  NAMED_SELECTORS,
  SELECTORS,
  type BareSelector,
  type BareTarget,
  type CofferReference,
  type NamedSelector,
  type NamedTarget,
  type ReferenceComponent,
  type ReferenceRecord,
  type Selector,
} from './types.ts';
