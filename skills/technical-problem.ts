// TechnicalProblem: an outage at the customer's address explains it; otherwise the first steps for the device.
import type { Skill } from '../fulfillment/dialogue/skill-api.ts';
import { compactPostcode, outagePrompt } from './check-outage.ts';

/** The ids of the `device` entity (locales/<locale>/entities.yaml), each with its own first steps. */
const FIRST_STEPS_BY_DEVICE: Readonly<Record<string, string>> = {
  internet: 'technical.steps.internet',
  wifi: 'technical.steps.wifi',
  tv: 'technical.steps.tv',
};

export const technicalProblem: Skill = {
  intent: 'TechnicalProblem',
  promptKeys: [
    'technical.unknownDevice',
    'technical.steps.internet',
    'technical.steps.wifi',
    'technical.steps.tv',
    'outage.found',
    'outage.foundOverdue',
  ],
  async run({ slots, customer, backend, now }) {
    const firstStepsKey = FIRST_STEPS_BY_DEVICE[slots.device ?? ''];
    if (!firstStepsKey) {
      return { kind: 'reject-slot', slot: 'device', hint: { key: 'technical.unknownDevice' } };
    }
    // Without a known customer there is no address to check: go straight to the first steps.
    const outage = customer ? await backend.findOutage(compactPostcode(customer.postcode)) : null;
    if (outage) {
      return { kind: 'answer', prompts: [outagePrompt(outage, now)] };
    }
    return { kind: 'answer', prompts: [{ key: firstStepsKey }] };
  },
};
