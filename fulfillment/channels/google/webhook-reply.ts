// Runs one turn for a Dialogflow webhook and reduces it to what both webhook formats render. When the turn itself fails
// (a store is down), the customer still hears something kind and is handed to a colleague, instead of Dialogflow
// getting an HTTP 500 and saying something generic.
import { escapeXml, renderSsml } from '../../compose/render.ts';
import { takeTurn } from '../../conversation/take-turn.ts';
import type { Expectation, HandoffReason, Turn } from '../../core/types.ts';
import { failureReasonOf, recordWebhookFailure } from '../../observability/metrics.ts';
import type { Runtime } from '../../server/runtime.ts';

export interface WebhookHandoff {
  /** null when the handoff was not stored (the turn failed) */
  id: string | null;
  code: string | null;
  reason: HandoffReason;
  queue: string;
}

export interface WebhookReply {
  text: string;
  /** Google's SSML dialect */
  ssml: string;
  expecting: Expectation | null;
  end: boolean;
  handoff: WebhookHandoff | null;
}

const LAST_RESORT = 'Sorry, something went wrong on our side. A colleague will help you.';

/** What the customer is asked for next: `slot:orderNumber`, `confirmation:action`, `open` (anything), or `none`. */
export function expectationLabel(reply: Pick<WebhookReply, 'expecting' | 'end' | 'handoff'>): string {
  const { expecting } = reply;
  // The engine leaves an open question ("what can I do for you?") as null.
  if (!expecting) return reply.end || reply.handoff ? 'none' : 'open';
  switch (expecting.type) {
    case 'slot':
      return `slot:${expecting.slot}`;
    case 'confirmation':
      return `confirmation:${expecting.about}`;
    case 'verification':
      return `verification:${expecting.step}`;
    case 'intent':
      return 'open';
  }
}

export async function webhookReply(runtime: Runtime, turn: Turn): Promise<WebhookReply> {
  try {
    const result = await takeTurn(runtime.deps, turn);
    const { reply, handoff } = result;
    return {
      text: result.text,
      ssml: renderSsml(reply.speech, { dialect: 'google', slow: reply.slow }),
      expecting: reply.expecting,
      end: reply.end,
      handoff: handoff
        ? { id: handoff.id, code: handoff.code, reason: handoff.reason, queue: handoff.queue }
        : null,
    };
  } catch (error) {
    recordWebhookFailure(runtime.metrics, turn.channel, failureReasonOf(error));
    runtime.deps.logger.error(
      { err: error, turnId: turn.turnId, sessionId: turn.sessionId, channel: turn.channel },
      'turn failed',
    );
    return failureReply(runtime, turn.locale);
  }
}

/** What the customer hears when Loket itself failed: an apology and a colleague. */
export function failureReply(runtime: Runtime, locale: string): WebhookReply {
  const prompts = runtime.deps.current().model.locales[locale]?.prompts;
  const text = prompts?.['error.generic']?.[0] ?? LAST_RESORT;
  return {
    text,
    ssml: `<speak>${escapeXml(text)}</speak>`,
    expecting: null,
    end: false,
    handoff: { id: null, code: null, reason: 'error', queue: 'general' },
  };
}
