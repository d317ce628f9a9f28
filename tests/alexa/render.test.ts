// Rendering for Alexa, unit by unit: SSML per locale, the length limit, ElicitSlot rules, locale and slot mapping.
import { describe, expect, it } from 'vitest';
import { modelLocaleFor } from '../../fulfillment/channels/alexa/locales.ts';
import { alexaResponse } from '../../fulfillment/channels/alexa/render.ts';
import { alexaSsml, fitSsmlToLocale, MAX_SPEECH_CHARACTERS } from '../../fulfillment/channels/alexa/ssml.ts';
import { readSlots } from '../../fulfillment/channels/alexa/turn.ts';
import { newSession, type TurnResult } from '../../fulfillment/conversation/take-turn.ts';
import type { Expectation, Reply, Speech } from '../../fulfillment/core/types.ts';
import { loadModel } from '../../fulfillment/model/load.ts';
import { polderlinkSkills } from '../../skills/polderlink.ts';

const hello: Speech = [
  { kind: 'text', text: 'Hello, ' },
  { kind: 'emphasis', text: 'really' },
  { kind: 'text', text: ' nice to hear you.' },
];

describe('SSML for Alexa', () => {
  it('uses the conversational style in en-US, without <emphasis>, which the style does not combine with', () => {
    expect(alexaSsml(hello, { locale: 'en-US', slow: false })).toBe(
      '<speak><amazon:domain name="conversational">Hello, really nice to hear you.</amazon:domain></speak>',
    );
  });

  it('keeps plain SSML in nl-NL, which has neither the style nor emotions', () => {
    expect(alexaSsml(hello, { locale: 'nl-NL', slow: false, tone: 'empathetic' })).toBe(
      '<speak>Hello, <emphasis level="moderate">really</emphasis> nice to hear you.</speak>',
    );
  });

  it('answers frustration with the disappointed emotion where the locale has it', () => {
    expect(alexaSsml(hello, { locale: 'en-US', slow: false, tone: 'empathetic' })).toBe(
      '<speak><amazon:emotion name="disappointed" intensity="low">Hello, really nice to hear you.</amazon:emotion></speak>',
    );
    // en-GB has emotions but not the conversational style.
    expect(alexaSsml(hello, { locale: 'en-GB', slow: false, tone: 'neutral' })).not.toMatch(/amazon:/);
    expect(alexaSsml(hello, { locale: 'en-GB', slow: false, tone: 'empathetic' })).toMatch(/amazon:emotion/);
  });

  it('slows down with prosody alone', () => {
    expect(alexaSsml(hello, { locale: 'en-US', slow: true })).toBe(
      '<speak><prosody rate="85%">Hello, <emphasis level="moderate">really</emphasis> nice to hear you.</prosody></speak>',
    );
  });

  it('strips what a locale does not support, keeping the words', () => {
    const styled =
      '<speak><amazon:domain name="conversational"><amazon:emotion name="excited" intensity="high">Hoi!</amazon:emotion></amazon:domain></speak>';
    expect(fitSsmlToLocale(styled, 'nl-NL')).toBe('<speak>Hoi!</speak>');
    expect(fitSsmlToLocale(styled, 'en-GB')).toBe(
      '<speak><amazon:emotion name="excited" intensity="high">Hoi!</amazon:emotion></speak>',
    );
    expect(fitSsmlToLocale(styled, 'en-US')).toBe(styled);
  });

  it('stays under 8,000 characters, cutting at a sentence end', () => {
    const sentence = 'Your order is on its way & will arrive tomorrow. ';
    const long: Speech = [
      { kind: 'text', text: sentence.repeat(100) },
      { kind: 'pause', ms: 300 },
      { kind: 'text', text: sentence.repeat(100) },
    ];
    for (const locale of ['en-US', 'nl-NL']) {
      const ssml = alexaSsml(long, { locale, slow: false });
      expect(ssml.length).toBeLessThanOrEqual(MAX_SPEECH_CHARACTERS);
      expect(ssml.length).toBeGreaterThan(7000);
      expect(ssml).toMatch(/tomorrow\.(<\/amazon:domain>)?<\/speak>$/);
    }
  });
});

function result(reply: Partial<Reply>, sessionExpecting: Expectation | null = null): TurnResult {
  const session = newSession(
    {
      turnId: 't',
      channel: 'alexa',
      sessionId: 's',
      locale: 'en-US',
      input: { type: 'launch' },
      capabilities: {
        ssmlDialect: 'alexa',
        canTransfer: false,
        progressiveResponse: false,
        screen: false,
        dtmf: false,
      },
    },
    new Date(),
  );
  return {
    reply: {
      speech: [{ kind: 'text', text: "What's your order number?" }],
      reprompt: [{ kind: 'text', text: 'Which order number do you have?' }],
      expecting: null,
      end: false,
      handoff: null,
      slow: false,
      card: null,
      ...reply,
    },
    text: '',
    ssml: '',
    understood: { intent: 'OrderStatus', confidence: 1, slots: {} },
    handoff: null,
    session: { ...session, expecting: sessionExpecting },
  };
}

const askOrderNumber: Expectation = {
  type: 'slot',
  intent: 'OrderStatus',
  slot: 'orderNumber',
  entity: 'orderNumber',
};
const orderStatusIntent = {
  name: 'OrderStatus',
  confirmationStatus: 'NONE',
  slots: { orderNumber: { name: 'orderNumber', confirmationStatus: 'NONE' } },
};

describe('alexaResponse', () => {
  it('elicits the slot for the intent of the current request', () => {
    const response = alexaResponse(result({ expecting: askOrderNumber }, askOrderNumber), {
      locale: 'en-US',
      requestIntent: orderStatusIntent,
      modelIntent: 'OrderStatus',
    });
    expect(response.directives).toEqual([
      { type: 'Dialog.ElicitSlot', slotToElicit: 'orderNumber', updatedIntent: orderStatusIntent },
    ]);
    expect(response.shouldEndSession).toBe(false);
    expect(response.reprompt?.outputSpeech).toMatchObject({
      ssml: expect.stringMatching(/Which order number/),
    });
  });

  it('never elicits in answer to a LaunchRequest, a built-in intent or another intent', () => {
    const asked = result({ expecting: askOrderNumber }, askOrderNumber);
    for (const [requestIntent, modelIntent] of [
      [null, null],
      [{ name: 'AMAZON.HelpIntent', confirmationStatus: 'NONE' }, 'Help'],
      [{ name: 'CheckOutage', confirmationStatus: 'NONE', slots: {} }, 'CheckOutage'],
      // The right intent, but a request that does not carry the slot (an interaction model without it).
      [{ name: 'OrderStatus', confirmationStatus: 'NONE', slots: {} }, 'OrderStatus'],
    ] as const) {
      const response = alexaResponse(asked, { locale: 'en-US', requestIntent, modelIntent });
      expect(response.directives).toBeUndefined();
      expect(response.shouldEndSession).toBe(false);
    }
  });

  it('keeps an open question open with its last question as the reprompt', () => {
    const response = alexaResponse(
      result(
        { speech: [{ kind: 'text', text: 'Good morning! How can I help you today?' }], reprompt: null },
        { type: 'intent' },
      ),
      { locale: 'nl-NL', requestIntent: null, modelIntent: null },
    );
    expect(response.shouldEndSession).toBe(false);
    expect(response.reprompt?.outputSpeech).toEqual({
      type: 'SSML',
      ssml: '<speak>How can I help you today?</speak>',
    });
  });

  it('ends the session as the engine says, and after a handoff with a card', () => {
    const ended = alexaResponse(result({ end: true, reprompt: null }), {
      locale: 'en-US',
      requestIntent: null,
      modelIntent: null,
    });
    expect(ended.shouldEndSession).toBe(true);
    expect(ended.reprompt).toBeUndefined();

    const handedOver = alexaResponse(
      result({ reprompt: null, card: { title: 'Polderlink', text: '020 123 4567 · code 123 456' } }),
      { locale: 'en-US', requestIntent: null, modelIntent: null },
    );
    expect(handedOver.shouldEndSession).toBe(true);
    expect(handedOver.card).toEqual({
      type: 'Simple',
      title: 'Polderlink',
      content: '020 123 4567 · code 123 456',
    });
  });
});

describe('locales and slots', () => {
  it('maps Alexa locales onto the model, by language when there is no exact match', () => {
    const model = ['en-US', 'nl-NL'];
    expect(modelLocaleFor('en-US', model)).toBe('en-US');
    expect(modelLocaleFor('en-GB', model)).toBe('en-US');
    expect(modelLocaleFor('nl-NL', model)).toBe('nl-NL');
    expect(modelLocaleFor('nl-BE', model)).toBe('nl-NL');
    expect(modelLocaleFor('de-DE', model)).toBe('en-US');
  });

  it('reads slots: resolved ids for custom types, heard values through entity extraction, "?" as nothing', () => {
    const { model } = loadModel('.', polderlinkSkills);
    if (!model) throw new Error('model did not load');
    const heardAs: string[] = [];
    const canonical = (entity: string, heard: string) => {
      heardAs.push(`${entity}:${heard}`);
      return heard === 'gibberish' ? null : heard.toUpperCase();
    };
    const resolved = (code: string, id?: string) => ({
      resolutionsPerAuthority: [
        {
          authority: 'amzn1.er-authority.echo-sdk.x.device',
          status: { code },
          values: id ? [{ value: { name: id, id } }] : [],
        },
      ],
    });
    expect(
      readSlots(
        {
          name: 'TechnicalProblem',
          slots: {
            device: { name: 'device', value: 'the telly', resolutions: resolved('ER_SUCCESS_MATCH', 'tv') },
          },
        },
        model,
        'en-US',
        canonical,
      ),
    ).toEqual({ slots: { device: 'tv' }, heard: ['the telly'] });
    expect(
      readSlots(
        {
          name: 'TechnicalProblem',
          slots: {
            device: { name: 'device', value: 'toaster', resolutions: resolved('ER_SUCCESS_NO_MATCH') },
          },
        },
        model,
        'en-US',
        canonical,
      ).slots,
    ).toEqual({ device: 'TOASTER' });
    expect(
      readSlots(
        { name: 'MoveHouse', slots: { postcode: { name: 'postcode', value: 'twelve thirty four a. b.' } } },
        model,
        'en-US',
        canonical,
      ).slots,
    ).toEqual({ postcode: 'TWELVE THIRTY FOUR A B' });
    expect(
      readSlots(
        {
          name: 'OrderStatus',
          slots: { orderNumber: { name: 'orderNumber', value: '?' } },
        },
        model,
        'en-US',
        canonical,
      ),
    ).toEqual({ slots: {}, heard: [] });
    expect(heardAs).toContain('postcode:twelve thirty four a b');
  });
});
