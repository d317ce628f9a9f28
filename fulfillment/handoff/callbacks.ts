// A callback arranged on a smart speaker or in web chat goes into the queue with the package: the number (in the
// clear, for the colleague who calls), the moment that suits, and a line in the summary.
import type { CallbackDecision } from '../dialogue/decision.ts';
import type { HandoffDesk, HandoffUpdateResult } from './desk.ts';
import { appendToSummary, summaryClause } from './summary.ts';
import type { HandoffWords } from './words.ts';

export function attachCallback(
  desk: HandoffDesk,
  callback: CallbackDecision,
  wordsFor: (locale: string) => HandoffWords | null,
  now: Date,
): Promise<HandoffUpdateResult> {
  return desk.update(
    callback.handoffId,
    (current) => {
      const words = wordsFor(current.locale);
      const previousClause = current.callback
        ? summaryClause('callback', { moment: current.callback.preferredMoment }, words, current.locale)
        : null;
      const clause = summaryClause('callback', { moment: callback.preferredMoment }, words, current.locale);
      return {
        ...current,
        callback: {
          phone: callback.phone,
          preferredMoment: callback.preferredMoment,
          requestedAt: now.toISOString(),
        },
        summary: appendToSummary(current.summary, clause, previousClause),
        updatedAt: now.toISOString(),
      };
    },
    'turn',
  );
}
