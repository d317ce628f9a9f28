// The backend interface skills talk to: the sample brand implements it on SQLite; a real CRM can implement it too.

export interface Customer {
  id: string;
  /** the customer number a customer can say on the phone, digits only */
  customerNumber: string;
  name: string;
  firstName: string;
  /** E.164, used to recognise the caller id */
  phone: string;
  email: string;
  postcode: string;
  houseNumber: string;
}

export type OrderStatus = 'processing' | 'shipped' | 'delivered' | 'cancelled';
export interface Order {
  orderNumber: string;
  customerId: string;
  product: string;
  status: OrderStatus;
  carrier: string | null;
  /** ISO date YYYY-MM-DD */
  expectedDelivery: string | null;
  /** ISO date YYYY-MM-DD */
  deliveredOn: string | null;
}

export interface InvoiceLine {
  description: string;
  amountCents: number;
}
export interface Invoice {
  customerId: string;
  /** YYYY-MM */
  month: string;
  totalCents: number;
  lines: InvoiceLine[];
}

export interface Outage {
  /** the four digits of the postcodes it affects */
  postcodeDigits: string;
  area: string;
  cause: string;
  /** ISO datetime */
  since: string;
  /** ISO datetime */
  expectedFix: string;
}

export interface Modem {
  customerId: string;
  model: string;
  online: boolean;
  lastRestart: string | null;
}

export interface Backend {
  findCustomerByPhone(e164: string): Promise<Customer | null>;
  findCustomerByNumber(customerNumber: string): Promise<Customer | null>;
  findCustomerById(id: string): Promise<Customer | null>;
  findOrder(orderNumber: string): Promise<Order | null>;
  /** outage affecting this postcode (1234AB), if any */
  findOutage(postcode: string): Promise<Outage | null>;
  /** newest first */
  listInvoices(customerId: string): Promise<Invoice[]>;
  findModem(customerId: string): Promise<Modem | null>;
  restartModem(customerId: string): Promise<{ ok: boolean }>;
}
