// What the words just before a number say it is: a phone number, a BSN, a card, a postcode, or something else.
import type { Token } from './tokens.ts';

export type NumberContext = 'phone' | 'bsn' | 'card' | 'postcode' | 'other' | 'none';

const PHONE_CUES = new Set([
  'telefoon',
  'telefoonnummer',
  'telefoonnr',
  'tel',
  'telnr',
  'mobiel',
  'mobieltje',
  'mobielnummer',
  'mobiele',
  'gsm',
  'bel',
  'bellen',
  'belt',
  'terugbellen',
  'terugbelnummer',
  'bereikbaar',
  'bereiken',
  'sms',
  'whatsapp',
  'phone',
  'telephone',
  'phonenumber',
  'mobile',
  'cell',
  'cellphone',
  'call',
  'calling',
  'callback',
  'reach',
  'fax',
  'landline',
]);
const BSN_CUES = new Set([
  'bsn',
  'burgerservicenummer',
  'burgerservice',
  'burger',
  'sofinummer',
  'sofi',
  'ssn',
  'citizen',
  'social',
]);
const CARD_CUES = new Set([
  'creditcard',
  'creditcardnummer',
  'credit',
  'card',
  'kaart',
  'kaartnummer',
  'visa',
  'mastercard',
  'amex',
  'pinpas',
  'bankpas',
  'debit',
  'debitcard',
]);
const POSTCODE_CUES = new Set([
  'postcode',
  'zip',
  'zipcode',
  'adres',
  'address',
  'woonadres',
  'woon',
  'wonen',
]);
// Numbers that belong to the business, not the person: an order number must reach the colleague unmasked.
const OTHER_CUES = new Set([
  'order',
  'bestelling',
  'bestel',
  'klant',
  'customer',
  'account',
  'factuur',
  'invoice',
  'contract',
  'referentie',
  'reference',
  'ref',
  'ticket',
  'dossier',
  'zaak',
  'tracking',
  'pakket',
  'zending',
  'parcel',
  'storing',
  'meter',
  'ean',
  'modem',
  'serial',
  'kenteken',
  'case',
  'claim',
]);
// "nummer" alone is a phone number only when it is someone's: "mijn nummer", "your number", "06-nummer".
const GENERIC_NUMBER_WORDS = new Set(['nummer', 'number', 'nr', 'no']);
const OWNER_WORDS = new Set([
  'mijn',
  'mn',
  'n',
  'uw',
  'je',
  'jouw',
  'zijn',
  'haar',
  'my',
  'your',
  'his',
  'her',
  '06',
]);
// Compounds such as "klantnummer" or "zaaknummer" name a business number unless listed above.
const COMPOUND_NUMBER_WORD = /.(?:nummer|nr)$/;
// The pattern only when the word ends in "r": most words do not, and this runs for every word before a number.
const isCompoundNumberWord = (word: string): boolean =>
  word.charCodeAt(word.length - 1) === 114 && COMPOUND_NUMBER_WORD.test(word);

// The word lists above as one lookup, the earlier list winning where a word is in two (as cueOf checks them).
const LISTED_CUES: ReadonlyMap<string, NumberContext> = new Map(
  (
    [
      ['phone', PHONE_CUES],
      ['bsn', BSN_CUES],
      ['card', CARD_CUES],
      ['postcode', POSTCODE_CUES],
      ['other', OTHER_CUES],
    ] as const
  )
    .flatMap(([context, words]) => [...words].map((word) => [word, context] as const))
    .reverse(),
);

function cueOf(token: Token, previous: Token | undefined): NumberContext | undefined {
  const word = token.word;
  // PHONE_CUES, BSN_CUES, CARD_CUES, POSTCODE_CUES, then OTHER_CUES or a compound such as "klantnummer".
  const listed = LISTED_CUES.get(word);
  if (listed !== undefined) return listed;
  if (isCompoundNumberWord(word)) return 'other';
  if (GENERIC_NUMBER_WORDS.has(word) && previous && OWNER_WORDS.has(previous.word)) return 'phone';
  return undefined;
}

// Far enough for "mijn telefoonnummer is trouwens" yet short enough not to reach into another sentence's topic.
const CUE_DISTANCE = 8;

/** The nearest cue within a few words before token `index`. */
export function contextBefore(tokens: readonly Token[], index: number): NumberContext {
  const from = Math.max(0, index - CUE_DISTANCE);
  for (let position = Math.min(index, tokens.length) - 1; position >= from; position--) {
    const token = tokens[position];
    const cue = token ? cueOf(token, tokens[position - 1]) : undefined;
    if (cue !== undefined) return cue;
  }
  return 'none';
}
