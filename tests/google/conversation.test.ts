// A whole phone call through POST /google/cx, as the CX phone gateway would drive it with the exported agent: welcome,
// an intent CX matched, words CX did not understand, a yes CX matched, keypad digits, and finally a live-agent handoff
// with the call transferred and the package stored for the colleague. Every response is checked against the protos.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { AGENT_NUMBER, CX_RESPONSE, cxMessages, expectValid, fixture, post, SECRET } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOKET_GOOGLE_SECRET: SECRET, LOKET_AGENT_PHONE_NUMBER: AGENT_NUMBER });
});
afterAll(async () => {
  await server?.close();
});

const SESSION_ID = 'Pq7Rs9Tu1Vw3Xy5Za7Bc9De1Fg';
const call = fixture('cx-phone-gateway-welcome-nl');
const session = call.sessionInfo.session.replace(/[^/]+$/, SESSION_ID);
let turn = 0;

/** One turn of the call: what CX sends for it, with the phone gateway's payload and the running session. */
async function say(query: Record<string, unknown>, tag: string) {
  turn += 1;
  const request = {
    detectIntentResponseId: `0f1e2d3c-4b5a-4968-8776-${String(turn).padStart(12, '0')}`,
    pageInfo: call.pageInfo,
    sessionInfo: { session, parameters: {} },
    fulfillmentInfo: { tag },
    payload: call.payload,
    languageCode: 'nl',
    ...query,
  };
  const { status, json } = await post(`${server.url}/google/cx`, request);
  expect(status, JSON.stringify(json)).toBe(200);
  expectValid(CX_RESPONSE, json);
  return { json, ...cxMessages(json), expecting: json.sessionInfo.parameters.loket_expecting };
}

const matched = (displayName: string, confidence: number) => ({
  intentInfo: {
    lastMatchedIntent: `${call.pageInfo.currentPage.split('/flows/')[0]}/intents/7e1c2b3a-0000-4000-8000-00000000000${turn}`,
    displayName,
    confidence,
  },
});

it('moves house by phone and ends with the call transferred to a colleague of moves', async () => {
  const welcome = await say({ ...matched('Default Welcome Intent', 1) }, 'welcome');
  expect(welcome.text).toMatch(/Jan/);

  const move = await say({ ...matched('MoveHouse', 0.88), transcript: 'wij gaan verhuizen' }, 'intent');
  expect(move.expecting).toBe('slot:moveDate');

  // CX has no intent for a bare date, so its no-match handler calls Loket with the words.
  const date = await say({ transcript: 'op een december' }, 'no-match');
  expect(date.expecting).toBe('slot:postcode');

  const postcode = await say({ transcript: 'twaalf vierendertig a b' }, 'no-match');
  expect(postcode.expecting).toBe('confirmation:slot');
  expect(postcode.text).toContain('1234 AB');
  expect(postcode.ssml).toMatch(/<say-as interpret-as="characters">1234<\/say-as>/);

  const yes = await say({ ...matched('Yes', 0.97), transcript: 'ja klopt' }, 'intent');
  expect(yes.expecting).toBe('slot:houseNumber');

  // The house number typed on the keypad.
  const houseNumber = await say({ dtmfDigits: '5' }, 'no-match');
  expect(houseNumber.handoff).toMatchObject({ reason: 'policy', queue: 'moves' });
  expect(houseNumber.transfer).toBe(AGENT_NUMBER);
  expect(houseNumber.json.targetPage).toBeUndefined();
  expect(houseNumber.json.sessionInfo.parameters).toMatchObject({
    loket_expecting: 'none',
    loket_handoff_id: houseNumber.handoff.handoffId,
    loket_handoff_code: houseNumber.handoff.code,
    loket_handoff_reason: 'policy',
  });

  const handoff = await server.runtime.deps.records.getHandoff(houseNumber.handoff.handoffId);
  expect(handoff).toMatchObject({
    channel: 'dialogflow-cx',
    sessionId: `cx:${SESSION_ID}`,
    reason: 'policy',
    queue: 'moves',
    locale: 'nl-NL',
    code: houseNumber.handoff.code,
  });
  expect(handoff?.intents.at(-1)).toMatchObject({
    intent: 'MoveHouse',
    slots: { postcode: '[postcode]', houseNumber: '5' },
  });
  expect(handoff?.customer?.name).toMatch(/Jan de Vries/);
  expect(handoff?.callerId).not.toContain('612345678');
  // The colleague sees the transcript with personal data masked.
  expect(
    handoff?.transcript.filter((entry) => entry.speaker === 'customer').map((entry) => entry.text),
  ).toEqual(['[launch]', 'wij gaan verhuizen', 'op een december', '[postcode]', 'ja klopt', '[dtmf 5]']);
});
