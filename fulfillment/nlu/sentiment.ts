// Frustration and sentiment signals from what the customer says, in Dutch and English.
// A small lexicon is enough here: the engine only needs "is this person upset?" to answer with empathy and offer a
// person, and a lexicon is predictable and explainable to a CX designer, unlike a model trained on reviews.

const frustrationPatterns: RegExp[] = [
  // repeated contact
  /\b(derde|vierde|tiende|zoveelste) keer\b/,
  /\b(al|nu al) (twee|drie|vier|vijf|\d+) keer\b/,
  // "alweer" alone is also "again" in "hoe heet dat ook alweer": only with what broke again.
  /\b(alweer|weer) (niet|kapot|stuk|storing|eruit|mis|hetzelfde)\b/,
  /\b(third|fourth|fifth|tenth|umpteenth) time\b/,
  /\b(again and again|every single time|keep calling|called (you )?(twice|three times|\d+ times))\b/,
  // judgement of the service
  /\b(belachelijk|schandalig|waardeloos|nutteloos|bespottelijk|onacceptabel|onbegrijpelijk|ongelooflijk slecht|diep triest|te gek voor woorden)\b/,
  /\b(ridiculous|useless|pathetic|unacceptable|outrageous|terrible service|rubbish|garbage|this is a joke)\b/,
  // "worst case" is planning, not anger.
  /\b(the )?worst (service|company|provider|experience|customer service|ever)\b/,
  /\b(ik word (er )?gek|ik ben het (zat|beu)|ik heb er genoeg van|ik ben er klaar mee|het hangt me de keel uit)\b/,
  /\b(fed up|sick of|sick and tired|had enough|so frustrat|frustrating|frustrated|furious|angry|pissed)\b/,
  /\b(boos|woedend|kwaad|geïrriteerd|geirriteerd|gefrustreerd|frustrerend)\b/,
  // swearing
  /\b(godverdomme|verdomme|kut|kolere|tering|klote|shit|fuck|fucking|damn|damn it|bloody|crap|wtf)\b/,
  /\b(stomme|domme|debiele) (robot|computer|bot|machine)\b/,
  /\b(stupid|dumb) (robot|computer|bot|machine)\b/,
];

const positiveWords =
  /\b(dank|bedankt|fijn|top|super|geweldig|prima|perfect|thanks|thank you|great|perfect|wonderful|awesome|lovely)\b/g;
const negativeWords =
  /\b(slecht|vervelend|balen|jammer|probleem|storing|kapot|traag|werkt niet|doet het niet|bad|annoying|broken|slow|not working|doesn't work|problem)\b/g;

export interface SentimentSignal {
  /** -1 (angry) .. 1 (happy) */
  score: number;
  frustrated: boolean;
}

export function detectSentiment(text: string): SentimentSignal {
  const lower = text.toLowerCase();
  const frustrated = frustrationPatterns.some((pattern) => pattern.test(lower));
  const positives = lower.match(positiveWords)?.length ?? 0;
  const negatives = lower.match(negativeWords)?.length ?? 0;
  const raw = (positives - negatives) / Math.max(1, positives + negatives);
  const score = frustrated ? Math.min(-0.6, raw) : raw * 0.6;
  return { score: Math.round(score * 100) / 100, frustrated };
}
