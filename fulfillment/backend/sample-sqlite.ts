// The Polderlink sample backend: the brand's customers, orders, invoices, outages and modems in its own SQLite file.
//
// Seeded once, in one transaction, when the customers table is empty. The data is deterministic; dates are
// relative to the moment of seeding (`now()`), written as UTC calendar dates (YYYY-MM-DD) or UTC ISO datetimes,
// so that a fresh file always tells a plausible story. Conversation tests rely on this table: change both together.
//
// Customers
// | id     | customerNumber | name         | phone        | email                  | postcode | houseNumber | note             |
// |--------|----------------|--------------|--------------|------------------------|----------|-------------|------------------|
// | cust-1 | 123456         | Jan de Vries | +31612345678 | jan.devries@example.nl | 1234AB   | 5           | outage in 1234   |
// | cust-2 | 654321         | Emma Jansen  | +31687654321 | emma.jansen@example.nl | 3511AB   | 12a         | modem offline    |
// | cust-3 | 777777         | Sam Taylor   | +15555550123 | sam.taylor@example.com | 1011AB   | 1           | English-speaking |
//
// Modems (lastRestart starts empty; restartModem sets it and leaves `online` alone)
// | customer | model            | online |
// |----------|------------------|--------|
// | cust-1   | Polderlink Box 5 | yes    |
// | cust-2   | Polderlink Box 4 | no     |
// | cust-3   | Polderlink Box 5 | yes    |
//
// Orders (D = the seeding date)
// | orderNumber | customer | product                | status     | carrier | expectedDelivery | deliveredOn |
// |-------------|----------|------------------------|------------|---------|------------------|-------------|
// | 45123       | cust-1   | Wifi-versterker        | shipped    | PostNL  | D+1 (tomorrow)   | -           |
// | 45124       | cust-2   | Polderlink TV-box      | delivered  | DHL     | D-2              | D-2         |
// | 45125       | cust-3   | Polderlink Box 5 modem | processing | -       | D+5              | -           |
// | 45126       | cust-1   | Smart TV-stick         | cancelled  | -       | -                | -           |
//
// Invoices (M = the seeding month YYYY-MM, M-1 and M-2 the two before it; listInvoices returns newest first)
// | customer | month         | total   | lines                                                                   |
// |----------|---------------|---------|-------------------------------------------------------------------------|
// | cust-1   | M             | € 69,99 | Internet 500 Mbit € 45,00; TV Basis € 15,00; Film & Series pakket € 9,99 |
// | cust-1   | M-1, M-2      | € 60,00 | Internet 500 Mbit € 45,00; TV Basis € 15,00                             |
// | cust-2   | M, M-1, M-2   | € 39,50 | Internet 100 Mbit € 39,50                                               |
// | cust-3   | M, M-1, M-2   | € 55,00 | Internet 1 Gbit € 55,00                                                 |
//
// Outages (matched on the four digits of a postcode; none for 3511 or 1011)
// | postcodeDigits | area            | cause                                | since       | expectedFix   |
// |----------------|-----------------|--------------------------------------|-------------|---------------|
// | 1234           | Amsterdam-Noord | werkzaamheden aan een glasvezelkabel | 1 hour ago  | in 3 hours    |
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Backend, Customer, Invoice, Modem, Order, OrderStatus, Outage } from './backend.ts';

export interface SampleBackendOptions {
  /** path of the database file; its directory is created when missing */
  file: string;
  /** the clock used for seeding and for restartModem */
  now?: () => Date;
}

export type SampleBackend = Backend & { close(): void };

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS customers (
    id TEXT PRIMARY KEY,
    customer_number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    phone TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    postcode TEXT NOT NULL,
    house_number TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS orders (
    order_number TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    product TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('processing', 'shipped', 'delivered', 'cancelled')),
    carrier TEXT,
    expected_delivery TEXT,
    delivered_on TEXT
  );
  CREATE TABLE IF NOT EXISTS invoices (
    id INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    month TEXT NOT NULL,
    total_cents INTEGER NOT NULL,
    UNIQUE (customer_id, month)
  );
  CREATE TABLE IF NOT EXISTS invoice_lines (
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, position)
  );
  CREATE TABLE IF NOT EXISTS outages (
    id INTEGER PRIMARY KEY,
    postcode_digits TEXT NOT NULL,
    area TEXT NOT NULL,
    cause TEXT NOT NULL,
    since TEXT NOT NULL,
    expected_fix TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS outages_postcode_digits ON outages (postcode_digits);
  CREATE TABLE IF NOT EXISTS modems (
    customer_id TEXT PRIMARY KEY REFERENCES customers (id),
    model TEXT NOT NULL,
    online INTEGER NOT NULL,
    last_restart TEXT
  );
`;

/** UTC calendar date `days` away from `from`. */
function isoDateFrom(from: Date, days: number): string {
  return new Date(from.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** UTC month (YYYY-MM) `monthsBack` months before `from`. */
function monthBefore(from: Date, monthsBack: number): string {
  const first = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() - monthsBack, 1));
  return first.toISOString().slice(0, 7);
}

interface SeedInvoice {
  customerId: string;
  monthsBack: number;
  lines: Array<{ description: string; amountCents: number }>;
}

function seed(db: Database.Database, seededAt: Date): void {
  const insertCustomer = db.prepare(
    `INSERT INTO customers (id, customer_number, name, first_name, phone, email, postcode, house_number)
     VALUES (@id, @customerNumber, @name, @firstName, @phone, @email, @postcode, @houseNumber)`,
  );
  const insertModem = db.prepare(
    'INSERT INTO modems (customer_id, model, online, last_restart) VALUES (?, ?, ?, NULL)',
  );
  const insertOrder = db.prepare(
    `INSERT INTO orders (order_number, customer_id, product, status, carrier, expected_delivery, delivered_on)
     VALUES (@orderNumber, @customerId, @product, @status, @carrier, @expectedDelivery, @deliveredOn)`,
  );
  const insertInvoice = db.prepare('INSERT INTO invoices (customer_id, month, total_cents) VALUES (?, ?, ?)');
  const insertInvoiceLine = db.prepare(
    'INSERT INTO invoice_lines (invoice_id, position, description, amount_cents) VALUES (?, ?, ?, ?)',
  );
  const insertOutage = db.prepare(
    'INSERT INTO outages (postcode_digits, area, cause, since, expected_fix) VALUES (?, ?, ?, ?, ?)',
  );

  const customers: Customer[] = [
    {
      id: 'cust-1',
      customerNumber: '123456',
      name: 'Jan de Vries',
      firstName: 'Jan',
      phone: '+31612345678',
      email: 'jan.devries@example.nl',
      postcode: '1234AB',
      houseNumber: '5',
    },
    {
      id: 'cust-2',
      customerNumber: '654321',
      name: 'Emma Jansen',
      firstName: 'Emma',
      phone: '+31687654321',
      email: 'emma.jansen@example.nl',
      postcode: '3511AB',
      houseNumber: '12a',
    },
    {
      id: 'cust-3',
      customerNumber: '777777',
      name: 'Sam Taylor',
      firstName: 'Sam',
      phone: '+15555550123',
      email: 'sam.taylor@example.com',
      postcode: '1011AB',
      houseNumber: '1',
    },
  ];
  for (const customer of customers) insertCustomer.run(customer);

  insertModem.run('cust-1', 'Polderlink Box 5', 1);
  insertModem.run('cust-2', 'Polderlink Box 4', 0);
  insertModem.run('cust-3', 'Polderlink Box 5', 1);

  const twoDaysAgo = isoDateFrom(seededAt, -2);
  const orders: Order[] = [
    {
      orderNumber: '45123',
      customerId: 'cust-1',
      product: 'Wifi-versterker',
      status: 'shipped',
      carrier: 'PostNL',
      expectedDelivery: isoDateFrom(seededAt, 1),
      deliveredOn: null,
    },
    {
      orderNumber: '45124',
      customerId: 'cust-2',
      product: 'Polderlink TV-box',
      status: 'delivered',
      carrier: 'DHL',
      expectedDelivery: twoDaysAgo,
      deliveredOn: twoDaysAgo,
    },
    {
      orderNumber: '45125',
      customerId: 'cust-3',
      product: 'Polderlink Box 5 modem',
      status: 'processing',
      carrier: null,
      expectedDelivery: isoDateFrom(seededAt, 5),
      deliveredOn: null,
    },
    {
      orderNumber: '45126',
      customerId: 'cust-1',
      product: 'Smart TV-stick',
      status: 'cancelled',
      carrier: null,
      expectedDelivery: null,
      deliveredOn: null,
    },
  ];
  for (const order of orders) insertOrder.run(order);

  const janBase = [
    { description: 'Internet 500 Mbit', amountCents: 4500 },
    { description: 'TV Basis', amountCents: 1500 },
  ];
  const invoices: SeedInvoice[] = [
    // The newest bill is higher because of the film package: the "why is my bill higher" conversation explains it.
    {
      customerId: 'cust-1',
      monthsBack: 0,
      lines: [...janBase, { description: 'Film & Series pakket', amountCents: 999 }],
    },
    { customerId: 'cust-1', monthsBack: 1, lines: janBase },
    { customerId: 'cust-1', monthsBack: 2, lines: janBase },
  ];
  for (const monthsBack of [0, 1, 2]) {
    invoices.push({
      customerId: 'cust-2',
      monthsBack,
      lines: [{ description: 'Internet 100 Mbit', amountCents: 3950 }],
    });
    invoices.push({
      customerId: 'cust-3',
      monthsBack,
      lines: [{ description: 'Internet 1 Gbit', amountCents: 5500 }],
    });
  }
  for (const invoice of invoices) {
    const totalCents = invoice.lines.reduce((sum, line) => sum + line.amountCents, 0);
    const { lastInsertRowid } = insertInvoice.run(
      invoice.customerId,
      monthBefore(seededAt, invoice.monthsBack),
      totalCents,
    );
    invoice.lines.forEach((line, position) => {
      insertInvoiceLine.run(lastInsertRowid, position, line.description, line.amountCents);
    });
  }

  insertOutage.run(
    '1234',
    'Amsterdam-Noord',
    'werkzaamheden aan een glasvezelkabel',
    new Date(seededAt.getTime() - HOUR_MS).toISOString(),
    new Date(seededAt.getTime() + 3 * HOUR_MS).toISOString(),
  );
}

interface CustomerRow {
  id: string;
  customer_number: string;
  name: string;
  first_name: string;
  phone: string;
  email: string;
  postcode: string;
  house_number: string;
}

function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    customerNumber: row.customer_number,
    name: row.name,
    firstName: row.first_name,
    phone: row.phone,
    email: row.email,
    postcode: row.postcode,
    houseNumber: row.house_number,
  };
}

interface OrderRow {
  order_number: string;
  customer_id: string;
  product: string;
  status: OrderStatus;
  carrier: string | null;
  expected_delivery: string | null;
  delivered_on: string | null;
}

interface InvoiceLineRow {
  invoice_id: number;
  month: string;
  total_cents: number;
  description: string | null;
  amount_cents: number | null;
}

interface OutageRow {
  postcode_digits: string;
  area: string;
  cause: string;
  since: string;
  expected_fix: string;
}

interface ModemRow {
  customer_id: string;
  model: string;
  online: number;
  last_restart: string | null;
}

/** What a caller or an ASR may add around the value: spaces, dashes, brackets. */
function withoutSeparators(text: string): string {
  return text.replace(/[\s\-().]/g, '');
}

export function createSampleBackend(options: SampleBackendOptions): SampleBackend {
  const now = options.now ?? (() => new Date());
  if (options.file !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  }
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);

  const countCustomers = db.prepare<[], { count: number }>('SELECT count(*) AS count FROM customers');
  // The check and the seed share one transaction, so two processes starting together cannot both seed.
  db.transaction(() => {
    if ((countCustomers.get()?.count ?? 0) === 0) seed(db, now());
  }).immediate();

  const customerColumns = 'id, customer_number, name, first_name, phone, email, postcode, house_number';
  const selectCustomerByPhone = db.prepare<[string], CustomerRow>(
    `SELECT ${customerColumns} FROM customers WHERE phone = ?`,
  );
  const selectCustomerByNumber = db.prepare<[string], CustomerRow>(
    `SELECT ${customerColumns} FROM customers WHERE customer_number = ?`,
  );
  const selectCustomerById = db.prepare<[string], CustomerRow>(
    `SELECT ${customerColumns} FROM customers WHERE id = ?`,
  );
  const selectOrder = db.prepare<[string], OrderRow>(
    `SELECT order_number, customer_id, product, status, carrier, expected_delivery, delivered_on
     FROM orders WHERE order_number = ?`,
  );
  // The newest outage first, in case an area has had more than one.
  const selectOutage = db.prepare<[string], OutageRow>(
    `SELECT postcode_digits, area, cause, since, expected_fix
     FROM outages WHERE postcode_digits = ? ORDER BY since DESC LIMIT 1`,
  );
  const selectInvoiceLines = db.prepare<[string], InvoiceLineRow>(
    `SELECT invoices.id AS invoice_id, invoices.month, invoices.total_cents,
            invoice_lines.description, invoice_lines.amount_cents
     FROM invoices LEFT JOIN invoice_lines ON invoice_lines.invoice_id = invoices.id
     WHERE invoices.customer_id = ?
     ORDER BY invoices.month DESC, invoice_lines.position`,
  );
  const selectModem = db.prepare<[string], ModemRow>(
    'SELECT customer_id, model, online, last_restart FROM modems WHERE customer_id = ?',
  );
  const updateModemRestart = db.prepare<[string, string]>(
    'UPDATE modems SET last_restart = ? WHERE customer_id = ?',
  );

  return {
    async findCustomerByPhone(e164) {
      const row = selectCustomerByPhone.get(withoutSeparators(e164));
      return row ? toCustomer(row) : null;
    },
    async findCustomerByNumber(customerNumber) {
      const row = selectCustomerByNumber.get(withoutSeparators(customerNumber));
      return row ? toCustomer(row) : null;
    },
    async findCustomerById(id) {
      const row = selectCustomerById.get(id);
      return row ? toCustomer(row) : null;
    },
    async findOrder(orderNumber) {
      const row = selectOrder.get(withoutSeparators(orderNumber));
      if (!row) return null;
      return {
        orderNumber: row.order_number,
        customerId: row.customer_id,
        product: row.product,
        status: row.status,
        carrier: row.carrier,
        expectedDelivery: row.expected_delivery,
        deliveredOn: row.delivered_on,
      };
    },
    async findOutage(postcode) {
      // Outages are per area, and the four digits of a Dutch postcode are the area.
      const digits = /^(\d{4})/.exec(withoutSeparators(postcode))?.[1];
      if (!digits) return null;
      const row = selectOutage.get(digits);
      if (!row) return null;
      const outage: Outage = {
        postcodeDigits: row.postcode_digits,
        area: row.area,
        cause: row.cause,
        since: row.since,
        expectedFix: row.expected_fix,
      };
      return outage;
    },
    async listInvoices(customerId) {
      const invoices: Invoice[] = [];
      let currentInvoiceId: number | null = null;
      for (const row of selectInvoiceLines.all(customerId)) {
        if (row.invoice_id !== currentInvoiceId) {
          currentInvoiceId = row.invoice_id;
          invoices.push({ customerId, month: row.month, totalCents: row.total_cents, lines: [] });
        }
        if (row.description !== null && row.amount_cents !== null) {
          invoices.at(-1)?.lines.push({ description: row.description, amountCents: row.amount_cents });
        }
      }
      return invoices;
    },
    async findModem(customerId) {
      const row = selectModem.get(customerId);
      if (!row) return null;
      const modem: Modem = {
        customerId: row.customer_id,
        model: row.model,
        online: row.online === 1,
        lastRestart: row.last_restart,
      };
      return modem;
    },
    async restartModem(customerId) {
      const { changes } = updateModemRestart.run(now().toISOString(), customerId);
      return { ok: changes > 0 };
    },
    close() {
      if (db.open) db.close();
    },
  };
}
