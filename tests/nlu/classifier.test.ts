// Tests for Loket's intent classifier: normalisation, small bilingual data, determinism and Banking77.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  normalizeText,
  type TrainingExample,
  tokenize,
  trainClassifier,
} from '../../fulfillment/nlu/classifier.ts';
import { evaluate, readLabelledCsv } from '../../fulfillment/nlu/evaluate.ts';

// A small Dutch + English set of the size a locale has in production (well, a bit smaller).
const PHRASES: Record<string, string[]> = {
  opening_hours: [
    'Wat zijn jullie openingstijden?',
    'Hoe laat gaan jullie open?',
    'Tot hoe laat zijn jullie open vandaag?',
    'Zijn jullie op zondag geopend?',
    'Wanneer is de winkel open?',
    'Hoe laat sluit de winkel?',
    'What are your opening hours?',
    'When do you open?',
    'What time do you close today?',
    'Are you open on Sunday?',
    'When is the shop open?',
    'How late are you open tonight?',
  ],
  order_status: [
    'Waar is mijn bestelling?',
    'Ik wacht nog steeds op mijn pakket',
    'Wanneer wordt mijn bestelling bezorgd?',
    'Mijn pakket is nog niet aangekomen',
    'Kunt u de status van mijn bestelling opzoeken?',
    'Is mijn order al verzonden?',
    'Where is my order?',
    'I am still waiting for my package',
    'When will my order be delivered?',
    'My parcel has not arrived yet',
    'Can you check the status of my order?',
    'Has my order shipped already?',
  ],
  cancel_order: [
    'Ik wil mijn bestelling annuleren',
    'Kan ik mijn order nog annuleren?',
    'Annuleer mijn bestelling alstublieft',
    'Ik heb per ongeluk besteld, kan dat ongedaan worden?',
    'Hoe zeg ik mijn bestelling af?',
    'Stop mijn bestelling',
    'I want to cancel my order',
    'Can I still cancel my order?',
    'Please cancel my purchase',
    'I ordered by mistake, can you undo it?',
    'How do I cancel an order?',
    'Stop my order please',
  ],
  talk_to_agent: [
    'Ik wil een medewerker spreken',
    'Verbind me door met een mens',
    'Kan ik iemand aan de lijn krijgen?',
    'Ik wil met een persoon praten',
    'Geef me een echte medewerker',
    'Doorverbinden met de klantenservice',
    'I want to speak to an agent',
    'Connect me to a human',
    'Can I talk to a real person?',
    'Let me speak with someone',
    'Get me a representative',
    'Transfer me to customer service',
  ],
  change_address: [
    'Ik wil mijn adres wijzigen',
    'Ik ben verhuisd, hoe pas ik mijn adres aan?',
    'Mijn bezorgadres klopt niet',
    'Kan ik een ander afleveradres opgeven?',
    'Adreswijziging doorgeven',
    'Mijn postcode is veranderd',
    'I want to change my address',
    'I moved, how do I update my address?',
    'My delivery address is wrong',
    'Can I use a different shipping address?',
    'Update my home address',
    'My zip code has changed',
  ],
  invoice_question: [
    'Ik heb een vraag over mijn factuur',
    'Er staat een fout op mijn rekening',
    'Ik ben twee keer gefactureerd',
    'Waar kan ik mijn factuur downloaden?',
    'Waarom is mijn rekening zo hoog?',
    'Ik begrijp de kosten op mijn factuur niet',
    'I have a question about my invoice',
    'There is a mistake on my bill',
    'I was charged twice',
    'Where can I download my invoice?',
    'Why is my bill so high?',
    'I do not understand the charges on my invoice',
  ],
};

const TRAINING: TrainingExample[] = Object.entries(PHRASES).flatMap(([label, texts]) =>
  texts.map((text) => ({ text, label })),
);

// Held-out phrasings as a phone transcript delivers them: lower case, no punctuation, some misrecognitions.
const HELD_OUT: TrainingExample[] = [
  { text: 'hoe laat zijn jullie morgen open', label: 'opening_hours' },
  { text: 'wat zijn de openingstijde van de winkel', label: 'opening_hours' },
  { text: 'what time do you open tomorrow', label: 'opening_hours' },
  { text: 'is the store open on sundays', label: 'opening_hours' },
  { text: 'mijn bestelling is nog steeds niet bezorgd', label: 'order_status' },
  { text: 'waar blijft mijn pakketje', label: 'order_status' },
  { text: 'where is my package', label: 'order_status' },
  { text: 'my order hasnt arrived yet', label: 'order_status' },
  { text: 'ik wil de bestelling annuleeren', label: 'cancel_order' },
  { text: 'kan die order geannuleerd worden', label: 'cancel_order' },
  { text: 'please cancel the order i placed', label: 'cancel_order' },
  { text: 'i want to cancel my purchase', label: 'cancel_order' },
  { text: 'mag ik een medewerker spreken', label: 'talk_to_agent' },
  { text: 'ik wil graag met een mens praten', label: 'talk_to_agent' },
  { text: 'can i speak to a person', label: 'talk_to_agent' },
  { text: 'transfer me to an agent please', label: 'talk_to_agent' },
  { text: 'ik ben verhuist en wil mijn adres veranderen', label: 'change_address' },
  { text: 'mijn nieuwe adres doorgeven', label: 'change_address' },
  { text: 'i need to update my shipping address', label: 'change_address' },
  { text: 'change the delivery address', label: 'change_address' },
  { text: 'waarom staat er een fout op de factuur', label: 'invoice_question' },
  { text: 'ik ben dubbel gefactureerd', label: 'invoice_question' },
  { text: 'why was i charged twice on my bill', label: 'invoice_question' },
  { text: 'question about the invoice', label: 'invoice_question' },
];

describe('normalizeText', () => {
  it('lower-cases, folds diacritics and strips punctuation', () => {
    expect(normalizeText('Één, TWÉÉ!  Drie?')).toBe('een twee drie');
    expect(normalizeText('Café crème à la carte')).toBe('cafe creme a la carte');
    expect(normalizeText('Ik heb geen reïntegratie-cursus gehad…')).toBe(
      'ik heb geen reintegratie cursus gehad',
    );
  });

  it('drops apostrophes inside words, as speech recognisers write them', () => {
    expect(normalizeText("I don't know")).toBe('i dont know');
    expect(normalizeText('Twee auto’s')).toBe('twee autos');
  });

  it('collapses all kinds of whitespace and trims', () => {
    expect(normalizeText('  hallo\t\n wereld  ')).toBe('hallo wereld');
    expect(normalizeText('...!?')).toBe('');
    expect(normalizeText('')).toBe('');
  });

  it('keeps digits and folds letters without a decomposition', () => {
    expect(normalizeText('Order #12-34 (€5,50)')).toBe('order 12 34 5 50');
    expect(normalizeText('Straße Ærø')).toBe('strasse aero');
  });

  it('splits into words', () => {
    expect(tokenize('Hoe laat, precies?')).toEqual(['hoe', 'laat', 'precies']);
    expect(tokenize(' ! ')).toEqual([]);
  });
});

describe('trainClassifier on a small Dutch and English set', () => {
  const classifier = trainClassifier(TRAINING);

  it('lists the labels it knows, sorted', () => {
    expect(classifier.labels).toEqual(Object.keys(PHRASES).sort());
  });

  it('classifies held-out paraphrases and transcripts correctly', () => {
    const wrong = HELD_OUT.map((example) => ({
      ...example,
      predicted: classifier.predict(example.text).label,
    }))
      .filter((example) => example.predicted !== example.label)
      .map((example) => `${example.text} -> ${example.predicted} (expected ${example.label})`);
    // A lexical model may miss one odd phrasing, never more.
    expect(wrong.length, wrong.join('\n')).toBeLessThanOrEqual(1);
    expect(evaluate(classifier, HELD_OUT).accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('returns calibrated confidences with a sorted ranking', () => {
    const prediction = classifier.predict('ik wil mijn bestelling annuleren');
    expect(prediction.label).toBe('cancel_order');
    expect(prediction.confidence).toBeGreaterThan(0.5);
    expect(prediction.ranking[0]).toEqual({ label: prediction.label, confidence: prediction.confidence });
    expect(prediction.ranking).toHaveLength(5);
    for (let index = 1; index < prediction.ranking.length; index++) {
      expect(prediction.ranking[index - 1]?.confidence).toBeGreaterThanOrEqual(
        prediction.ranking[index]?.confidence ?? Number.NaN,
      );
    }
    const allLabels = trainClassifier(TRAINING.slice(0, 24));
    const total = allLabels
      .predict('where is my order')
      .ranking.reduce((sum, ranked) => sum + ranked.confidence, 0);
    expect(total).toBeCloseTo(1, 6);
  });

  it('is unsure about text it has never seen anything like', () => {
    const unknown = classifier.predict('xqzv plorp');
    expect(unknown.confidence).toBeLessThan(0.5);
    expect(classifier.predict('').confidence).toBeLessThan(0.5);
    // Out-of-scope input scores far below in-scope input, which is what the Fallback threshold relies on.
    expect(classifier.predict('wat is de hoofdstad van peru').confidence).toBeLessThan(
      classifier.predict('wat zijn jullie openingstijden').confidence,
    );
  });

  it('is deterministic for a seed and data set', () => {
    const first = trainClassifier(TRAINING, { seed: 7 });
    const second = trainClassifier(TRAINING, { seed: 7 });
    for (const { text } of HELD_OUT) {
      expect(second.predict(text)).toEqual(first.predict(text));
    }
    const otherSeed = trainClassifier(TRAINING, { seed: 8 });
    const differs = HELD_OUT.some(
      ({ text }) => otherSeed.predict(text).confidence !== first.predict(text).confidence,
    );
    expect(differs).toBe(true);
  });

  it('reports progress up to the total', () => {
    const reports: [number, number][] = [];
    trainClassifier(TRAINING, { epochs: 3, onProgress: (done, total) => reports.push([done, total]) });
    expect(reports.length).toBeGreaterThan(2);
    expect(reports.at(-1)).toEqual([3 * TRAINING.length, 3 * TRAINING.length]);
    expect(reports.every(([done], index) => index === 0 || done > (reports[index - 1]?.[0] ?? 0))).toBe(true);
  });

  it('handles a single label and rejects unusable input', () => {
    const single = trainClassifier([{ text: 'hallo', label: 'greeting' }]);
    expect(single.predict('iets anders')).toEqual({
      label: 'greeting',
      confidence: 1,
      ranking: [{ label: 'greeting', confidence: 1 }],
    });
    expect(() => trainClassifier([])).toThrow(/without examples/);
    expect(() => trainClassifier([{ text: 'hallo', label: ' ' }])).toThrow(/example 1 .* has no label/);
  });
});

const BANKING77 = resolve(process.cwd(), '../shared/datasets/banking77');
const banking77Available = existsSync(BANKING77);
if (!banking77Available) {
  console.warn(`Skipping the Banking77 accuracy test: ${BANKING77} does not exist`);
}

describe.skipIf(!banking77Available)('Banking77', () => {
  it('reaches at least 85 % test accuracy when trained on train.csv only', { timeout: 90_000 }, () => {
    const train = readLabelledCsv(resolve(BANKING77, 'train.csv'));
    const test = readLabelledCsv(resolve(BANKING77, 'test.csv'));
    const started = performance.now();
    const classifier = trainClassifier(train);
    const trainSeconds = (performance.now() - started) / 1000;
    const metrics = evaluate(classifier, test);
    console.info(
      `Banking77: accuracy ${metrics.accuracy.toFixed(4)}, macro-F1 ${metrics.macroF1.toFixed(4)}, trained in ${trainSeconds.toFixed(1)} s`,
    );
    expect(train).toHaveLength(10_003);
    expect(test).toHaveLength(3_080);
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(metrics.macroF1).toBeGreaterThanOrEqual(0.85);
  });
});
