/** Selectors followed by a name: a record field, a custom field, an attached file. */
export const NAMED_SELECTORS = ['field', 'custom', 'file'] as const;
/** Selectors that stand alone: the record's title, type or notes. */
export const BARE_SELECTORS = ['title', 'type', 'notes'] as const;
export const SELECTORS = [...NAMED_SELECTORS, ...BARE_SELECTORS] as const;

export type NamedSelector = (typeof NAMED_SELECTORS)[number];
export type BareSelector = (typeof BARE_SELECTORS)[number];
export type Selector = NamedSelector | BareSelector;

/** The record a reference points at: by id, or by folder path and title. */
export type ReferenceRecord =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'path'; readonly folders: readonly string[]; readonly title: string };

export interface NamedTarget {
  readonly selector: NamedSelector;
  /** Field name, custom-field name or file name, decoded. */
  readonly name: string;
  /** 0-based: which of several values (URLs, same-named custom fields). */
  readonly index?: number;
  /** A derived part of the value, e.g. "code" of a one-time code or "fingerprint" of a key. */
  readonly property?: string;
}

export interface BareTarget {
  readonly selector: BareSelector;
}

/** A parsed `coffer://` reference. */
export type CofferReference = { readonly record: ReferenceRecord } & (NamedTarget | BareTarget);

/** Which part of a reference an error is about. */
export type ReferenceComponent =
  'reference' | 'scheme' | 'record' | 'selector' | 'name' | 'index' | 'property';
