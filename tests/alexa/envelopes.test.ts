// The request envelopes Alexa sends (as documented in the ASK reference) through the real HTTP endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { envelope, postAlexa, spoken } from './alexa-client.ts';

let server: TestServer;
const logged: { level: string; fields: any; message: string }[] = [];
beforeAll(async () => {
  server = await startTestServer({ LOKET_ALEXA_VERIFY: 'false' });
  // Watch what the channel logs, next to the real logger.
  const { logger } = server.runtime.deps;
  for (const level of ['error', 'warn', 'info'] as const) {
    const original = logger[level].bind(logger);
    (logger as any)[level] = (fields: any, message?: string) => {
      logged.push({ level, fields, message: message ?? String(fields) });
      return (original as any)(fields, message);
    };
  }
});
afterAll(async () => {
  await server?.close();
});

describe('POST /alexa with the documented envelopes', () => {
  it('greets on a LaunchRequest and keeps the session open with a reprompt', async () => {
    const reply = await postAlexa(server.url, envelope('launch-request', { sessionId: 'env-launch' }));
    expect(reply.status).toBe(200);
    expect(reply.json.version).toBe('1.0');
    const { response } = reply.json;
    expect(response.outputSpeech.type).toBe('SSML');
    // en-US has Alexa's conversational style.
    expect(response.outputSpeech.ssml).toMatch(
      /^<speak><amazon:domain name="conversational">.*<\/amazon:domain><\/speak>$/,
    );
    expect(spoken(reply)).toMatch(/Polderlink/);
    expect(response.shouldEndSession).toBe(false);
    expect(response.reprompt.outputSpeech.ssml).toMatch(/\?/);
    // A question asked in answer to a LaunchRequest cannot carry a Dialog directive.
    expect(response.directives).toBeUndefined();
  });

  it('answers an intent with a slot, reading the number Alexa recognised', async () => {
    const reply = await postAlexa(
      server.url,
      envelope('intent-request-order-status', { sessionId: 'env-order' }),
    );
    expect(reply.status).toBe(200);
    expect(spoken(reply)).toMatch(/PostNL/);
    const stored = await server.runtime.deps.sessions.load('env-order');
    expect(stored?.history.at(-1)).toMatchObject({ intent: 'OrderStatus', slots: { orderNumber: '45123' } });
  });

  it('uses the resolved id of a slot value (ER_SUCCESS_MATCH) as its canonical value', async () => {
    const body = envelope('intent-request-resolved-slot', { sessionId: 'env-device' });
    // "wireless" was heard; entity resolution matched it to the value with id "wifi".
    expect(body.request.intent.slots.device.value).toBe('wireless');
    const reply = await postAlexa(server.url, body);
    expect(reply.status).toBe(200);
    const transcript = await server.runtime.deps.records.listTranscript('env-device');
    expect(transcript[0]).toMatchObject({ speaker: 'customer', intent: 'TechnicalProblem' });
    const stored = await server.runtime.deps.sessions.load('env-device');
    const slots = { ...stored?.frames.at(-1)?.slots, ...stored?.history.at(-1)?.slots };
    expect(slots.device).toBe('wifi');
    expect(spoken(reply).toLowerCase()).toMatch(/wifi|wi-fi|router|modem/);
  });

  it('maps a built-in intent (AMAZON.HelpIntent) onto the model global Help', async () => {
    const reply = await postAlexa(server.url, envelope('builtin-help-intent', { sessionId: 'env-help' }));
    expect(reply.status).toBe(200);
    expect(spoken(reply)).toMatch(/outage|order|bill/i);
    const transcript = await server.runtime.deps.records.listTranscript('env-help');
    expect(transcript[0]).toMatchObject({ speaker: 'customer', intent: 'Help' });
    expect(reply.json.response.shouldEndSession).toBe(false);
  });

  it('logs a SessionEndedRequest error with its reason and answers with an empty response', async () => {
    const reply = await postAlexa(server.url, envelope('session-ended-error', { sessionId: 'env-ended' }));
    expect(reply.status).toBe(200);
    expect(reply.json.response).toEqual({});
    const entry = logged.find((line) => line.message === 'alexa ended the session with an error');
    expect(entry?.level).toBe('error');
    expect(entry?.fields).toMatchObject({
      reason: 'ERROR',
      errorType: 'INVALID_RESPONSE',
      errorMessage: 'An exception occurred while dispatching the request to the skill.',
    });
  });
});
