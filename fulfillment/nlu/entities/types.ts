// Shared types of the entity extractors; extract.ts re-exports them as the public API.

/** 'nl-NL' | 'en-US'; any 'nl-*' is treated as Dutch, anything else as English. */
export type Locale = string;

export const BUILTIN_ENTITY_TYPES = [
  'number',
  'digits',
  'date',
  'postcode',
  'houseNumber',
  'phoneNumber',
  'orderNumber',
  'customerNumber',
  'yesNo',
] as const;
export type BuiltinEntityType = (typeof BUILTIN_ENTITY_TYPES)[number];

/** `value` is canonical; `text` is the matched surface text; `start`/`end` are character offsets in the input. */
export interface EntityMatch {
  value: string;
  text: string;
  start: number;
  end: number;
}

export interface ExtractContext {
  locale: Locale;
  now: Date;
  /** IANA time zone for relative dates; defaults to 'Europe/Amsterdam'. */
  timeZone?: string;
}

export interface CustomEntityType {
  name: string;
  values: { id: string; value: string; synonyms: string[] }[];
}
