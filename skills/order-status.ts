// OrderStatus: looks an order up by its number and says where it is, one prompt per status.
import type { Order } from '../fulfillment/backend/backend.ts';
import type { PromptRef, Skill } from '../fulfillment/dialogue/skill-api.ts';

function dateParam(isoDate: string) {
  return { sayAs: 'date', value: isoDate } as const;
}

/** Picks the prompt that says the most the order data allows: a missing date or carrier gets its own wording. */
function statusPrompt(order: Order): PromptRef {
  const { product, carrier, expectedDelivery, deliveredOn } = order;
  switch (order.status) {
    case 'processing':
      return expectedDelivery
        ? { key: 'order.processing', params: { product, expectedDelivery: dateParam(expectedDelivery) } }
        : { key: 'order.processingNoDate', params: { product } };
    case 'shipped':
      if (expectedDelivery && carrier) {
        return {
          key: 'order.shippedWithCarrier',
          params: { product, carrier, expectedDelivery: dateParam(expectedDelivery) },
        };
      }
      return expectedDelivery
        ? { key: 'order.shipped', params: { product, expectedDelivery: dateParam(expectedDelivery) } }
        : { key: 'order.shippedNoDate', params: { product } };
    case 'delivered':
      return deliveredOn
        ? { key: 'order.delivered', params: { product, deliveredOn: dateParam(deliveredOn) } }
        : { key: 'order.deliveredNoDate', params: { product } };
    case 'cancelled':
      return { key: 'order.cancelled', params: { product } };
  }
}

export const orderStatus: Skill = {
  intent: 'OrderStatus',
  promptKeys: [
    'order.notFound',
    'order.processing',
    'order.processingNoDate',
    'order.shipped',
    'order.shippedWithCarrier',
    'order.shippedNoDate',
    'order.delivered',
    'order.deliveredNoDate',
    'order.cancelled',
  ],
  async run({ slots, backend }) {
    const orderNumber = slots.orderNumber ?? '';
    const order = orderNumber === '' ? null : await backend.findOrder(orderNumber);
    if (!order) {
      return {
        kind: 'reject-slot',
        slot: 'orderNumber',
        hint: { key: 'order.notFound', params: { orderNumber: { sayAs: 'digits', value: orderNumber } } },
      };
    }
    return { kind: 'answer', prompts: [statusPrompt(order)] };
  },
};
