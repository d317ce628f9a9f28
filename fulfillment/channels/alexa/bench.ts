// Builds a realistic Alexa IntentRequest for a benchmark utterance, so `npm run bench` can drive POST /alexa.
// Alexa does its own NLU and sends the matched intent, not the words; a few keyword rules stand in for it here.
import { randomUUID } from 'node:crypto';

const SKILL_ID = 'amzn1.ask.skill.00000000-0000-4000-8000-00000000bench';
const USER_ID = 'amzn1.ask.account.BENCH';

interface IntentRule {
  intent: string;
  pattern: RegExp;
  /** the slot a number in the utterance fills */
  numberSlot?: string;
}

/** First match wins; order from specific to general. Anything else is what Alexa would call AMAZON.FallbackIntent. */
const RULES: readonly IntentRule[] = [
  { intent: 'SpeakToAgent', pattern: /medewerker|persoon|mens\b|person|agent|human|someone/i },
  { intent: 'AMAZON.RepeatIntent', pattern: /herhal|nog een keer|say that again|repeat/i },
  { intent: 'AMAZON.YesIntent', pattern: /^(ja|yes|yeah|jawel|graag)\b/i },
  { intent: 'AMAZON.NoIntent', pattern: /^(nee|no|nope)\b/i },
  { intent: 'Thanks', pattern: /dank|bedankt|thank/i },
  { intent: 'AMAZON.StopIntent', pattern: /^(stop|doei|dag|bye|goodbye)\b/i },
  { intent: 'OrderStatus', pattern: /bestel|order|pakket|package|delivery/i, numberSlot: 'orderNumber' },
  { intent: 'CheckOutage', pattern: /storing|outage|network down/i },
  { intent: 'PaymentArrangement', pattern: /termijn|installment|betalingsregeling|can'?t pay/i },
  { intent: 'ExplainBill', pattern: /rekening|factuur|bill|invoice/i },
  { intent: 'CancelSubscription', pattern: /opzeggen|cancel|abonnement stop/i },
  { intent: 'MoveHouse', pattern: /verhuiz|moving|move house/i },
  { intent: 'OpeningHours', pattern: /open|opening hours|bereikbaar/i },
  { intent: 'Complaint', pattern: /klacht|complain/i },
  { intent: 'RestartModem', pattern: /herstart|restart|reboot/i },
  { intent: 'TechnicalProblem', pattern: /doet het niet|werkt niet|not working|modem|wifi|internet|tv\b/i },
];

export function alexaBenchRequest(sessionId: string, locale: string, utterance: string): object {
  const rule = RULES.find((candidate) => candidate.pattern.test(utterance));
  const intent = rule?.intent ?? 'AMAZON.FallbackIntent';
  const number = utterance.match(/\d+/)?.[0];
  const slots =
    rule?.numberSlot !== undefined
      ? {
          [rule.numberSlot]: {
            name: rule.numberSlot,
            confirmationStatus: 'NONE',
            ...(number ? { value: number, source: 'USER' } : {}),
          },
        }
      : {};
  const application = { applicationId: SKILL_ID };
  const user = { userId: USER_ID };
  // No apiEndpoint or apiAccessToken: a benchmark must never send a progressive response to Amazon.
  return {
    version: '1.0',
    session: { new: false, sessionId, application, attributes: {}, user },
    context: {
      System: {
        application,
        user,
        device: { deviceId: 'amzn1.ask.device.BENCH', supportedInterfaces: {} },
      },
    },
    request: {
      type: 'IntentRequest',
      requestId: `amzn1.echo-api.request.${randomUUID()}`,
      timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      locale,
      dialogState: 'STARTED',
      intent: { name: intent, confirmationStatus: 'NONE', slots },
    },
  };
}
