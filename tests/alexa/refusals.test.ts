// Bad input to /alexa gets a 4xx with a reason and never reaches the engine; bad settings stop the start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alexaRouter } from '../../fulfillment/channels/alexa/router.ts';
import { readAlexaSettings } from '../../fulfillment/channels/alexa/settings.ts';
import { SettingsError } from '../../fulfillment/config/settings.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { envelope, postAlexa } from './alexa-client.ts';

const OUR_SKILL = 'amzn1.ask.skill.6c1f2e7a-8b3d-4e9f-a1b2-c3d4e5f60718';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOKET_ALEXA_VERIFY: 'false', LOKET_ALEXA_SKILL_ID: OUR_SKILL });
});
afterAll(async () => {
  await server?.close();
});

async function engineSaw(sessionId: string): Promise<boolean> {
  return (await server.runtime.deps.sessions.load(sessionId)) !== null;
}

describe('POST /alexa refusals', () => {
  it('answers requests for the configured skill', async () => {
    const reply = await postAlexa(server.url, envelope('launch-request', { sessionId: 'refuse-ours' }));
    expect(reply.status).toBe(200);
  });

  it('refuses a request for another skill (LOKET_ALEXA_SKILL_ID)', async () => {
    const body = envelope('launch-request', { sessionId: 'refuse-other-skill' });
    body.context.System.application.applicationId = 'amzn1.ask.skill.someone-else';
    body.session.application.applicationId = 'amzn1.ask.skill.someone-else';
    const reply = await postAlexa(server.url, body);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: 'wrong-skill' });
    expect(await engineSaw('refuse-other-skill')).toBe(false);
  });

  it('refuses malformed JSON with a 400, not a 500', async () => {
    const reply = await postAlexa(server.url, '{"version": "1.0", "request": ');
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: 'malformed-json', message: 'request body is not valid JSON' });
  });

  it('refuses an empty body', async () => {
    const reply = await postAlexa(server.url, '');
    expect(reply.status).toBe(400);
  });

  it('refuses an envelope that is not an Alexa request, naming the field', async () => {
    const body = envelope('intent-request-order-status', { sessionId: 'refuse-no-intent' });
    delete body.request.intent;
    const reply = await postAlexa(server.url, body);
    expect(reply.status).toBe(400);
    expect(reply.json.error).toBe('invalid-request');
    expect(reply.json.message).toMatch(/request\.intent: an IntentRequest needs an intent/);
    expect(await engineSaw('refuse-no-intent')).toBe(false);

    const nothing = await postAlexa(server.url, { hello: 'world' });
    expect(nothing.status).toBe(400);
    expect(nothing.json.message).toMatch(/request/);
  });

  it('refuses a body over LOKET_MAX_BODY_BYTES with 413', async () => {
    const body = envelope('launch-request', { sessionId: 'refuse-large' });
    body.padding = 'x'.repeat(70_000);
    const reply = await postAlexa(server.url, body);
    expect(reply.status).toBe(413);
    expect(await engineSaw('refuse-large')).toBe(false);
  });

  it('answers other methods with 405', async () => {
    const response = await fetch(`${server.url}/alexa`);
    expect(response.status).toBe(405);
  });

  it('answers request types it does not handle with an empty response', async () => {
    const body = envelope('launch-request', { sessionId: 'refuse-exception' });
    body.request = {
      type: 'System.ExceptionEncountered',
      requestId: 'amzn1.echo-api.request.exception',
      timestamp: new Date().toISOString(),
      locale: 'en-US',
      error: { type: 'INVALID_RESPONSE', message: 'Invalid directive' },
      cause: { requestId: 'amzn1.echo-api.request.earlier' },
    };
    const reply = await postAlexa(server.url, body);
    expect(reply.status).toBe(200);
    expect(reply.json.response).toEqual({});
  });
});

describe('when the engine fails', () => {
  it('says something kind in the customer language, with the service number, and ends the session', async () => {
    const { sessions } = server.runtime.deps;
    const load = sessions.load;
    sessions.load = async () => {
      throw new Error('session store down');
    };
    try {
      const dutch = await postAlexa(
        server.url,
        envelope('launch-request', { sessionId: 'fail-1', locale: 'nl-NL' }),
      );
      expect(dutch.status).toBe(200);
      expect(dutch.json.response.shouldEndSession).toBe(true);
      expect(dutch.json.response.outputSpeech.ssml).toMatch(
        /^<speak>Sorry, er ging iets mis aan onze kant\./,
      );
      expect(dutch.json.response.outputSpeech.ssml).toContain('<say-as interpret-as="digits">020</say-as>');
      const english = await postAlexa(server.url, envelope('launch-request', { sessionId: 'fail-2' }));
      expect(english.json.response.outputSpeech.ssml).toMatch(/Sorry, something went wrong on our side/);
    } finally {
      sessions.load = load;
    }
  });
});

describe('Alexa settings', () => {
  it('has verification on by default', () => {
    expect(readAlexaSettings({})).toEqual({ verify: true, skillId: null, progressiveAfterMs: 1000 });
    expect(readAlexaSettings({ LOKET_ALEXA_VERIFY: 'FALSE' }).verify).toBe(false);
  });

  it('reports every bad value with its name and what was given', () => {
    try {
      readAlexaSettings({ LOKET_ALEXA_VERIFY: 'maybe', LOKET_ALEXA_SKILL_ID: 'my-skill' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).problems).toEqual([
        'LOKET_ALEXA_VERIFY: must be true or false (got "maybe")',
        'LOKET_ALEXA_SKILL_ID: must look like amzn1.ask.skill.<id> (got "my-skill")',
      ]);
    }
  });

  it('warns at start-up when verification is off', () => {
    const warnings: unknown[] = [];
    const logger = Object.assign(Object.create(server.runtime.deps.logger), {
      warn: (...args: unknown[]) => warnings.push(args),
    });
    alexaRouter({
      ...server.runtime,
      deps: { ...server.runtime.deps, logger },
      settings: { ...server.runtime.settings, env: { LOKET_ALEXA_VERIFY: 'false' } },
    });
    expect(JSON.stringify(warnings)).toMatch(/LOKET_ALEXA_VERIFY=false/);
    warnings.length = 0;
    alexaRouter({
      ...server.runtime,
      deps: { ...server.runtime.deps, logger },
      settings: { ...server.runtime.settings, env: {} },
    });
    expect(warnings).toEqual([]);
  });
});
