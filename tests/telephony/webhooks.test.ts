// The phone line through real HTTP: Twilio-signed form posts in, TwiML out (parsed as XML), a whole call from the
// greeting to the transfer, and the hang-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  AUTH_TOKEN,
  call,
  JAN,
  newCallSid,
  POLDERLINK_EN,
  POLDERLINK_NL,
  PUBLIC_URL,
  pathOf,
  postTwilio,
  SIP_URI,
  STRANGER,
  sayMarkupOf,
  sayText,
} from './twilio-client.ts';

const PHONE_ENV = {
  LOKET_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  LOKET_PUBLIC_URL: PUBLIC_URL,
  LOKET_PHONE_LOCALES: `${POLDERLINK_NL}=nl-NL,${POLDERLINK_EN}=en-US`,
  LOKET_AGENT_SIP_URI: SIP_URI,
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(PHONE_ENV);
});
afterAll(async () => {
  await server?.close();
});

function gatherOf(response: any): any {
  expect(response?.Gather, JSON.stringify(response)).toBeDefined();
  return response.Gather;
}

function spoken(response: any): string {
  const says = response.Gather?.Say ?? response.Say ?? [];
  return says.map(sayText).join(' ');
}

describe('the signature', () => {
  const params = { CallSid: newCallSid(), From: STRANGER, To: POLDERLINK_NL, CallStatus: 'ringing' };

  it('is required: an unsigned request gets 403', async () => {
    const answer = await postTwilio(server.url, '/telephony/twilio/voice', params, { unsigned: true });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/missing X-Twilio-Signature/);
  });

  it('covers every parameter: a tampered one gets 403', async () => {
    const answer = await postTwilio(
      server.url,
      '/telephony/twilio/voice',
      { ...params, From: JAN },
      { signedParams: params },
    );
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/does not match/);
  });

  it('must be made with the account auth token', async () => {
    const answer = await postTwilio(server.url, '/telephony/twilio/voice', params, {
      token: 'another-token-of-32-characters!!',
    });
    expect(answer.status).toBe(403);
  });

  it('covers the URL: a signature for another path gets 403', async () => {
    const response = await fetch(`${server.url}/telephony/twilio/gather?locale=nl-NL`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': (await import('twilio')).default.getExpectedTwilioSignature(
          AUTH_TOKEN,
          `${PUBLIC_URL}/telephony/twilio/voice`,
          params,
        ),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(403);
  });

  it('signed by Twilio, for LOKET_PUBLIC_URL plus the path, is accepted', async () => {
    const answer = await postTwilio(server.url, '/telephony/twilio/voice', params);
    expect(answer.status).toBe(200);
    expect(answer.response).not.toBeNull();
  });

  it('is only for POSTs, and bodies of a sane size', async () => {
    const get = await fetch(`${server.url}/telephony/twilio/voice`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const huge = await postTwilio(server.url, '/telephony/twilio/voice', {
      ...params,
      SpeechResult: 'x'.repeat(70_000),
    });
    expect(huge.status).toBe(413);
    const nowhere = await postTwilio(server.url, '/telephony/twilio/nowhere', params);
    expect(nowhere.status).toBe(404);
  });

  it('still needs a CallSid', async () => {
    const answer = await postTwilio(server.url, '/telephony/twilio/voice', { From: STRANGER });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/CallSid/);
  });
});

describe('a whole call', () => {
  it('greets, answers OrderStatus by speech, confirms a doubtful number, waits patiently, and 0 transfers', async () => {
    const phone = call(server.url, STRANGER);

    // The greeting: a <Gather> for speech and keys, in Dutch, patient, with hints from the model.
    const greeting = await phone.start();
    expect(greeting.status).toBe(200);
    const gather = gatherOf(greeting.response);
    expect(gather['@input']).toBe('speech dtmf');
    expect(gather['@language']).toBe('nl-NL');
    expect(gather['@actionOnEmptyResult']).toBe('true');
    expect(gather['@action']).toBe(`${PUBLIC_URL}/telephony/twilio/gather?locale=nl-NL`);
    expect(Number(gather['@speechTimeout'])).toBeGreaterThanOrEqual(2);
    expect(Number(gather['@timeout'])).toBeGreaterThan(5);
    expect(gather['@hints'].split(',')).toEqual(expect.arrayContaining(['wifi', 'internet', 'Polderlink']));
    expect(gather['@numDigits']).toBe('1');
    expect(gather.Say[0]['@voice']).toBe('Polly.Laura-Neural');
    expect(gather.Say[0]['@language']).toBe('nl-NL');
    expect(spoken(greeting.response)).toMatch(/Polderlink/);
    // Polly's neural voices have no <emphasis>, and Twilio adds the <speak> root itself.
    expect(sayMarkupOf(gather.Say[0])).not.toMatch(/<speak>|<emphasis/);

    // OrderStatus by speech.
    const asked = await phone.gather(gather['@action'], {
      speech: 'waar blijft mijn bestelling',
      confidence: 0.93,
    });
    expect(spoken(asked.response)).toMatch(/bestelnummer/i);
    expect(gatherOf(asked.response)['@numDigits']).toBeUndefined();

    // The number, heard with low confidence: read back for a yes.
    const doubtful = await phone.gather(gatherOf(asked.response)['@action'], {
      speech: 'vier vijf een twee drie',
      confidence: 0.41,
    });
    expect(spoken(doubtful.response)).toMatch(/45123.*(klopt|juist)/i);
    expect(sayMarkupOf(gatherOf(doubtful.response).Say[0])).toMatch(
      /<say-as interpret-as="digits">45123<\/say-as>/,
    );
    expect(gatherOf(doubtful.response)['@numDigits']).toBe('1');

    // Silence: a patient reprompt that asks the same question again.
    const silence = await phone.gather(gatherOf(doubtful.response)['@action'], {});
    expect(spoken(silence.response)).toMatch(/(nog|niets).*45123/i);

    // Yes: the answer.
    const answered = await phone.gather(gatherOf(silence.response)['@action'], {
      speech: 'ja',
      confidence: 0.9,
    });
    expect(spoken(answered.response)).toMatch(/PostNL/);

    // 0 reaches a person: <Dial><Sip> with only the handoff id in an X- header.
    const transfer = await phone.gather(gatherOf(answered.response)['@action'], { digits: '0' });
    expect(transfer.status).toBe(200);
    expect(transfer.response.Gather).toBeUndefined();
    expect(sayText(transfer.response.Say[0])).toMatch(/(doorverbonden|verbind|zet u door)/i);
    const dial = transfer.response.Dial;
    expect(dial['@action']).toBe(`${PUBLIC_URL}/telephony/twilio/transfer-ended?locale=nl-NL`);
    expect(dial['@ringTone']).toBe('nl');
    const sip = String(dial.Sip);
    const session = await server.runtime.deps.sessions.load(`phone:${phone.callSid}`);
    expect(session?.handoffId).toBeTruthy();
    expect(sip).toBe(`${SIP_URI}?X-Loket-Handoff=${session?.handoffId}`);
    const handoff = await server.runtime.deps.records.getHandoff(session?.handoffId ?? '');
    expect(handoff).toMatchObject({ reason: 'asked-for-person', channel: 'phone', locale: 'nl-NL' });
    expect(handoff?.intents.map((entry) => entry.intent)).toContain('OrderStatus');

    // The hang-up: the status callback closes the session; the transcript is kept.
    const status = await phone.post('/telephony/twilio/status', {
      CallStatus: 'completed',
      CallDuration: '95',
    });
    expect(status.status).toBe(204);
    const closed = await server.runtime.deps.sessions.load(`phone:${phone.callSid}`);
    expect(closed?.ended).toBe(true);
    const transcript = await server.runtime.deps.records.listTranscript(`phone:${phone.callSid}`);
    const said = transcript.filter((entry) => entry.speaker === 'customer').map((entry) => entry.text);
    expect(said).toEqual(
      expect.arrayContaining(['[launch]', 'waar blijft mijn bestelling', '[no input]', 'ja', '[dtmf 0]']),
    );
  });

  it('recognises the caller by caller id and greets them by name', async () => {
    const phone = call(server.url, JAN);
    const greeting = await phone.start();
    expect(spoken(greeting.response)).toMatch(/Jan/);
    const session = await server.runtime.deps.sessions.load(`phone:${phone.callSid}`);
    expect(session?.customer).toMatchObject({ firstName: 'Jan', method: 'caller-id' });
  });

  it('answers in English on the English number, with an English voice', async () => {
    const phone = call(server.url, STRANGER, POLDERLINK_EN);
    const greeting = await phone.start();
    const gather = gatherOf(greeting.response);
    expect(gather['@language']).toBe('en-US');
    expect(gather.Say[0]['@voice']).toBe('Polly.Joanna-Neural');
    expect(spoken(greeting.response)).toMatch(/Polderlink/);
  });

  it('says a confident number back in passing and goes on', async () => {
    const phone = call(server.url, STRANGER);
    const greeting = await phone.start();
    const asked = await phone.gather(gatherOf(greeting.response)['@action'], {
      speech: 'waar blijft mijn bestelling',
      confidence: 0.9,
    });
    const answered = await phone.gather(gatherOf(asked.response)['@action'], {
      speech: '45123',
      confidence: 0.75,
    });
    expect(spoken(answered.response)).toMatch(/45123.*PostNL/);
    const sure = call(server.url, STRANGER);
    const greeted = await sure.start();
    const askedAgain = await sure.gather(gatherOf(greeted.response)['@action'], {
      speech: 'waar blijft mijn bestelling',
      confidence: 0.9,
    });
    const direct = await sure.gather(gatherOf(askedAgain.response)['@action'], {
      speech: '45123',
      confidence: 0.95,
    });
    expect(spoken(direct.response)).toMatch(/PostNL/);
    expect(spoken(direct.response)).not.toMatch(/45123.*(genoteerd|helder|Ik heb)/);
  });

  it('offers keypad choices after two misses, and a key picks the request', async () => {
    const phone = call(server.url, STRANGER);
    const greeting = await phone.start();
    const first = await phone.gather(gatherOf(greeting.response)['@action'], {
      speech: 'de kat van de buren zingt opera',
      confidence: 0.8,
    });
    expect(spoken(first.response)).not.toMatch(/toets/i);
    const second = await phone.gather(gatherOf(first.response)['@action'], {
      speech: 'paarse olifanten op het dak',
      confidence: 0.8,
    });
    expect(spoken(second.response)).toMatch(/toets.*1.*storing.*2.*bestelling.*0.*medewerker/i);
    expect(gatherOf(second.response)['@numDigits']).toBe('1');
    const keyed = await phone.gather(gatherOf(second.response)['@action'], { digits: '2' });
    expect(spoken(keyed.response)).toMatch(/bestelnummer/i);
    const digits = await phone.gather(gatherOf(keyed.response)['@action'], { digits: '45123#' });
    expect(spoken(digits.response)).toMatch(/PostNL/);
  });

  it('ends the call with a goodbye and <Hangup>', async () => {
    const phone = call(server.url, STRANGER);
    const greeting = await phone.start();
    const bye = await phone.gather(gatherOf(greeting.response)['@action'], {
      speech: 'stop maar',
      confidence: 0.9,
    });
    expect(bye.response.Gather).toBeUndefined();
    expect(bye.response.Hangup).toBeDefined();
    expect(sayText(bye.response.Say[0])).toMatch(/(tot ziens|dag)/i);
  });
});

describe('the hang-up', () => {
  it('closes the session mid-conversation and keeps the transcript', async () => {
    const phone = call(server.url, STRANGER);
    const greeting = await phone.start();
    await phone.gather(gatherOf(greeting.response)['@action'], {
      speech: 'is er een storing',
      confidence: 0.9,
    });
    const status = await phone.post('/telephony/twilio/status', { CallStatus: 'completed' });
    expect(status.status).toBe(204);
    const session = await server.runtime.deps.sessions.load(`phone:${phone.callSid}`);
    expect(session?.ended).toBe(true);
    const transcript = await server.runtime.deps.records.listTranscript(`phone:${phone.callSid}`);
    expect(transcript.map((entry) => entry.text)).toContain('is er een storing');
  });

  it('ignores status callbacks for calls that never reached Loket, and progress updates', async () => {
    const stranger = call(server.url, STRANGER);
    expect((await stranger.post('/telephony/twilio/status', { CallStatus: 'completed' })).status).toBe(204);
    expect(await server.runtime.deps.sessions.load(`phone:${stranger.callSid}`)).toBeNull();
    const ringing = call(server.url, STRANGER);
    await ringing.start();
    expect((await ringing.post('/telephony/twilio/status', { CallStatus: 'in-progress' })).status).toBe(204);
    expect((await server.runtime.deps.sessions.load(`phone:${ringing.callSid}`))?.ended).toBe(false);
  });
});

describe('a transfer nobody answers', () => {
  it('gives the caller the service number and the handoff code, then hangs up', async () => {
    const phone = call(server.url, STRANGER);
    const greeting = await phone.start();
    const transfer = await phone.gather(gatherOf(greeting.response)['@action'], { digits: '0' });
    const ended = await phone.post(pathOf(transfer.response.Dial['@action']), {
      DialCallStatus: 'no-answer',
    });
    const session = await server.runtime.deps.sessions.load(`phone:${phone.callSid}`);
    const handoff = await server.runtime.deps.records.getHandoff(session?.handoffId ?? '');
    expect(ended.response.Hangup).toBeDefined();
    expect(sayMarkupOf(ended.response.Say[0])).toContain(handoff?.code ?? 'no code');
    expect(sayText(ended.response.Say[0])).toMatch(/020/);
  });

  it('hangs up quietly after the colleague finished', async () => {
    const phone = call(server.url, STRANGER);
    await phone.start();
    const ended = await phone.post('/telephony/twilio/transfer-ended?locale=nl-NL', {
      DialCallStatus: 'completed',
    });
    expect(ended.response.Hangup).toBeDefined();
    expect(ended.response.Say).toBeUndefined();
  });
});

describe('when Loket itself fails', () => {
  it('apologises and still puts the caller through to a person', async () => {
    const sessions = server.runtime.deps.sessions;
    const load = sessions.load;
    sessions.load = async () => {
      throw new Error('the session store is down');
    };
    try {
      const phone = call(server.url, STRANGER);
      const answer = await phone.start();
      expect(answer.status).toBe(200);
      expect(sayText(answer.response.Say[0])).toMatch(/(mis|fout)/i);
      expect(String(answer.response.Dial.Sip)).toBe(SIP_URI);
    } finally {
      sessions.load = load;
    }
  });
});

describe('other set-ups', () => {
  it('queues the caller in Twilio Flex with the handoff in the task attributes', async () => {
    const workflowSid = `WW${'ab'.repeat(16)}`;
    const flex = await startTestServer({
      ...PHONE_ENV,
      LOKET_AGENT_SIP_URI: '',
      LOKET_FLEX_WORKFLOW_SID: workflowSid,
    });
    try {
      const phone = call(flex.url, STRANGER);
      const greeting = await phone.start();
      const transfer = await phone.gather(gatherOf(greeting.response)['@action'], {
        speech: 'ik wil een medewerker spreken',
        confidence: 0.9,
      });
      const enqueue = transfer.response.Enqueue;
      expect(enqueue['@workflowSid']).toBe(workflowSid);
      expect(enqueue['@waitUrl']).toBe(`${PUBLIC_URL}/telephony/twilio/wait?locale=nl-NL`);
      const task = JSON.parse(String(enqueue.Task));
      const session = await flex.runtime.deps.sessions.load(`phone:${phone.callSid}`);
      expect(task).toMatchObject({ type: 'loket-handoff', handoffId: session?.handoffId, locale: 'nl-NL' });
      const wait = await phone.post(pathOf(enqueue['@waitUrl']), { QueueSid: `QU${'0'.repeat(32)}` });
      expect(sayText(wait.response.Say[0])).toMatch(/collega|aan de beurt/i);
      expect(wait.response.Pause).toBeDefined();
    } finally {
      await flex.close();
    }
  });

  it('lets the caller choose the language when the number does not decide it', async () => {
    const menu = await startTestServer({ ...PHONE_ENV, LOKET_PHONE_LOCALES: '' });
    try {
      const phone = call(menu.url, STRANGER, '+31209999999');
      const choice = await phone.start();
      const gather = gatherOf(choice.response);
      expect(gather['@numDigits']).toBe('1');
      expect(gather.Say.map((say: any) => say['@language'])).toEqual(['en-US', 'nl-NL']);
      const [englishLine, dutchLine] = gather.Say.map(sayText);
      expect(englishLine).toMatch(/English/);
      expect(englishLine).toMatch(/1/);
      expect(dutchLine).toMatch(/Nederlands/);
      expect(dutchLine).toMatch(/2/);
      const chosen = await phone.gather(gather['@action'], { digits: '1' });
      expect(gatherOf(chosen.response)['@language']).toBe('en-US');
      const phone2 = call(menu.url, STRANGER, '+31209999999');
      const again = await phone2.start();
      const dutch = await phone2.gather(gatherOf(again.response)['@action'], {
        speech: 'Nederlands graag',
        confidence: 0.8,
      });
      expect(gatherOf(dutch.response)['@language']).toBe('nl-NL');
    } finally {
      await menu.close();
    }
  });

  it('connects the call to the media stream when LOKET_PHONE_STREAM is on', async () => {
    const streaming = await startTestServer({ ...PHONE_ENV, LOKET_PHONE_STREAM: 'true' });
    try {
      const phone = call(streaming.url, JAN);
      const answer = await phone.start();
      const connect = answer.response.Connect;
      expect(connect['@action']).toBe(`${PUBLIC_URL}/telephony/twilio/stream-ended?locale=nl-NL`);
      expect(connect.Stream['@url']).toBe('wss://loket.example.com/telephony/stream');
      const parameters = Object.fromEntries(
        connect.Stream.Parameter.map((parameter: any) => [parameter['@name'], parameter['@value']]),
      );
      expect(parameters).toEqual({ locale: 'nl-NL', from: JAN });
    } finally {
      await streaming.close();
    }
  });

  it('without a transfer target, never transfers: it gives the number and code and ends, or asks the next question', async () => {
    const alone = await startTestServer({ ...PHONE_ENV, LOKET_AGENT_SIP_URI: '' });
    try {
      const phone = call(alone.url, STRANGER);
      const greeting = await phone.start();
      const handoff = await phone.gather(gatherOf(greeting.response)['@action'], { digits: '0' });
      expect(handoff.response.Dial).toBeUndefined();
      expect(handoff.response.Enqueue).toBeUndefined();
      const session = await alone.runtime.deps.sessions.load(`phone:${phone.callSid}`);
      expect(session?.handoffId).toBeTruthy();
      if (handoff.response.Hangup !== undefined) {
        const stored = await alone.runtime.deps.records.getHandoff(session?.handoffId ?? '');
        expect(sayMarkupOf(handoff.response.Say[0]).replace(/<[^>]+>|\s/g, '')).toContain(stored?.code);
      } else {
        // The engine may offer a callback instead: the call goes on with that yes/no question.
        expect(gatherOf(handoff.response)['@numDigits']).toBe('1');
      }
    } finally {
      await alone.close();
    }
  });

  it('refuses everything, saying why, when no auth token is set', async () => {
    const bare = await startTestServer({ LOKET_PUBLIC_URL: PUBLIC_URL });
    try {
      const answer = await postTwilio(bare.url, '/telephony/twilio/voice', {
        CallSid: newCallSid(),
        From: STRANGER,
        To: POLDERLINK_NL,
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatch(/LOKET_TWILIO_AUTH_TOKEN/);
    } finally {
      await bare.close();
    }
  });

  it('accepts unsigned requests with LOKET_TWILIO_VERIFY=false (local development)', async () => {
    const open = await startTestServer({ LOKET_TWILIO_VERIFY: 'false', LOKET_PHONE_DEFAULT_LOCALE: 'en-US' });
    try {
      const answer = await postTwilio(
        open.url,
        '/telephony/twilio/voice',
        { CallSid: newCallSid(), From: STRANGER, To: POLDERLINK_NL },
        { unsigned: true },
      );
      expect(answer.status).toBe(200);
      // Without LOKET_PUBLIC_URL the action points at the address the request came to.
      expect(gatherOf(answer.response)['@action']).toBe(`${open.url}/telephony/twilio/gather?locale=en-US`);
    } finally {
      await open.close();
    }
  });
});
