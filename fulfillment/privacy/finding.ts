// The kinds of personal data Loket masks and the shape of one finding in a text.

export type PiiKind = 'phone' | 'email' | 'iban' | 'bsn' | 'card' | 'postcode-address' | 'postcode';

export interface Finding {
  readonly kind: PiiKind;
  /** Offset of the first character, as a JavaScript string index. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}
