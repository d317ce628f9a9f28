// Builds a valid Session (every field of sessionSchema) for store tests; override what a test cares about.
import { type Session, sessionSchema } from '../../fulfillment/core/types.ts';

export function makeSession(overrides: Partial<Session> = {}): Session {
  const at = '2025-03-14T09:30:00.000Z';
  return sessionSchema.parse({
    id: 'session-1',
    locale: 'nl-NL',
    channel: 'phone',
    callerId: '+31612345678',
    createdAt: at,
    updatedAt: at,
    frames: [
      {
        intent: 'order.status',
        slots: { orderNumber: '45123' },
        askedSlot: null,
        confirmedSlots: ['orderNumber'],
        actionConfirmed: false,
        invalidCount: 0,
        startedAt: at,
      },
    ],
    expecting: { type: 'slot', intent: 'order.status', slot: 'orderNumber', entity: 'orderNumber' },
    noMatchCount: 1,
    noInputCount: 0,
    frustrationCount: 0,
    history: [{ intent: 'order.status', slots: { orderNumber: '45123' }, at }],
    customer: { id: 'cust-1', name: 'Jan de Vries', firstName: 'Jan', verified: true, method: 'caller-id' },
    verification: { attempts: 1, customerNumber: '123456', postcode: '1234AB' },
    preferences: { slower: false },
    usedVariants: { 'greeting.morning': [0, 2] },
    lastReply: {
      text: 'Je bestelling komt morgen.',
      speech: [{ kind: 'text', text: 'Je bestelling komt morgen.' }],
      reprompt: null,
    },
    tried: ['order.lookup'],
    sentimentScores: [0.1, -0.2],
    handoffId: null,
    ended: false,
    ...overrides,
  });
}
