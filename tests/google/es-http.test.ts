// POST /google/es through real HTTP with requests as Dialogflow ES sends them. Responses are checked against
// google.cloud.dialogflow.v2.WebhookResponse, and phone-gateway responses against v2beta1, where the telephony
// messages live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  AGENT_NUMBER,
  ES_BETA_RESPONSE,
  ES_REQUEST,
  ES_RESPONSE,
  expectValid,
  fixture,
  inSession,
  post,
  SECRET,
} from './helpers.ts';
import { protoProblems } from './proto-check.ts';

let server: TestServer;
let url: string;
beforeAll(async () => {
  server = await startTestServer({ LOKET_GOOGLE_SECRET: SECRET, LOKET_AGENT_PHONE_NUMBER: AGENT_NUMBER });
  url = `${server.url}/google/es`;
});
afterAll(async () => {
  await server?.close();
});

async function es(request: unknown, format: typeof ES_RESPONSE | typeof ES_BETA_RESPONSE = ES_RESPONSE) {
  const response = await post(url, request);
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  expectValid(format, response.json);
  return response.json;
}

describe('the fixtures', () => {
  it('are valid ES webhook requests', () => {
    for (const name of ['es-intent-with-parameters-en', 'es-free-text-nl', 'es-phone-gateway-nl']) {
      expectValid(ES_REQUEST, fixture(name));
    }
  });
});

describe('POST /google/es', () => {
  it('uses the matched intent and its parameters, and carries state in an output context', async () => {
    const request = inSession(fixture('es-intent-with-parameters-en'), 'es-http-intent');
    const json = await es(request);
    // Away from the phone gateway the response is plain v2, which v2beta1 agents accept as well.
    expectValid(ES_BETA_RESPONSE, json);
    expect(json.fulfillmentText).toMatch(/PostNL/);
    expect(json.fulfillmentMessages).toEqual([{ text: { text: [json.fulfillmentText] } }]);
    expect(json.outputContexts).toEqual([
      {
        name: 'projects/polderlink-voice/agent/sessions/es-http-intent/contexts/loket',
        lifespanCount: 20,
        parameters: { expecting: 'open', ended: false },
      },
    ]);
    const session = await server.runtime.deps.sessions.load('es:es-http-intent');
    expect(session?.history.at(-1)).toMatchObject({ intent: 'OrderStatus', slots: { orderNumber: '45123' } });
  });

  it('reads the words itself when ES fell back to its Default Fallback Intent (Dutch)', async () => {
    const json = await es(inSession(fixture('es-free-text-nl'), 'es-http-text'));
    const transcript = await server.runtime.deps.records.listTranscript('es:es-http-text');
    expect(transcript[0]).toMatchObject({
      intent: 'TechnicalProblem',
      channel: 'dialogflow-es',
      locale: 'nl-NL',
    });
    expect(json.fulfillmentText).toMatch(/wifi|router|modem|extender/i);
  });

  it('speaks SSML and transfers the call on the phone gateway, in v2beta1 form', async () => {
    const json = await es(inSession(fixture('es-phone-gateway-nl'), 'es-http-phone'), ES_BETA_RESPONSE);
    const [speech, transfer, text] = json.fulfillmentMessages;
    expect(speech.platform).toBe('TELEPHONY');
    expect(speech.telephonySynthesizeSpeech.ssml).toMatch(/^<speak>.*<\/speak>$/);
    expect(transfer).toEqual({ platform: 'TELEPHONY', telephonyTransferCall: { phoneNumber: AGENT_NUMBER } });
    expect(text).toEqual({ text: { text: [json.fulfillmentText] } });
    expect(json.liveAgentHandoff).toBe(true);
    expect(json.endInteraction).toBeUndefined();
    expect(json.payload.loket.handoff).toMatchObject({ reason: 'asked-for-person', queue: 'general' });
    const { handoffId } = json.payload.loket.handoff;
    expect(json.outputContexts[0].parameters).toMatchObject({ handoffId, handoffReason: 'asked-for-person' });
    expect(await server.runtime.deps.records.getHandoff(handoffId)).toMatchObject({
      channel: 'dialogflow-es',
      sessionId: 'es:es-http-phone',
    });
    const session = await server.runtime.deps.sessions.load('es:es-http-phone');
    expect(session?.callerId).toBe('+31612345678');
    // The same response is not v2: this is why it is only sent to the phone gateway, a beta feature.
    expect(protoProblems(ES_RESPONSE, json).join('\n')).toMatch(/no field 'telephonySynthesizeSpeech'/);
  });

  it('greets on the welcome intent and hangs up the phone when the conversation ends', async () => {
    const welcome = inSession(fixture('es-phone-gateway-nl'), 'es-http-phone-stop');
    welcome.queryResult = { ...welcome.queryResult, intent: { displayName: 'Default Welcome Intent' } };
    delete welcome.queryResult.queryText;
    const greeting = await es(welcome, ES_BETA_RESPONSE);
    expect(greeting.fulfillmentText).toMatch(/Polderlink/);
    expect(greeting.endInteraction).toBeUndefined();

    const stop = inSession(fixture('es-phone-gateway-nl'), 'es-http-phone-stop');
    stop.queryResult = {
      ...stop.queryResult,
      queryText: 'nee dat was het, doei',
      intent: { displayName: 'Stop' },
    };
    const bye = await es(stop, ES_BETA_RESPONSE);
    expect(bye.endInteraction).toBe(true);
    expect(bye.outputContexts[0]).toMatchObject({ lifespanCount: 0, parameters: { ended: true } });
  });

  it('answers 400 with a reason for a body that is not an ES webhook request', async () => {
    const noQuery = await post(url, { session: 'projects/p/agent/sessions/s' });
    expect(noQuery.status).toBe(400);
    expect(noQuery.json.message).toMatch(/queryResult/);
    const cxBody = await post(url, fixture('cx-free-text-nl'));
    expect(cxBody.status).toBe(400);
    expect(cxBody.json.error).toBe('invalid-webhook-request');
  });
});
