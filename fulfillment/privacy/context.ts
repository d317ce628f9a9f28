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

function cueOf(token: Token, previous: Token | undefined): NumberContext | undefined {
  const word = token.word;
  if (PHONE_CUES.has(word)) return 'phone';
  if (BSN_CUES.has(word)) return 'bsn';
  if (CARD_CUES.has(word)) return 'card';
  if (POSTCODE_CUES.has(word)) return 'postcode';
  if (OTHER_CUES.has(word) || COMPOUND_NUMBER_WORD.test(word)) return 'other';
  if (GENERIC_NUMBER_WORDS.has(word) && previous && OWNER_WORDS.has(previous.word)) return 'phone';
  return undefined;
}

// Far enough for "mijn telefoonnummer is trouwens" yet short enough not to reach into another sentence's topic.
const CUE_DISTANCE = 8;

/** The nearest cue within a few words before token `index`. */
export function contextBefore(tokens: readonly Token[], index: number): NumberContext {
  const from = Math.max(0, index - CUE_DISTANCE);
  const candidates = tokens
    .slice(from, index)
    .map((token, offset) => cueOf(token, tokens[from + offset - 1]));
  return candidates.reverse().find((cue) => cue !== undefined) ?? 'none';
}
