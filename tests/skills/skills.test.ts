// The Polderlink skills against an in-memory Backend: each branch of each skill, and that every prompt it names exists.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Backend, Customer, Invoice, Modem, Order, Outage } from '../../fulfillment/backend/backend.ts';
import type { PromptRef, Skill, SkillContext, SkillResult } from '../../fulfillment/dialogue/skill-api.ts';
import { intentFileSchema, promptsFileSchema } from '../../fulfillment/model/schema.ts';
import { checkOutage } from '../../skills/check-outage.ts';
import { explainBill } from '../../skills/explain-bill.ts';
import { isPhoneLineOpen, openingHours } from '../../skills/opening-hours.ts';
import { orderStatus } from '../../skills/order-status.ts';
import { polderlinkSkills } from '../../skills/polderlink.ts';
import { restartModem } from '../../skills/restart-modem.ts';
import { technicalProblem } from '../../skills/technical-problem.ts';

const ROOT = new URL('../../', import.meta.url);
const LOCALES = ['nl-NL', 'en-US'] as const;
const promptsByLocale = Object.fromEntries(
  LOCALES.map((locale) => [
    locale,
    promptsFileSchema.parse(parse(readFileSync(new URL(`locales/${locale}/prompts.yaml`, ROOT), 'utf8'))),
  ]),
);

const NOW = new Date('2025-03-12T10:00:00Z');

const sanne: Customer = {
  id: 'c-1',
  customerNumber: '10001',
  name: 'Sanne de Vries',
  firstName: 'Sanne',
  phone: '+31612345678',
  email: 'sanne@example.nl',
  postcode: '1234 ab',
  houseNumber: '5',
};

interface FakeData {
  customers?: Customer[];
  orders?: Order[];
  outages?: Outage[];
  invoices?: Invoice[];
  modems?: Modem[];
  restartSucceeds?: boolean;
}

/** A Backend over plain arrays that also records which lookups and restarts a skill asked for. */
function fakeBackend(data: FakeData) {
  const calls = { findOutage: [] as string[], restartModem: [] as string[] };
  const customers = data.customers ?? [];
  const backend: Backend = {
    findCustomerByPhone: async (e164) => customers.find((customer) => customer.phone === e164) ?? null,
    findCustomerByNumber: async (number) =>
      customers.find((customer) => customer.customerNumber === number) ?? null,
    findCustomerById: async (id) => customers.find((customer) => customer.id === id) ?? null,
    findOrder: async (orderNumber) => data.orders?.find((order) => order.orderNumber === orderNumber) ?? null,
    findOutage: async (postcode) => {
      calls.findOutage.push(postcode);
      return data.outages?.find((outage) => postcode.startsWith(outage.postcodeDigits)) ?? null;
    },
    listInvoices: async (customerId) =>
      (data.invoices ?? [])
        .filter((invoice) => invoice.customerId === customerId)
        .sort((a, b) => b.month.localeCompare(a.month)),
    findModem: async (customerId) => data.modems?.find((modem) => modem.customerId === customerId) ?? null,
    restartModem: async (customerId) => {
      calls.restartModem.push(customerId);
      return { ok: data.restartSucceeds ?? true };
    },
  };
  return { backend, calls };
}

function contextFor(
  intent: string,
  backend: Backend,
  overrides: Partial<Omit<SkillContext, 'intent' | 'backend'>> = {},
): SkillContext {
  return { intent, slots: {}, customer: null, locale: 'nl-NL', now: NOW, backend, ...overrides };
}

function promptsOf(result: SkillResult): PromptRef[] {
  switch (result.kind) {
    case 'answer':
    case 'handoff':
      return result.prompts;
    case 'reject-slot':
      return [result.hint];
    case 'ask-slot':
      return [];
  }
}

/** Runs a skill and checks that every prompt it names is declared and that every locale can say it with these params. */
async function run(skill: Skill, context: SkillContext): Promise<SkillResult> {
  const result = await skill.run(context);
  for (const prompt of promptsOf(result)) {
    expect(skill.promptKeys, `${skill.intent} returned an undeclared key`).toContain(prompt.key);
    for (const locale of LOCALES) {
      const variants = promptsByLocale[locale]?.[prompt.key];
      expect(variants, `${locale} lacks ${prompt.key}`).toBeDefined();
      for (const variant of variants ?? []) {
        const placeholders = [...variant.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
        for (const placeholder of placeholders) {
          if (placeholder !== 'pause') {
            expect(prompt.params ?? {}, `${locale} ${prompt.key}: "${variant}"`).toHaveProperty(
              placeholder as string,
            );
          }
        }
      }
    }
  }
  return result;
}

const amsterdamOutage: Outage = {
  postcodeDigits: '1234',
  area: 'Amsterdam-Oost',
  cause: 'werkzaamheden aan een glasvezelkabel',
  since: '2025-03-12T07:00:00Z',
  expectedFix: '2025-03-12T14:30:00Z',
};

describe('CheckOutage', () => {
  it('reports the outage at the postcode the customer gave, with the fix time said as a time', async () => {
    const { backend, calls } = fakeBackend({ outages: [amsterdamOutage] });
    const result = await run(
      checkOutage,
      contextFor('CheckOutage', backend, { slots: { postcode: '1234AB' } }),
    );
    expect(result).toEqual({
      kind: 'answer',
      prompts: [
        {
          key: 'outage.found',
          params: {
            area: 'Amsterdam-Oost',
            cause: 'werkzaamheden aan een glasvezelkabel',
            expectedFix: { sayAs: 'time', value: '2025-03-12T14:30:00Z' },
          },
        },
      ],
    });
    expect(calls.findOutage).toEqual(['1234AB']);
  });

  it('falls back to the postcode on the account, compacted the way the backend looks it up', async () => {
    const { backend, calls } = fakeBackend({ outages: [amsterdamOutage] });
    const result = await run(checkOutage, contextFor('CheckOutage', backend, { customer: sanne }));
    expect(result.kind).toBe('answer');
    expect(calls.findOutage).toEqual(['1234AB']);
  });

  it('prefers the postcode the customer said over the one on the account', async () => {
    const { backend, calls } = fakeBackend({});
    await run(
      checkOutage,
      contextFor('CheckOutage', backend, { customer: sanne, slots: { postcode: '9712CP' } }),
    );
    expect(calls.findOutage).toEqual(['9712CP']);
  });

  it('asks for a postcode when there is neither a slot nor a customer', async () => {
    const { backend, calls } = fakeBackend({});
    const result = await run(checkOutage, contextFor('CheckOutage', backend));
    expect(result).toEqual({ kind: 'ask-slot', slot: 'postcode' });
    expect(calls.findOutage).toEqual([]);
  });

  it('says there is no known outage and suggests a modem restart', async () => {
    const { backend } = fakeBackend({ outages: [amsterdamOutage] });
    const result = await run(
      checkOutage,
      contextFor('CheckOutage', backend, { slots: { postcode: '9712CP' } }),
    );
    expect(result).toEqual({
      kind: 'answer',
      prompts: [{ key: 'outage.none', params: { postcode: { sayAs: 'postcode', value: '9712CP' } } }],
    });
  });

  it('does not promise a fix time that has already passed', async () => {
    const { backend } = fakeBackend({
      outages: [{ ...amsterdamOutage, expectedFix: '2025-03-12T09:00:00Z' }],
    });
    const result = await run(
      checkOutage,
      contextFor('CheckOutage', backend, { slots: { postcode: '1234AB' } }),
    );
    expect(promptsOf(result).map((prompt) => prompt.key)).toEqual(['outage.foundOverdue']);
  });
});

describe('OrderStatus', () => {
  const order: Order = {
    orderNumber: '45123',
    customerId: 'c-1',
    product: 'wifiversterker',
    status: 'processing',
    carrier: null,
    expectedDelivery: '2025-03-14',
    deliveredOn: null,
  };

  async function statusOf(changes: Partial<Order>) {
    const { backend } = fakeBackend({ orders: [{ ...order, ...changes }] });
    return run(orderStatus, contextFor('OrderStatus', backend, { slots: { orderNumber: '45123' } }));
  }

  it('rejects an unknown order number with a hint that reads the number back digit by digit', async () => {
    const { backend } = fakeBackend({ orders: [order] });
    const result = await run(
      orderStatus,
      contextFor('OrderStatus', backend, { slots: { orderNumber: '99999' } }),
    );
    expect(result).toEqual({
      kind: 'reject-slot',
      slot: 'orderNumber',
      hint: { key: 'order.notFound', params: { orderNumber: { sayAs: 'digits', value: '99999' } } },
    });
  });

  it('says when an order in processing is expected', async () => {
    expect(await statusOf({})).toEqual({
      kind: 'answer',
      prompts: [
        {
          key: 'order.processing',
          params: { product: 'wifiversterker', expectedDelivery: { sayAs: 'date', value: '2025-03-14' } },
        },
      ],
    });
  });

  it.each([
    [{ status: 'processing', expectedDelivery: null }, 'order.processingNoDate'],
    [{ status: 'shipped', carrier: 'PostNL' }, 'order.shippedWithCarrier'],
    [{ status: 'shipped' }, 'order.shipped'],
    [{ status: 'shipped', carrier: 'PostNL', expectedDelivery: null }, 'order.shippedNoDate'],
    [{ status: 'delivered', deliveredOn: '2025-03-10' }, 'order.delivered'],
    [{ status: 'delivered' }, 'order.deliveredNoDate'],
    [{ status: 'cancelled' }, 'order.cancelled'],
  ] satisfies [Partial<Order>, string][])('%o is told with %s', async (changes, key) => {
    const result = await statusOf(changes);
    expect(result.kind).toBe('answer');
    expect(promptsOf(result).map((prompt) => prompt.key)).toEqual([key]);
  });

  it('gives the carrier and the dates as typed params', async () => {
    const shipped = await statusOf({ status: 'shipped', carrier: 'PostNL' });
    expect(promptsOf(shipped)[0]?.params).toEqual({
      product: 'wifiversterker',
      carrier: 'PostNL',
      expectedDelivery: { sayAs: 'date', value: '2025-03-14' },
    });
    const delivered = await statusOf({ status: 'delivered', deliveredOn: '2025-03-10' });
    expect(promptsOf(delivered)[0]?.params).toEqual({
      product: 'wifiversterker',
      deliveredOn: { sayAs: 'date', value: '2025-03-10' },
    });
  });
});

describe('ExplainBill', () => {
  const january: Invoice = {
    customerId: 'c-1',
    month: '2025-01',
    totalCents: 6450,
    lines: [
      { description: 'Internet 500 Mbit/s', amountCents: 5000 },
      { description: 'Tv-pakket Basis', amountCents: 1450 },
    ],
  };
  const february: Invoice = {
    customerId: 'c-1',
    month: '2025-02',
    totalCents: 7649,
    lines: [
      { description: 'Internet 500 Mbit/s', amountCents: 5000 },
      { description: 'Tv-pakket Basis', amountCents: 1650 },
      { description: 'Film huren: Zwartboek', amountCents: 499 },
      { description: 'Film huren: Soldaat van Oranje', amountCents: 500 },
    ],
  };
  const march: Invoice = { ...january, month: '2025-03', totalCents: 6450 };

  function bill(invoices: Invoice[], slots: Record<string, string> = {}) {
    const { backend } = fakeBackend({ invoices });
    return run(explainBill, contextFor('ExplainBill', backend, { customer: sanne, slots }));
  }

  it('says the latest total and the line that explains why it is higher', async () => {
    expect(await bill([january, february])).toEqual({
      kind: 'answer',
      prompts: [
        {
          key: 'bill.total',
          params: { month: { sayAs: 'month', value: '2025-02' }, total: { sayAs: 'amount', cents: 7649 } },
        },
        {
          key: 'bill.higher',
          params: {
            difference: { sayAs: 'amount', cents: 1199 },
            previousMonth: { sayAs: 'month', value: '2025-01' },
            reason: 'Film huren: Soldaat van Oranje',
            reasonAmount: { sayAs: 'amount', cents: 500 },
          },
        },
      ],
    });
  });

  it('says how much lower the bill is when it went down', async () => {
    const result = await bill([january, february, march]);
    expect(promptsOf(result)[1]).toEqual({
      key: 'bill.lower',
      params: {
        difference: { sayAs: 'amount', cents: 1199 },
        previousMonth: { sayAs: 'month', value: '2025-02' },
      },
    });
  });

  it('says the bill is the same when it did not change', async () => {
    const result = await bill([january, { ...january, month: '2025-02' }]);
    expect(promptsOf(result).map((prompt) => prompt.key)).toEqual(['bill.total', 'bill.same']);
  });

  it('explains the month the customer asked about against the month before it', async () => {
    const result = await bill([january, february, march], { month: '02' });
    expect(
      promptsOf(result).map((prompt) => [prompt.key, prompt.params?.month ?? prompt.params?.previousMonth]),
    ).toEqual([
      ['bill.total', { sayAs: 'month', value: '2025-02' }],
      ['bill.higher', { sayAs: 'month', value: '2025-01' }],
    ]);
  });

  it('says only the total when there is no earlier invoice to compare with', async () => {
    const result = await bill([january], { month: '01' });
    expect(promptsOf(result).map((prompt) => prompt.key)).toEqual(['bill.total']);
  });

  it('still answers when the lines do not explain the increase', async () => {
    const result = await bill([january, { ...january, month: '2025-02', totalCents: 7000 }]);
    expect(promptsOf(result).map((prompt) => prompt.key)).toEqual(['bill.total', 'bill.higherUnexplained']);
  });

  it('names the most recent occurrence of an asked month that has no invoice', async () => {
    const result = await bill([january, february], { month: '11' });
    expect(result).toEqual({
      kind: 'answer',
      prompts: [{ key: 'bill.monthNotFound', params: { month: { sayAs: 'month', value: '2024-11' } } }],
    });
  });

  it('says so when there are no invoices yet', async () => {
    expect(await bill([])).toEqual({ kind: 'answer', prompts: [{ key: 'bill.none' }] });
  });

  it('hands over rather than guess when no customer reached it', async () => {
    const { backend } = fakeBackend({ invoices: [january] });
    const result = await run(explainBill, contextFor('ExplainBill', backend));
    expect(result).toEqual({ kind: 'handoff', prompts: [], reason: 'verification-failed' });
  });
});

describe('RestartModem', () => {
  const modem: Modem = { customerId: 'c-1', model: 'Polderbox 6', online: true, lastRestart: null };

  it('restarts the modem and says it is back in about three minutes', async () => {
    const { backend, calls } = fakeBackend({ modems: [modem] });
    const result = await run(restartModem, contextFor('RestartModem', backend, { customer: sanne }));
    expect(result).toEqual({
      kind: 'answer',
      prompts: [{ key: 'modem.restarting', params: { minutes: 3 } }],
    });
    expect(calls.restartModem).toEqual(['c-1']);
  });

  it('says so when the customer has no modem of ours', async () => {
    const { backend, calls } = fakeBackend({ modems: [] });
    const result = await run(restartModem, contextFor('RestartModem', backend, { customer: sanne }));
    expect(result).toEqual({ kind: 'answer', prompts: [{ key: 'modem.notFound' }] });
    expect(calls.restartModem).toEqual([]);
  });

  it('asks for a power cycle by hand when the modem cannot be reached', async () => {
    const { backend, calls } = fakeBackend({ modems: [{ ...modem, online: false }] });
    const result = await run(restartModem, contextFor('RestartModem', backend, { customer: sanne }));
    expect(result).toEqual({ kind: 'answer', prompts: [{ key: 'modem.unreachable' }] });
    expect(calls.restartModem).toEqual([]);
  });

  it('hands over to technical support when the restart fails', async () => {
    const { backend } = fakeBackend({ modems: [modem], restartSucceeds: false });
    const result = await run(restartModem, contextFor('RestartModem', backend, { customer: sanne }));
    expect(result).toEqual({
      kind: 'handoff',
      prompts: [{ key: 'modem.restartFailed' }],
      reason: 'error',
      queue: 'technical',
    });
  });
});

describe('TechnicalProblem', () => {
  it('blames a known outage at the customer address before giving any steps', async () => {
    const { backend, calls } = fakeBackend({ outages: [amsterdamOutage] });
    const result = await run(
      technicalProblem,
      contextFor('TechnicalProblem', backend, { customer: sanne, slots: { device: 'tv' } }),
    );
    expect(promptsOf(result).map((prompt) => prompt.key)).toEqual(['outage.found']);
    expect(calls.findOutage).toEqual(['1234AB']);
  });

  it.each([
    ['internet', 'technical.steps.internet'],
    ['wifi', 'technical.steps.wifi'],
    ['tv', 'technical.steps.tv'],
  ])('gives the first steps for %s when there is no outage', async (device, key) => {
    const { backend } = fakeBackend({ outages: [] });
    const result = await run(
      technicalProblem,
      contextFor('TechnicalProblem', backend, { customer: sanne, slots: { device } }),
    );
    expect(result).toEqual({ kind: 'answer', prompts: [{ key }] });
  });

  it('goes straight to the steps for an unknown caller, without an address to check', async () => {
    const { backend, calls } = fakeBackend({ outages: [amsterdamOutage] });
    const result = await run(
      technicalProblem,
      contextFor('TechnicalProblem', backend, { slots: { device: 'wifi' } }),
    );
    expect(result).toEqual({ kind: 'answer', prompts: [{ key: 'technical.steps.wifi' }] });
    expect(calls.findOutage).toEqual([]);
  });

  it('rejects a device it has no steps for', async () => {
    const { backend } = fakeBackend({});
    const result = await run(
      technicalProblem,
      contextFor('TechnicalProblem', backend, { slots: { device: 'fax' } }),
    );
    expect(result).toEqual({ kind: 'reject-slot', slot: 'device', hint: { key: 'technical.unknownDevice' } });
  });
});

describe('OpeningHours', () => {
  it.each([
    ['a Wednesday morning', '2025-03-12T10:00:00Z', true],
    ['a weekday just before 8:00 in Amsterdam', '2025-03-12T06:59:00Z', false],
    ['a weekday at 19:59 in Amsterdam', '2025-03-12T18:59:00Z', true],
    ['a summer weekday at 20:30 in Amsterdam (18:30 UTC)', '2025-07-09T18:30:00Z', false],
    ['a Saturday at 16:30 in Amsterdam', '2025-03-15T15:30:00Z', true],
    ['a Saturday at 17:00 in Amsterdam', '2025-03-15T16:00:00Z', false],
    ['a Sunday afternoon', '2025-03-16T13:00:00Z', false],
  ])('knows whether the phone line is open on %s', (_moment, iso, open) => {
    expect(isPhoneLineOpen(new Date(iso))).toBe(open);
  });

  it('says the hours, then whether colleagues can be reached right now', async () => {
    const { backend } = fakeBackend({});
    const open = await run(openingHours, contextFor('OpeningHours', backend));
    expect(open).toEqual({
      kind: 'answer',
      prompts: [{ key: 'openingHours.hours' }, { key: 'openingHours.openNow' }],
    });
    const closed = await run(
      openingHours,
      contextFor('OpeningHours', backend, { now: new Date('2025-03-16T13:00:00Z') }),
    );
    expect(promptsOf(closed).map((prompt) => prompt.key)).toEqual([
      'openingHours.hours',
      'openingHours.closedNow',
    ]);
  });
});

describe('polderlinkSkills', () => {
  const intents = readdirSync(new URL('intents/', ROOT))
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => intentFileSchema.parse(parse(readFileSync(new URL(`intents/${file}`, ROOT), 'utf8'))));

  it('has one skill per domain intent that needs logic, and none for intents the engine hands over itself', () => {
    const skillIntents = polderlinkSkills.map((skill) => skill.intent);
    expect(new Set(skillIntents).size).toBe(skillIntents.length);
    expect([...skillIntents].sort()).toEqual([
      'CheckOutage',
      'ExplainBill',
      'OpeningHours',
      'OrderStatus',
      'RestartModem',
      'TechnicalProblem',
    ]);
    for (const intent of skillIntents) {
      const definition = intents.find((candidate) => candidate.name === intent);
      expect(definition?.kind, intent).toBe('domain');
      expect(definition?.handoff.when, intent).toBe('never');
    }
  });

  it('asks only for slots its intent defines', () => {
    const askedSlots = { CheckOutage: 'postcode', OrderStatus: 'orderNumber', TechnicalProblem: 'device' };
    for (const [intent, slot] of Object.entries(askedSlots)) {
      const definition = intents.find((candidate) => candidate.name === intent);
      expect(definition?.slots.map((candidate) => candidate.name)).toContain(slot);
    }
  });
});
