// Cross-channel continuity: a customer who got a code on a speaker (or in web chat) phones in, says or keys the code,
// or calls from the number of that handoff; the phone line greets them with its topic and, on a yes, puts them through
// with the earlier package attached. Driven through takeTurn with phone-line turns, as the phone channel calls it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeTurn } from '../../fulfillment/conversation/take-turn.ts';
import type { HandoffPackage, Turn } from '../../fulfillment/core/types.ts';
import { findResumableHandoff } from '../../fulfillment/handoff/continuity.ts';
import { converse, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let counter = 0;

function phoneTurn(sessionId: string, input: Turn['input'], callerId?: string): Turn {
  return {
    turnId: randomUUID(),
    channel: 'phone',
    sessionId,
    locale: 'nl-NL',
    ...(callerId ? { callerId } : {}),
    input,
    capabilities: {
      ssmlDialect: 'generic',
      canTransfer: true,
      progressiveResponse: false,
      screen: false,
      dtmf: true,
    },
  };
}

const call = (sessionId: string, input: Turn['input'], callerId?: string) =>
  takeTurn(server.runtime.deps, phoneTurn(sessionId, input, callerId));

/** A move collected in web chat, handed over, the callback declined: the customer leaves with a code. */
async function moveWithCode(callerId?: string): Promise<HandoffPackage> {
  counter += 1;
  const sessionId = `speaker-${counter}`;
  const say = (text: string) =>
    converse(server.url, { sessionId, locale: 'nl-NL', text, ...(callerId ? { callerId } : {}) });
  await say('wij gaan verhuizen');
  await say('op een december');
  await say('1234 AB');
  await say('ja');
  const handoff = (await say('5')).json.handoff;
  expect(handoff).toMatchObject({ reason: 'policy', queue: 'moves' });
  const declined = await say('nee');
  expect(declined.json.reply.text).toContain(`${handoff.code.slice(0, 3)} ${handoff.code.slice(3)}`);
  return (await server.runtime.deps.records.getHandoff(handoff.id)) as HandoffPackage;
}

beforeAll(async () => {
  server = await startTestServer({});
});
afterAll(async () => {
  await server?.close();
});

describe('a caller with a code', () => {
  it('keys the code, hears the topic, says yes and is put through with the earlier package attached', async () => {
    const earlier = await moveWithCode();
    const greeting = await call('phone-code-1', { type: 'launch' });
    expect(greeting.text).toMatch(/Polderlink/);

    const recognised = await call('phone-code-1', { type: 'dtmf', digits: `${earlier.code}#` });
    expect(recognised.text).toMatch(/uw verhuizing/);
    expect(recognised.reply.expecting).toMatchObject({ type: 'confirmation', about: 'handoff' });
    expect(recognised.handoff).toBeNull();

    const yes = await call('phone-code-1', { type: 'text', text: 'ja dat klopt' });
    expect(yes.handoff).not.toBeNull();
    expect(yes.text).toMatch(/collega/);
    expect(yes.text).toMatch(/doorverbonden|verbind u nu door|zet u door/);
    const continued = yes.handoff as HandoffPackage;
    expect(continued).toMatchObject({
      previousHandoffId: earlier.id,
      reason: 'policy',
      queue: 'moves',
      channel: 'phone',
      status: 'waiting',
      transferred: true,
    });
    expect(continued.id).not.toBe(earlier.id);
    // The colleague on the phone gets the whole story: the move from the chat, and the call so far.
    expect(continued.intents[0]).toMatchObject({ intent: 'MoveHouse', slots: { postcode: '[postcode]' } });
    expect(continued.summary).toBe(
      `Klant wil verhuizen per 1 december naar [address]; identiteit niet gecontroleerd; vraag voor een medewerker; belt terug met code ${earlier.code}.`,
    );
    expect(continued.transcript.map((entry) => entry.text)).toContain('wij gaan verhuizen');
    expect(continued.transcript.at(-1)?.text).toMatch(/collega/);

    const original = await server.runtime.deps.records.getHandoff(earlier.id);
    expect(original).toMatchObject({ status: 'resolved', continuedBy: continued.id });
    expect(await server.runtime.deps.records.getHandoff(continued.id)).toMatchObject({
      previousHandoffId: earlier.id,
    });
  });

  it('understands the code spoken as words, in a sentence', async () => {
    const earlier = await moveWithCode();
    await call('phone-code-2', { type: 'launch' });
    const words = ['nul', 'een', 'twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen'];
    const spoken = [...earlier.code].map((digit) => words[Number(digit)]).join(' ');
    const recognised = await call('phone-code-2', { type: 'text', text: `mijn code is ${spoken}` });
    expect(recognised.text).toMatch(/verhuizing/);
    const no = await call('phone-code-2', { type: 'text', text: 'nee' });
    expect(no.handoff).toBeNull();
    expect(no.text).toMatch(/Waarmee kan ik u|Wat kan ik voor u doen|Waar kan ik u mee helpen/);
    // Not the move after all: the earlier handoff stays in the queue for whoever calls back.
    expect((await server.runtime.deps.records.getHandoff(earlier.id))?.status).toBe('waiting');
  });

  it('goes on as usual with a code nobody is waiting on, and on channels that cannot put a call through', async () => {
    await call('phone-code-3', { type: 'launch' });
    const unknown = await call('phone-code-3', { type: 'dtmf', digits: '999999' });
    expect(unknown.text).not.toMatch(/verhuizing|eerder/);
    expect(unknown.handoff).toBeNull();

    const earlier = await moveWithCode();
    const chat = await converse(server.url, { sessionId: 'chat-code', locale: 'nl-NL', text: earlier.code });
    expect(chat.json.reply.text).not.toMatch(/verhuizing/);
  });
});

describe('a caller from the number of a recent handoff', () => {
  it('is greeted with the topic straight away', async () => {
    const earlier = await moveWithCode('+31687654321');
    expect(earlier.callerKey).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(earlier)).not.toContain('687654321');
    const greeting = await call('phone-caller-1', { type: 'launch' }, '+31 6 87654321');
    expect(greeting.text).toMatch(/^(Goede|Goeie|Hallo).*(uw verhuizing)/);
    expect(greeting.reply.expecting).toMatchObject({ type: 'confirmation', about: 'handoff' });
    const yes = await call('phone-caller-1', { type: 'dtmf', digits: '1' });
    expect(yes.handoff).toMatchObject({ previousHandoffId: earlier.id, queue: 'moves' });
  });

  it('is not greeted about a call that was already put through, nor about one older than a day', async () => {
    const now = Date.now();
    const template = await moveWithCode('+31611112222');
    // The same waiting move, once as a call that was put through, once as an unanswered one from yesterday.
    await server.runtime.deps.records.saveHandoff({ ...template, transferred: true });
    await server.runtime.deps.records.saveHandoff({
      ...template,
      id: `old-${now}`,
      code: '777111',
      transferred: false,
      createdAt: new Date(now - 25 * 60 * 60 * 1000).toISOString(),
      updatedAt: new Date(now - 25 * 60 * 60 * 1000).toISOString(),
    });
    const greeting = await call('phone-caller-2', { type: 'launch' }, '+31611112222');
    expect(greeting.text).toMatch(/Polderlink/);
    expect(greeting.text).not.toMatch(/verhuizing/);
  });

  it('finds the caller the same way in a store without the indexed lookup (the scan fallback)', async () => {
    const earlier = await moveWithCode('+31655556666');
    const { findWaitingByCallerKey: _indexed, ...scanOnly } = server.runtime.deps.records;
    const found = await findResumableHandoff(scanOnly, { callerId: '0655556666' }, () => null, new Date());
    expect(found).toMatchObject({ id: earlier.id, queue: 'moves', topic: null });
    expect(
      await findResumableHandoff(scanOnly, { callerId: '0655556667' }, () => null, new Date()),
    ).toBeNull();
  });

  it('can say it is about something else, and the call goes on from there', async () => {
    await moveWithCode('+31633334444');
    const greeting = await call('phone-caller-3', { type: 'launch' }, '+31633334444');
    expect(greeting.text).toMatch(/verhuizing/);
    const other = await call('phone-caller-3', { type: 'text', text: 'waar blijft mijn bestelling' });
    expect(other.understood.intent).toBe('OrderStatus');
    expect(other.reply.expecting).toMatchObject({ type: 'slot', slot: 'orderNumber' });
  });
});
