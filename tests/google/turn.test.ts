// How a Dialogflow request becomes a Loket turn input: which signal wins, and how Dialogflow's parameter values become
// the values Loket's own extractors give.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CxWebhookRequest } from '../../fulfillment/channels/google/cx-request.ts';
import { cxTurnInput, type GoogleTurnContext } from '../../fulfillment/channels/google/cx-turn.ts';
import type { EsWebhookRequest } from '../../fulfillment/channels/google/es-request.ts';
import { esTurnInput } from '../../fulfillment/channels/google/es-turn.ts';
import { matchGoogleLanguage } from '../../fulfillment/channels/google/locale.ts';
import { phoneGatewayOf } from '../../fulfillment/channels/google/phone-gateway.ts';
import { loadModel } from '../../fulfillment/model/load.ts';
import { trainNlu } from '../../fulfillment/nlu/understand.ts';
import { polderlinkSkills } from '../../skills/polderlink.ts';

let context: (locale: string) => GoogleTurnContext;
beforeAll(() => {
  const { model } = loadModel('.', polderlinkSkills);
  if (!model) throw new Error('the shipped model does not load');
  const loaded = { model, nlu: trainNlu(model) };
  context = (locale) => ({
    locale,
    loaded,
    now: new Date('2026-11-20T10:00:00Z'),
    timeZone: 'Europe/Amsterdam',
    agentPhoneNumber: null,
  });
});

const cx = (fields: Partial<CxWebhookRequest>): CxWebhookRequest => ({
  languageCode: 'nl',
  sessionInfo: { session: 'projects/p/locations/global/agents/a/sessions/s' },
  ...fields,
});

describe('cxTurnInput', () => {
  it('takes keypad digits first, then a known intent, then the words', () => {
    expect(cxTurnInput(cx({ dtmfDigits: '12#', text: 'x' }), context('nl-NL'))).toEqual({
      type: 'dtmf',
      digits: '12#',
    });
    expect(cxTurnInput(cx({ text: 'mijn wifi doet raar' }), context('nl-NL'))).toEqual({
      type: 'text',
      text: 'mijn wifi doet raar',
    });
    expect(cxTurnInput(cx({ transcript: ' hallo ' }), context('nl-NL'))).toEqual({
      type: 'text',
      text: 'hallo',
    });
  });

  it('recognises the start of a conversation and silence, with or without tags', () => {
    expect(cxTurnInput(cx({ triggerEvent: 'WELCOME' }), context('nl-NL'))).toEqual({ type: 'launch' });
    expect(
      cxTurnInput(
        cx({ triggerIntent: 'projects/p/locations/l/agents/a/intents/00000000-0000-0000-0000-000000000000' }),
        context('nl-NL'),
      ),
    ).toEqual({ type: 'launch' });
    expect(cxTurnInput(cx({ fulfillmentInfo: { tag: 'no-input' } }), context('nl-NL'))).toEqual({
      type: 'no-input',
    });
    expect(cxTurnInput(cx({ triggerEvent: 'sys.no-input-default' }), context('nl-NL'))).toEqual({
      type: 'no-input',
    });
    expect(cxTurnInput(cx({ fulfillmentInfo: { tag: 'something-custom' } }), context('nl-NL'))).toEqual({
      type: 'launch',
    });
  });

  it("turns CX's resolved values into Loket's: a date struct, an entity id, a number; and drops what it cannot read", () => {
    const move = cxTurnInput(
      cx({
        intentInfo: {
          displayName: 'MoveHouse',
          confidence: 0.8,
          parameters: {
            moveDate: { originalValue: '1 december', resolvedValue: { year: 2026, month: 12, day: 1 } },
            postcode: { originalValue: 'twaalf vierendertig a b', resolvedValue: 'twaalf vierendertig a b' },
            houseNumber: { originalValue: 'zeg maar', resolvedValue: 'zeg maar' },
          },
        },
        text: 'we verhuizen 1 december naar twaalf vierendertig a b',
      }),
      context('nl-NL'),
    );
    expect(move).toEqual({
      type: 'intent',
      intent: 'MoveHouse',
      slots: { moveDate: '2026-12-01', postcode: '1234AB' },
      confidence: 0.8,
      text: 'we verhuizen 1 december naar twaalf vierendertig a b',
    });
    const device = cxTurnInput(
      cx({
        intentInfo: { displayName: 'TechnicalProblem', parameters: { device: { resolvedValue: 'wifi' } } },
      }),
      context('nl-NL'),
    );
    expect(device).toMatchObject({ intent: 'TechnicalProblem', slots: { device: 'wifi' }, confidence: 1 });
  });

  it('finds slot values in the words when CX annotated none', () => {
    const order = cxTurnInput(
      cx({
        intentInfo: { displayName: 'OrderStatus', confidence: 0.9 },
        text: 'waar blijft bestelling 45123',
      }),
      context('nl-NL'),
    );
    expect(order).toMatchObject({ intent: 'OrderStatus', slots: { orderNumber: '45123' } });
  });
});

describe('esTurnInput', () => {
  const es = (queryResult: Partial<EsWebhookRequest['queryResult']>): EsWebhookRequest => ({
    session: 'projects/p/agent/sessions/s',
    queryResult: { languageCode: 'en', ...queryResult },
  });

  it('uses the matched intent, skips empty parameters, and reads an ES date', () => {
    expect(
      esTurnInput(
        es({
          intent: { displayName: 'ExplainBill' },
          queryText: 'explain my march bill',
          parameters: { month: '03' },
          intentDetectionConfidence: 0.7,
        }),
        context('en-US'),
      ),
    ).toMatchObject({ type: 'intent', intent: 'ExplainBill', slots: { month: '03' }, confidence: 0.7 });
    expect(
      esTurnInput(
        es({
          intent: { displayName: 'MoveHouse' },
          parameters: { moveDate: '2026-12-01T12:00:00+01:00', postcode: '' },
        }),
        context('en-US'),
      ),
    ).toMatchObject({ slots: { moveDate: '2026-12-01' } });
  });

  it('reads the words itself on the fallback intent and greets on the welcome intent', () => {
    expect(
      esTurnInput(
        es({ intent: { displayName: 'Default Fallback Intent' }, queryText: 'hello?' }),
        context('en-US'),
      ),
    ).toEqual({ type: 'text', text: 'hello?' });
    expect(esTurnInput(es({ intent: { displayName: 'Default Welcome Intent' } }), context('en-US'))).toEqual({
      type: 'launch',
    });
    expect(esTurnInput(es({ queryText: 'TELEPHONY_WELCOME' }), context('en-US'))).toEqual({ type: 'launch' });
  });
});

describe('languages and the phone gateway', () => {
  it('maps Dialogflow language codes onto the model locales', () => {
    const supported = ['en-US', 'nl-NL'];
    expect(matchGoogleLanguage('nl', supported)).toBe('nl-NL');
    expect(matchGoogleLanguage('en-us', supported)).toBe('en-US');
    expect(matchGoogleLanguage('en-GB', supported)).toBe('en-US');
    expect(matchGoogleLanguage('nl_BE', supported)).toBe('nl-NL');
    expect(matchGoogleLanguage('fr', supported)).toBeNull();
  });

  it('takes the caller id only when it is a number', () => {
    expect(phoneGatewayOf({ telephony: { caller_id: '+31612345678' } })).toEqual({
      callerId: '+31612345678',
    });
    expect(phoneGatewayOf({ telephony: { caller_id: 'REDACTED_IN_STANDARD_TIER_AGENT' } })).toEqual({
      callerId: null,
    });
    expect(phoneGatewayOf({ telephony: {} })).toEqual({ callerId: null });
    expect(phoneGatewayOf({})).toBeNull();
    expect(phoneGatewayOf(undefined)).toBeNull();
  });
});
