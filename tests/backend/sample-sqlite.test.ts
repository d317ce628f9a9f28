// The Polderlink sample backend: seeded once with the documented data, each lookup, and restartModem.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSampleBackend, type SampleBackend } from '../../fulfillment/backend/sample-sqlite.ts';

// A Saturday afternoon in March (UTC), so "tomorrow", "2 days ago" and the last three months are easy to read.
const SEEDED_AT = new Date('2025-03-15T14:00:00.000Z');

let tempDir = '';
let backend: SampleBackend;
let file = '';

beforeAll(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-backend-'));
});
afterAll(() => {
  fs.rmSync(tempDir, { recursive: true, force: true });
});
beforeEach(() => {
  file = path.join(tempDir, `${Math.random().toString(36).slice(2)}`, 'polderlink.db');
  backend = createSampleBackend({ file, now: () => SEEDED_AT });
});
afterEach(() => {
  backend.close();
});

describe('sample backend: seeding', () => {
  it('seeds only once: a second start neither duplicates nor moves the data', async () => {
    backend.close();
    const later = new Date('2025-04-20T10:00:00.000Z');
    backend = createSampleBackend({ file, now: () => later });
    expect((await backend.findOrder('45123'))?.expectedDelivery).toBe('2025-03-16');
    expect(await backend.listInvoices('cust-1')).toHaveLength(3);

    const inspect = new Database(file, { readonly: true });
    const count = (table: string) => inspect.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    expect(count('customers')).toBe(3);
    expect(count('orders')).toBe(4);
    expect(count('invoices')).toBe(9);
    expect(count('outages')).toBe(1);
    expect(count('modems')).toBe(3);
    inspect.close();
  });

  it('keeps dates relative to the seeding moment', async () => {
    const freshlySeeded = createSampleBackend({
      file: path.join(tempDir, 'relative.db'),
      now: () => new Date('2026-01-01T09:00:00.000Z'),
    });
    expect((await freshlySeeded.findOrder('45123'))?.expectedDelivery).toBe('2026-01-02');
    expect((await freshlySeeded.listInvoices('cust-1')).map((invoice) => invoice.month)).toEqual([
      '2026-01',
      '2025-12',
      '2025-11',
    ]);
    freshlySeeded.close();
  });
});

describe('sample backend: customers', () => {
  const jan = {
    id: 'cust-1',
    customerNumber: '123456',
    name: 'Jan de Vries',
    firstName: 'Jan',
    phone: '+31612345678',
    email: 'jan.devries@example.nl',
    postcode: '1234AB',
    houseNumber: '5',
  };

  it('finds a customer by phone, by customer number and by id', async () => {
    expect(await backend.findCustomerByPhone('+31612345678')).toEqual(jan);
    expect(await backend.findCustomerByNumber('123456')).toEqual(jan);
    expect(await backend.findCustomerById('cust-1')).toEqual(jan);
  });

  it('has Emma and the English-speaking Sam as documented', async () => {
    expect(await backend.findCustomerByPhone('+31687654321')).toMatchObject({
      id: 'cust-2',
      customerNumber: '654321',
      name: 'Emma Jansen',
      postcode: '3511AB',
      houseNumber: '12a',
    });
    expect(await backend.findCustomerByNumber('777777')).toMatchObject({
      id: 'cust-3',
      name: 'Sam Taylor',
      phone: '+15555550123',
      postcode: '1011AB',
      houseNumber: '1',
    });
  });

  it('ignores spaces and dashes the caller or ASR adds, and returns null for strangers', async () => {
    expect((await backend.findCustomerByNumber('123 456'))?.id).toBe('cust-1');
    expect((await backend.findCustomerByPhone('+31 6 1234 5678'))?.id).toBe('cust-1');
    expect(await backend.findCustomerByPhone('+31600000000')).toBeNull();
    expect(await backend.findCustomerByNumber('000000')).toBeNull();
    expect(await backend.findCustomerById('cust-9')).toBeNull();
  });
});

describe('sample backend: orders', () => {
  it('tells where each documented order is', async () => {
    expect(await backend.findOrder('45123')).toEqual({
      orderNumber: '45123',
      customerId: 'cust-1',
      product: 'Wifi-versterker',
      status: 'shipped',
      carrier: 'PostNL',
      expectedDelivery: '2025-03-16',
      deliveredOn: null,
    });
    expect(await backend.findOrder('45124')).toMatchObject({
      customerId: 'cust-2',
      status: 'delivered',
      deliveredOn: '2025-03-13',
    });
    expect(await backend.findOrder('45125')).toMatchObject({
      status: 'processing',
      carrier: null,
      expectedDelivery: '2025-03-20',
    });
    expect(await backend.findOrder('45126')).toMatchObject({ status: 'cancelled', expectedDelivery: null });
    expect(await backend.findOrder('99999')).toBeNull();
  });
});

describe('sample backend: invoices', () => {
  it("explains Jan's higher bill with the extra line on the newest invoice", async () => {
    const invoices = await backend.listInvoices('cust-1');
    expect(invoices.map((invoice) => [invoice.month, invoice.totalCents])).toEqual([
      ['2025-03', 6999],
      ['2025-02', 6000],
      ['2025-01', 6000],
    ]);
    const [newest, previous] = invoices;
    const previousLines = new Set(previous?.lines.map((line) => line.description));
    const extraLines = newest?.lines.filter((line) => !previousLines.has(line.description));
    expect(extraLines).toEqual([{ description: 'Film & Series pakket', amountCents: 999 }]);
    for (const invoice of invoices) {
      expect(invoice.lines.reduce((sum, line) => sum + line.amountCents, 0)).toBe(invoice.totalCents);
    }
  });

  it('gives Emma three equal invoices, and nothing for an unknown customer', async () => {
    const invoices = await backend.listInvoices('cust-2');
    expect(invoices).toHaveLength(3);
    expect(new Set(invoices.map((invoice) => invoice.totalCents))).toEqual(new Set([3950]));
    expect(await backend.listInvoices('cust-9')).toEqual([]);
  });
});

describe('sample backend: outages', () => {
  it('matches an outage on the four digits of the postcode', async () => {
    const expected = {
      postcodeDigits: '1234',
      area: 'Amsterdam-Noord',
      cause: 'werkzaamheden aan een glasvezelkabel',
      since: '2025-03-15T13:00:00.000Z',
      expectedFix: '2025-03-15T17:00:00.000Z',
    };
    expect(await backend.findOutage('1234AB')).toEqual(expected);
    expect(await backend.findOutage('1234 ZZ')).toEqual(expected);
    expect(await backend.findOutage('1234')).toEqual(expected);
  });

  it('has no outage for 3511 or 1011, nor for text without digits', async () => {
    expect(await backend.findOutage('3511AB')).toBeNull();
    expect(await backend.findOutage('1011AB')).toBeNull();
    expect(await backend.findOutage('AB')).toBeNull();
  });
});

describe('sample backend: modems', () => {
  it('knows which modem is online', async () => {
    expect(await backend.findModem('cust-1')).toEqual({
      customerId: 'cust-1',
      model: 'Polderlink Box 5',
      online: true,
      lastRestart: null,
    });
    expect(await backend.findModem('cust-2')).toMatchObject({ online: false });
    expect(await backend.findModem('cust-9')).toBeNull();
  });

  it('records a restart, and says so only when there is a modem', async () => {
    expect(await backend.restartModem('cust-2')).toEqual({ ok: true });
    expect(await backend.findModem('cust-2')).toMatchObject({
      online: false,
      lastRestart: SEEDED_AT.toISOString(),
    });
    expect(await backend.restartModem('cust-9')).toEqual({ ok: false });
  });

  it('keeps the restart after a reopen', async () => {
    await backend.restartModem('cust-1');
    backend.close();
    backend = createSampleBackend({ file });
    expect((await backend.findModem('cust-1'))?.lastRestart).toBe(SEEDED_AT.toISOString());
  });
});
