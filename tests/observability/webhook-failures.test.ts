// loket_webhook_failures_total in every channel, through real HTTP on the real app: bad requests to /alexa,
// /google/cx, /google/es, the Twilio webhooks and the media stream, then GET /metrics. Also what each channel answers
// while the session store is unavailable: 503 with Retry-After on the text API, an apology on the voice channels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_FAILURE_REASONS } from '../../fulfillment/observability/metrics.ts';
import { StoreUnavailableError } from '../../fulfillment/stores/session-store.ts';
import { envelope, postAlexa, spoken } from '../alexa/alexa-client.ts';
import { BEARER, cxMessages, fixture, inSession, post as postGoogle, SECRET } from '../google/helpers.ts';
import { converse, startTestServer, type TestServer } from '../helpers/server.ts';
import { openStream } from '../telephony/media-peer.ts';
import { AUTH_TOKEN, call, JAN, PUBLIC_URL, postTwilio, sayText } from '../telephony/twilio-client.ts';

const OUR_SKILL = 'amzn1.ask.skill.6c1f2e7a-8b3d-4e9f-a1b2-c3d4e5f60718';

/** every loket_webhook_failures_total sample, as `channel/reason` -> value */
async function failures(url: string): Promise<Record<string, number>> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  const counts: Record<string, number> = {};
  for (const line of (await response.text()).split('\n')) {
    const match = /^loket_webhook_failures_total\{channel="([^"]+)",reason="([^"]+)"\} (\d+)$/.exec(line);
    if (match) counts[`${match[1]}/${match[2]}`] = Number(match[3]);
  }
  return counts;
}

/** what changed between two scrapes (counters only grow) */
function increase(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([series, value]) => [series, value - (before[series] ?? 0)] as const)
      .filter(([, delta]) => delta > 0),
  );
}

/** only reasons from the fixed set ever appear as labels */
function expectBoundedLabels(counts: Record<string, number>): void {
  for (const series of Object.keys(counts)) {
    const reason = series.split('/')[1] as (typeof WEBHOOK_FAILURE_REASONS)[number];
    expect(WEBHOOK_FAILURE_REASONS).toContain(reason);
  }
}

const twilioForm = (params: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(params).toString(),
});

describe('webhook failures, verification on (the production settings)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      LOKET_GOOGLE_SECRET: SECRET,
      LOKET_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      LOKET_PUBLIC_URL: PUBLIC_URL,
      LOKET_PHONE_STREAM: 'false',
      LOKET_RATE_LIMIT_CALLER_PER_MINUTE: '2',
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts Alexa signature, timestamp and body-size refusals', async () => {
    const before = await failures(server.url);
    // Fresh but unsigned: the timestamp passes, the signature does not.
    expect((await postAlexa(server.url, envelope('launch-request'))).status).toBe(400);
    expect((await postAlexa(server.url, envelope('launch-request'))).status).toBe(400);
    // Stale: refused for its timestamp before the signature is looked at.
    expect((await postAlexa(server.url, envelope('launch-request', { fresh: false }))).status).toBe(400);
    expect((await postAlexa(server.url, 'x'.repeat(70_000))).status).toBe(413);
    expect(increase(before, await failures(server.url))).toEqual({
      'alexa/signature': 2,
      'alexa/timestamp': 1,
      'alexa/body-too-large': 1,
    });
  });

  it('counts Dialogflow CX and ES refusals: auth, malformed JSON, invalid request, unknown locale', async () => {
    const before = await failures(server.url);
    const cx = `${server.url}/google/cx`;
    const es = `${server.url}/google/es`;
    expect((await postGoogle(cx, fixture('cx-free-text-nl'), {})).status).toBe(401);
    expect(
      (await postGoogle(es, fixture('es-free-text-nl'), { authorization: 'Bearer not-the-secret' })).status,
    ).toBe(401);
    expect((await postGoogle(cx, '{"detectIntentResponseId": ', BEARER)).status).toBe(400);
    expect((await postGoogle(cx, { hello: 'world' }, BEARER)).status).toBe(400);
    expect((await postGoogle(es, { hello: 'world' }, BEARER)).status).toBe(400);
    const french = fixture('cx-free-text-nl');
    french.languageCode = 'fr';
    expect((await postGoogle(cx, french, BEARER)).status).toBe(400);
    expect(increase(before, await failures(server.url))).toEqual({
      'dialogflow-cx/auth': 1,
      'dialogflow-es/auth': 1,
      'dialogflow-cx/malformed-json': 1,
      'dialogflow-cx/invalid-request': 1,
      'dialogflow-es/invalid-request': 1,
      'dialogflow-cx/unknown-locale': 1,
    });
  });

  it('counts phone webhook refusals: signature, invalid request, per-caller rate limit, and the media stream', async () => {
    const before = await failures(server.url);
    const voice = `${server.url}/telephony/twilio/voice`;
    expect((await fetch(voice, twilioForm({ CallSid: `CA${'1'.repeat(32)}`, From: JAN }))).status).toBe(403);
    // Correctly signed, but not a voice request (no CallSid).
    expect((await postTwilio(server.url, '/telephony/twilio/voice', { From: JAN })).status).toBe(400);
    // LOKET_RATE_LIMIT_CALLER_PER_MINUTE=2: the third new call from one number is refused.
    const caller = '+31600000042';
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(server.url, caller).start()).status);
    expect(statuses).toEqual([200, 200, 429]);
    // The media stream's upgrade without a signature.
    await expect(openStream(server.url, { signature: null })).rejects.toThrow(/403/);
    expect(increase(before, await failures(server.url))).toEqual({
      'phone/signature': 1,
      'phone/invalid-request': 1,
      'phone/rate-limited': 1,
      'stream/signature': 1,
    });
  });

  it('labels every failure with a reason from the fixed set', async () => {
    expectBoundedLabels(await failures(server.url));
  });
});

describe('webhook failures, Alexa skill id and the per-IP limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      LOKET_ALEXA_VERIFY: 'false',
      LOKET_ALEXA_SKILL_ID: OUR_SKILL,
      LOKET_RATE_LIMIT_PER_MINUTE: '8',
      LOKET_GOOGLE_SECRET: SECRET,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts Alexa skill-id, malformed and invalid requests, then rate-limited requests per channel', async () => {
    const before = await failures(server.url);
    const other = envelope('launch-request');
    other.context.System.application.applicationId = 'amzn1.ask.skill.someone-else';
    other.session.application.applicationId = 'amzn1.ask.skill.someone-else';
    expect((await postAlexa(server.url, other)).status).toBe(400);
    expect((await postAlexa(server.url, '{"version": ')).status).toBe(400);
    expect((await postAlexa(server.url, { version: '1.0' })).status).toBe(400);
    const noContext = envelope('launch-request');
    delete noContext.context;
    expect((await postAlexa(server.url, noContext)).status).toBe(400);
    // Four requests so far; four more empty the bucket of 8, then each channel is refused once.
    for (let i = 0; i < 4; i++) {
      expect(
        (await converse(server.url, { sessionId: `ip-${i}`, locale: 'en-US', event: 'launch' })).status,
      ).toBe(200);
    }
    expect((await converse(server.url, { sessionId: 'ip-x', locale: 'en-US', event: 'launch' })).status).toBe(
      429,
    );
    expect((await postAlexa(server.url, envelope('launch-request'))).status).toBe(429);
    expect((await postGoogle(`${server.url}/google/es`, fixture('es-free-text-nl'))).status).toBe(429);
    expect((await fetch(`${server.url}/telephony/twilio/voice`, twilioForm({}))).status).toBe(429);
    expect(increase(before, await failures(server.url))).toEqual({
      'alexa/skill-id': 1,
      'alexa/malformed-json': 1,
      'alexa/invalid-request': 2,
      'text/rate-limited': 1,
      'alexa/rate-limited': 1,
      'dialogflow-es/rate-limited': 1,
      'phone/rate-limited': 1,
    });
  });
});

describe('every channel while the session store is unavailable', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      LOKET_ALEXA_VERIFY: 'false',
      LOKET_GOOGLE_SECRET: SECRET,
      LOKET_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      LOKET_PUBLIC_URL: PUBLIC_URL,
      LOKET_PHONE_STREAM: 'false',
      LOKET_PHONE_DEFAULT_LOCALE: 'nl-NL',
    });
    // Redis is down: every session read fails the way the Redis store fails then.
    const { sessions } = server.runtime.deps;
    server.runtime.deps.sessions = {
      ...sessions,
      load: async () => {
        throw new StoreUnavailableError('Redis session store could not load a session: not connected');
      },
    };
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers the text API with 503, a JSON reason and Retry-After, and the voice channels with an apology', async () => {
    const before = await failures(server.url);

    const text = await fetch(`${server.url}/v1/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: 'down', locale: 'nl-NL', text: 'waar blijft mijn bestelling' }),
    });
    expect(text.status).toBe(503);
    expect(text.headers.get('retry-after')).toBe('2');
    const body = await text.json();
    expect(body).toMatchObject({ error: 'unavailable', retryAfterSeconds: 2 });
    expect(JSON.stringify(body)).not.toMatch(/redis|stack|at /i);

    // Alexa: a spoken apology that ends the session, not an HTTP error Alexa would voice as a platform error.
    const alexa = await postAlexa(server.url, envelope('launch-request', { locale: 'nl-NL' }));
    expect(alexa.status).toBe(200);
    expect(spoken(alexa)).toMatch(/er ging iets mis/);
    expect(alexa.json.response.shouldEndSession).toBe(true);

    // Dialogflow CX: the error prompt and a live-agent handoff.
    const cx = await postGoogle(
      `${server.url}/google/cx`,
      inSession(fixture('cx-free-text-nl'), 'down-cx'),
      BEARER,
    );
    expect(cx.status).toBe(200);
    expect(cxMessages(cx.json).text).toMatch(/mis|fout/);
    expect(cxMessages(cx.json).handoff).toMatchObject({ reason: 'error' });
    const es = await postGoogle(
      `${server.url}/google/es`,
      inSession(fixture('es-free-text-nl'), 'down-es'),
      BEARER,
    );
    expect(es.status).toBe(200);
    expect(es.json.fulfillmentText).toMatch(/mis|fout/);

    // The phone: TwiML with an apology (then a person, or a polite hang-up), never Twilio's "application error".
    const phone = await call(server.url, JAN).start();
    expect(phone.status).toBe(200);
    expect(phone.response.Say.map(sayText).join(' ')).toMatch(/mis|fout/);
    expect(phone.response.Gather).toBeUndefined();
    // The media stream hands the call back to Twilio (close 1011), whose <Connect> action then apologises by webhook.
    const stream = await openStream(server.url);
    stream.start({ locale: 'nl-NL', from: JAN });
    expect(await stream.closed).toBe(1011);

    expect(increase(before, await failures(server.url))).toEqual({
      'text/unavailable': 1,
      'alexa/unavailable': 1,
      'dialogflow-cx/unavailable': 1,
      'dialogflow-es/unavailable': 1,
      'phone/unavailable': 1,
      'stream/unavailable': 1,
    });
  });
});
