// CheckOutage: is there a known outage at the given postcode, or else at the customer's own address?
import type { Outage } from '../fulfillment/backend/backend.ts';
import type { PromptRef, Skill } from '../fulfillment/dialogue/skill-api.ts';

/** The backend looks outages up by the compact form 1234AB; accounts may store "1234 ab". */
export function compactPostcode(postcode: string): string {
  return postcode.replace(/\s+/g, '').toUpperCase();
}

/** Says where the outage is and why; the fix time only while it still lies ahead, otherwise "any moment now". */
export function outagePrompt(outage: Outage, now: Date): PromptRef {
  const fixTimeHasPassed = Date.parse(outage.expectedFix) <= now.getTime();
  if (fixTimeHasPassed) {
    return { key: 'outage.foundOverdue', params: { area: outage.area, cause: outage.cause } };
  }
  return {
    key: 'outage.found',
    params: {
      area: outage.area,
      cause: outage.cause,
      expectedFix: { sayAs: 'time', value: outage.expectedFix },
    },
  };
}

export const checkOutage: Skill = {
  intent: 'CheckOutage',
  promptKeys: ['outage.found', 'outage.foundOverdue', 'outage.none'],
  async run({ slots, customer, backend, now }) {
    const postcode = slots.postcode ?? customer?.postcode;
    if (!postcode) {
      return { kind: 'ask-slot', slot: 'postcode' };
    }
    const outage = await backend.findOutage(compactPostcode(postcode));
    if (outage) {
      return { kind: 'answer', prompts: [outagePrompt(outage, now)] };
    }
    return {
      kind: 'answer',
      prompts: [
        { key: 'outage.none', params: { postcode: { sayAs: 'postcode', value: compactPostcode(postcode) } } },
      ],
    };
  },
};
