// Deterministic random sentences for the privacy tests and benchmark: ordinary customer-service words mixed with
// the words, digits and separators the detectors react to (their own word lists where they export them), so that
// near-misses and hits both come up often.
import { AT_WORDS } from '../../fulfillment/privacy/detect-email.ts';
import { FILLER_WORDS, NUMBER_WORD_VALUES, REPEAT_WORDS } from '../../fulfillment/privacy/spoken-numbers.ts';

const ORDINARY = (
  'mijn internet doet het niet waar blijft bestelling is er storing in dank je wel waarom rekening zo hoog hoe ' +
  'laat zijn jullie open prima uw verzonden via postnl u kunt maandag november verwachten kan ik nog iets anders ' +
  'voor doen belt ons op en noemt code de het van met naar over graag hallo goedemorgen vandaag morgen gisteren ' +
  'the my your is at home please thanks order help me with bill it this month call later hi yes no ok i am we ' +
  'are you here there now not and or but a an e still was him them wifi modem router fritzbox box type versie ' +
  'rekeningnummer iban naam vries jan pietje john mary smith info loket gmail ziggo example mail email utrecht ' +
  'amsterdam hoofdstraat kerkweg dorpsplein main street road ave st rd café één héél ﬁle Ｔｅｓｔ'
).split(' ');

const SPOKEN_NUMBER_WORDS = (
  'nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien zeventien ' +
  'achttien negentien twintig dertig veertig vijftig zestig zeventig tachtig negentig honderd tweehonderd ' +
  'vierendertig zesenvijftig achtenzeventig eenendertig tweeentwintig driehonderdtwaalf vijfhonderdvijftig ' +
  'zero oh o one two three four five six seven eight nine ten eleven twelve thirteen fifteen nineteen twenty ' +
  'thirty forty fifty ninety hundred double triple dubbel tripel driedubbel plus'
).split(' ');
// Every number word the detectors read (over a thousand Dutch compounds), and their repeat and "at" words.
const DETECTOR_NUMBER_WORDS = [...NUMBER_WORD_VALUES.keys()].filter((word) => /^[a-z]+$/.test(word));
const DETECTOR_WORDS = [...Object.keys(REPEAT_WORDS), ...AT_WORDS, ...FILLER_WORDS];

const CUE_WORDS = (
  'telefoon telefoonnummer tel mobiel bel bellen belt bereikbaar phone cell call reach bsn burgerservicenummer ' +
  'sofinummer citizen social creditcard card kaart kaartnummer visa debit postcode zip adres address woon ' +
  'klant klantnummer customer factuur invoice ordernummer ticket storing meter zaak nummer number nr no huis ' +
  'huisnummer house num het dat that'
).split(' ');

const LETTERS = (
  'a b c d e f g h i j k l m n o p q r s t u v w x y z ab cd ax en EN AB LX XJ mb ms nl be de ' +
  'bee cee see dee ef gee ha jee jay ka kay el em pee kuu cue er es ess tee vee wee iks ex zet zed'
).split(' ');

const EMAIL_WORDS = (
  'at apenstaartje apestaartje apenstaart apestaart punt dot streepje liggend laag underscore dash hyphen ' +
  'koppelteken nl com net org eu io co info uk online app dev mail live'
).split(' ');

const FILLERS = 'uh uhm um eh ehm euh hm mm'.split(' ');

// Characters that fold to digits or letters, combining marks, capitals that change length, surrogate pairs.
const UNUSUAL = [
  'ß',
  'İstanbul',
  '²',
  '①',
  '１２３４',
  '𝟎𝟔',
  'e\u0301e\u0301n',
  'Één',
  'ﬁve',
  '😀',
  'ｎｌ',
  'constructor',
];

const FIXED = [
  '06-12345678',
  '0612345678',
  '+31 6 12345678',
  '(020) 123 4567',
  '010.123.4567',
  '555-867-5309',
  '1-800-555-0199',
  '123456782',
  '111 222 333',
  '4111 1111 1111 1111',
  '378282246310005',
  'NL91ABNA0417164300',
  'NL91 ABNA 0417 1643 00',
  'BE68 5390 0754 7034',
  'jan@example.nl',
  'john @ example.com',
  '1234 AB',
  '1234ab',
  '2511XJ',
  '12a',
  '7-2',
  '€ 45,50',
  '20:00',
  '9.00 uur',
  '1-12-2026',
  '2026-12-01',
  '12/28',
  '45 euro',
  '$1,234.56',
  '45123',
  '2026',
  '1500',
  '7590',
  'GR16 0110 1250 0000 0001 2300 695',
  'MT84MALT011000012345MTLCAST001S',
  'ro49 aaaa 1b31 0075 9384 0000',
  'SA03 8000 0000 6080 1016 7519',
  'plus 31',
  'nul zes',
  'n l negen een',
  'nul zes, twaalf, vierendertig',
  '06, 12, 34',
  'zesenvijftig en achtenzeventig',
  'oh six, twelve',
  'NL91 ABNA, 0417',
  '4111, 1111',
];

const SEPARATORS = [
  ' ',
  ' ',
  ' ',
  ' ',
  ' ',
  ' ',
  ' ',
  '-',
  ' - ',
  '.',
  ', ',
  ': ',
  '@',
  ' @ ',
  '/',
  '(',
  ') ',
  ' +',
  '\t',
  '?',
  // Pauses as recognisers write them between the groups of a number read out.
  ', ',
  '... ',
  '…',
  ' en ',
  ', uh, ',
];

/** A small, fast, seeded generator (mulberry32), so every run sees the same sentences. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function randomDigits(random: () => number): string {
  const length = 1 + Math.floor(random() * 12);
  return Array.from({ length }, () => String(Math.floor(random() * 10))).join('');
}

function randomWord(random: () => number, pool: 'plain' | 'mixed'): string {
  const roll = random();
  if (pool === 'plain') {
    // Mostly ordinary words with the odd number word or letter, like real turns without personal data.
    if (roll < 0.8) return pick(random, ORDINARY);
    if (roll < 0.87) return pick(random, CUE_WORDS);
    if (roll < 0.92) return pick(random, LETTERS);
    if (roll < 0.96) return pick(random, EMAIL_WORDS);
    return pick(random, SPOKEN_NUMBER_WORDS);
  }
  if (roll < 0.2) return pick(random, ORDINARY);
  if (roll < 0.35) return pick(random, SPOKEN_NUMBER_WORDS);
  if (roll < 0.45) return pick(random, DETECTOR_NUMBER_WORDS);
  if (roll < 0.55) return pick(random, CUE_WORDS);
  if (roll < 0.65) return pick(random, LETTERS);
  if (roll < 0.74) return pick(random, EMAIL_WORDS);
  if (roll < 0.77) return pick(random, DETECTOR_WORDS);
  if (roll < 0.79) return pick(random, FILLERS);
  if (roll < 0.81) return pick(random, UNUSUAL);
  if (roll < 0.9) return randomDigits(random);
  return pick(random, FIXED);
}

function capitalised(random: () => number, word: string): string {
  const roll = random();
  if (roll < 0.08) return word.toUpperCase();
  if (roll < 0.2) return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
  return word;
}

/** One random sentence of 1 to 24 words; `plain` sentences rarely hold digits or number words. */
export function randomSentence(random: () => number, pool: 'plain' | 'mixed' = 'mixed'): string {
  const length = 1 + Math.floor(random() * 24);
  let sentence = '';
  for (let position = 0; position < length; position++) {
    if (position > 0) sentence += pool === 'plain' && random() < 0.9 ? ' ' : pick(random, SEPARATORS);
    sentence += capitalised(random, randomWord(random, pool));
  }
  return random() < 0.3 ? `${sentence}${pick(random, ['.', '?', '!', ','])}` : sentence;
}

/** `count` sentences from `seed`, half plain and half mixed. */
export function randomSentences(seed: number, count: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) =>
    randomSentence(random, index % 2 === 0 ? 'plain' : 'mixed'),
  );
}
