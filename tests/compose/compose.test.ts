// The composer: variants never repeat within a session, parameters render per locale, and SSML is well-formed.
import { describe, expect, it } from 'vitest';
import { chooseVariant, composeReply } from '../../fulfillment/compose/compose.ts';
import { renderSsml, renderText } from '../../fulfillment/compose/render.ts';
import { newSession } from '../../fulfillment/conversation/take-turn.ts';
import type { Turn } from '../../fulfillment/core/types.ts';
import { partOfDay } from '../../fulfillment/dialogue/decide.ts';
import type { Decision } from '../../fulfillment/dialogue/decision.ts';
import type { LocaleModel } from '../../fulfillment/model/schema.ts';

function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const locale: LocaleModel = {
  locale: 'nl-NL',
  persona: {
    botName: 'Lotte',
    brand: 'Polderlink',
    formality: 'formal',
    invocationName: 'polderlink',
    phoneNumber: '020 123 4567',
  },
  phrases: {},
  entities: {},
  prompts: {
    ack: ['Oké.', 'Goed.', 'Helder.'],
    'order.shipped': [
      'Uw bestelling {orderNumber} komt {date}.',
      'Bestelling {orderNumber} wordt {date} bezorgd.',
      'Op {date} komt {orderNumber}.',
    ],
    'greeting.morning': ['Goedemorgen!', 'Goedemorgen', 'Hallo, goedemorgen!'],
    welcome: [
      '{greeting}! Met {botName} van {brand}.',
      '{greeting}, u spreekt met {botName}.',
      '{greeting}. Waarmee kan ik helpen?',
    ],
    'handoff.code': [
      'Belt u {phone} en noemt u code {code}.',
      'Bel {phone}, code {code}.',
      'Via {phone} met code {code}.',
    ],
    bill: ['Uw factuur is {amount}.{pause} Klopt dat?', 'Het bedrag is {amount}.', 'U betaalt {amount}.'],
  },
};

const turn: Turn = {
  turnId: 't1',
  channel: 'text',
  sessionId: 's1',
  locale: 'nl-NL',
  input: { type: 'launch' },
  capabilities: {
    ssmlDialect: 'generic',
    canTransfer: false,
    progressiveResponse: false,
    screen: false,
    dtmf: false,
  },
};

function decision(say: Decision['say'], extra: Partial<Decision> = {}): Decision {
  const session = newSession(turn, new Date('2026-11-23T08:00:00Z'));
  return {
    repeatLastReply: false,
    say,
    question: null,
    expecting: null,
    end: false,
    handoff: null,
    understood: { intent: 'x', confidence: 1, slots: {} },
    session,
    ...extra,
  };
}

describe('chooseVariant', () => {
  it('uses every variant once before any repeats, and never the same twice in a row', () => {
    const random = seeded(3);
    let used: number[] = [];
    const picks: number[] = [];
    for (let turn = 0; turn < 30; turn++) {
      const choice = chooseVariant(['a', 'b', 'c'], used, random);
      used = choice.used;
      picks.push(choice.index);
    }
    expect(new Set(picks.slice(0, 3)).size).toBe(3);
    for (let index = 1; index < picks.length; index++) expect(picks[index]).not.toBe(picks[index - 1]);
  });
});

describe('composeReply', () => {
  it('does not say the same acknowledgement twice in a session until all were used', () => {
    let session = decision([]).session;
    const said: string[] = [];
    for (let index = 0; index < 3; index++) {
      const composed = composeReply({
        locale,
        session,
        decision: { ...decision([{ key: 'ack' }]), session },
        capabilities: turn.capabilities,
        random: seeded(index + 1),
      });
      session = composed.session;
      said.push(renderText(composed.reply.speech));
    }
    expect(new Set(said).size).toBe(3);
  });

  it('renders typed parameters per locale and as SSML say-as', () => {
    const { reply } = composeReply({
      locale,
      session: decision([]).session,
      decision: decision([
        {
          key: 'order.shipped',
          params: {
            orderNumber: { sayAs: 'digits', value: '45123' },
            date: { sayAs: 'date', value: '2026-12-01' },
          },
        },
      ]),
      capabilities: turn.capabilities,
      random: () => 0,
    });
    expect(renderText(reply.speech)).toBe('Uw bestelling 45123 komt dinsdag 1 december.');
    expect(renderSsml(reply.speech, { dialect: 'alexa', slow: false })).toBe(
      '<speak>Uw bestelling <say-as interpret-as="digits">45123</say-as> komt dinsdag 1 december.</speak>',
    );
    expect(renderSsml(reply.speech, { dialect: 'google', slow: true })).toMatch(
      /^<speak><prosody rate="85%">.*characters.*<\/prosody><\/speak>$/,
    );
  });

  it('fills persona and nested greeting without doubled punctuation, and amounts in euros', () => {
    const { reply } = composeReply({
      locale,
      session: decision([]).session,
      decision: decision([
        { key: 'welcome', params: { greeting: { prompt: { key: 'greeting.morning' } } } },
        { key: 'bill', params: { amount: { sayAs: 'amount', cents: 6999 } } },
      ]),
      capabilities: turn.capabilities,
      random: () => 0,
    });
    const text = renderText(reply.speech);
    expect(text).toMatch(/^Goedemorgen! Met Lotte van Polderlink\. Uw factuur is € 69,99\. Klopt dat\?$/);
    expect(renderSsml(reply.speech, { dialect: 'generic', slow: false })).toContain('<break time="350ms"/>');
  });

  it('appends the phone number and a spoken code when the channel cannot transfer', () => {
    const { reply } = composeReply({
      locale,
      session: decision([]).session,
      decision: decision([], {
        handoff: { id: 'h1', code: '482913', reason: 'asked-for-person', queue: 'general' },
      }),
      capabilities: turn.capabilities,
      random: () => 0,
    });
    expect(renderText(reply.speech)).toBe('Belt u 020 123 4567 en noemt u code 482 913.');
    expect(reply.card?.text).toContain('482 913');
  });

  it('escapes text that would break SSML', () => {
    expect(renderSsml([{ kind: 'text', text: 'Tom & Jerry <3' }], { dialect: 'generic', slow: false })).toBe(
      '<speak>Tom &amp; Jerry &lt;3</speak>',
    );
  });
});

describe('partOfDay', () => {
  it('greets by the clock in Amsterdam', () => {
    expect(partOfDay(new Date('2026-11-23T06:30:00Z'))).toBe('morning');
    expect(partOfDay(new Date('2026-11-23T12:30:00Z'))).toBe('afternoon');
    expect(partOfDay(new Date('2026-11-23T19:30:00Z'))).toBe('evening');
    expect(partOfDay(new Date('2026-11-23T02:30:00Z'))).toBe('night');
    // summer time: 04:30 UTC is 06:30 in Amsterdam
    expect(partOfDay(new Date('2026-07-01T04:30:00Z'))).toBe('morning');
  });
});
