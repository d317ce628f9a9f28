// ExplainBill: says the total of the latest invoice (or the asked month's) and, when it went up, what made it go up.
import type { Invoice } from '../fulfillment/backend/backend.ts';
import type { PromptRef, Skill } from '../fulfillment/dialogue/skill-api.ts';

interface LineIncrease {
  description: string;
  increaseCents: number;
}

function monthParam(yearMonth: string) {
  return { sayAs: 'month', value: yearMonth } as const;
}

function amountParam(cents: number) {
  return { sayAs: 'amount', cents } as const;
}

/** The month slot holds only 01..12: the customer means its most recent occurrence, this year or last. */
export function mostRecentYearMonth(monthId: string, now: Date): string {
  const currentYear = now.getUTCFullYear();
  const currentMonth = now.getUTCMonth() + 1;
  const year = Number(monthId) <= currentMonth ? currentYear : currentYear - 1;
  return `${year}-${monthId}`;
}

/** The line that grew most since the previous invoice; a line that is new counts in full. */
export function biggestIncrease(current: Invoice, previous: Invoice): LineIncrease | null {
  const previousAmounts = new Map<string, number>();
  for (const line of previous.lines) {
    previousAmounts.set(line.description, (previousAmounts.get(line.description) ?? 0) + line.amountCents);
  }
  const currentAmounts = new Map<string, number>();
  for (const line of current.lines) {
    currentAmounts.set(line.description, (currentAmounts.get(line.description) ?? 0) + line.amountCents);
  }
  let biggest: LineIncrease | null = null;
  for (const [description, amountCents] of currentAmounts) {
    const increaseCents = amountCents - (previousAmounts.get(description) ?? 0);
    if (increaseCents > 0 && (biggest === null || increaseCents > biggest.increaseCents)) {
      biggest = { description, increaseCents };
    }
  }
  return biggest;
}

function comparisonPrompt(current: Invoice, previous: Invoice): PromptRef {
  const differenceCents = current.totalCents - previous.totalCents;
  const previousMonth = monthParam(previous.month);
  if (differenceCents === 0) {
    return { key: 'bill.same', params: { previousMonth } };
  }
  if (differenceCents < 0) {
    return { key: 'bill.lower', params: { difference: amountParam(-differenceCents), previousMonth } };
  }
  const increase = biggestIncrease(current, previous);
  if (!increase) {
    return {
      key: 'bill.higherUnexplained',
      params: { difference: amountParam(differenceCents), previousMonth },
    };
  }
  return {
    key: 'bill.higher',
    params: {
      difference: amountParam(differenceCents),
      previousMonth,
      reason: increase.description,
      reasonAmount: amountParam(increase.increaseCents),
    },
  };
}

export const explainBill: Skill = {
  intent: 'ExplainBill',
  promptKeys: [
    'bill.none',
    'bill.monthNotFound',
    'bill.total',
    'bill.same',
    'bill.lower',
    'bill.higher',
    'bill.higherUnexplained',
  ],
  async run({ slots, customer, backend, now }) {
    // The engine verifies the customer before this skill runs (requiresVerifiedCustomer); this only guards the type.
    if (!customer) {
      return { kind: 'handoff', prompts: [], reason: 'verification-failed' };
    }
    const invoicesNewestFirst = await backend.listInvoices(customer.id);
    if (invoicesNewestFirst.length === 0) {
      return { kind: 'answer', prompts: [{ key: 'bill.none' }] };
    }
    const askedMonth = slots.month;
    const index = askedMonth
      ? invoicesNewestFirst.findIndex((invoice) => invoice.month.endsWith(`-${askedMonth}`))
      : 0;
    const invoice = invoicesNewestFirst[index];
    if (!invoice) {
      const month = monthParam(mostRecentYearMonth(askedMonth ?? '', now));
      return { kind: 'answer', prompts: [{ key: 'bill.monthNotFound', params: { month } }] };
    }
    const totalPrompt: PromptRef = {
      key: 'bill.total',
      params: { month: monthParam(invoice.month), total: amountParam(invoice.totalCents) },
    };
    const previous = invoicesNewestFirst[index + 1];
    return {
      kind: 'answer',
      prompts: previous ? [totalPrompt, comparisonPrompt(invoice, previous)] : [totalPrompt],
    };
  },
};
