// A realistic free-text Dialogflow CX webhook request, for `npm run bench` to drive POST /google/cx with.
import { randomUUID } from 'node:crypto';

const BENCH_AGENT = 'projects/loket-bench/locations/europe-west4/agents/3c4f0a8e-5b1d-4f7a-9a59-0c9e8f2d1b77';
const START_FLOW = `${BENCH_AGENT}/flows/00000000-0000-0000-0000-000000000000`;

/**
 * What CX sends when no CX intent matched and the no-match handler calls the Loket webhook (the exported agent's
 * `no-match` tag): the words, the language, the session and the current page. `locale` is a model locale ("nl-NL").
 */
export function cxBenchRequest(sessionId: string, locale: string, text: string): object {
  return {
    detectIntentResponseId: randomUUID(),
    languageCode: locale.split('-')[0]?.toLowerCase() ?? locale,
    fulfillmentInfo: { tag: 'no-match' },
    pageInfo: { currentPage: `${START_FLOW}/pages/START_PAGE`, displayName: 'Start Page' },
    sessionInfo: { session: `${BENCH_AGENT}/sessions/${sessionId}`, parameters: {} },
    text,
  };
}
