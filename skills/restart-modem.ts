// RestartModem: the customer already said yes (the intent's confirmation); restarts the modem remotely.
import type { Skill } from '../fulfillment/dialogue/skill-api.ts';

/** How long a Polderlink modem is offline during a remote restart, as said to the customer. */
const RESTART_MINUTES = 3;

export const restartModem: Skill = {
  intent: 'RestartModem',
  promptKeys: ['modem.notFound', 'modem.unreachable', 'modem.restarting', 'modem.restartFailed'],
  async run({ customer, backend }) {
    // The engine verifies the customer before this skill runs (requiresVerifiedCustomer); this only guards the type.
    if (!customer) {
      return { kind: 'handoff', prompts: [], reason: 'verification-failed' };
    }
    const modem = await backend.findModem(customer.id);
    if (!modem) {
      return { kind: 'answer', prompts: [{ key: 'modem.notFound' }] };
    }
    // A modem that is not online cannot take a remote restart: the customer has to pull the plug.
    if (!modem.online) {
      return { kind: 'answer', prompts: [{ key: 'modem.unreachable' }] };
    }
    const { ok } = await backend.restartModem(customer.id);
    if (!ok) {
      return {
        kind: 'handoff',
        prompts: [{ key: 'modem.restartFailed' }],
        reason: 'error',
        queue: 'technical',
      };
    }
    return { kind: 'answer', prompts: [{ key: 'modem.restarting', params: { minutes: RESTART_MINUTES } }] };
  },
};
