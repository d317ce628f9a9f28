// The benchmark's Alexa requests: realistic envelopes that the endpoint answers, for every benchmark utterance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UTTERANCES } from '../../fulfillment/bench/bench.ts';
import { alexaBenchRequest } from '../../fulfillment/channels/alexa/bench.ts';
import { alexaEnvelopeSchema } from '../../fulfillment/channels/alexa/envelope.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { postAlexa, spoken } from './alexa-client.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOKET_ALEXA_VERIFY: 'false' });
});
afterAll(async () => {
  await server?.close();
});

describe('alexaBenchRequest', () => {
  it('builds an IntentRequest envelope with a matched intent and a fresh timestamp', () => {
    const request: any = alexaBenchRequest('bench-1', 'nl-NL', 'waar blijft bestelling 45123');
    expect(alexaEnvelopeSchema.safeParse(request).success).toBe(true);
    expect(request.session.sessionId).toBe('bench-1');
    expect(request.request).toMatchObject({ type: 'IntentRequest', locale: 'nl-NL' });
    expect(request.request.intent).toEqual({
      name: 'OrderStatus',
      confirmationStatus: 'NONE',
      slots: {
        orderNumber: { name: 'orderNumber', confirmationStatus: 'NONE', value: '45123', source: 'USER' },
      },
    });
    expect(Math.abs(Date.parse(request.request.timestamp) - Date.now())).toBeLessThan(5000);
    // A benchmark must never reach Amazon's Directive service.
    expect(request.context.System.apiEndpoint).toBeUndefined();
  });

  it('gives every benchmark utterance an intent the endpoint answers', async () => {
    for (const [locale, utterances] of Object.entries(UTTERANCES)) {
      for (const [index, utterance] of utterances.entries()) {
        const request: any = alexaBenchRequest(`bench-${locale}-${index}`, locale, utterance);
        expect(request.request.intent.name, utterance).not.toBe('AMAZON.FallbackIntent');
        const reply = await postAlexa(server.url, request);
        expect(reply.status, utterance).toBe(200);
        expect(spoken(reply).length, utterance).toBeGreaterThan(0);
      }
    }
  });
});
