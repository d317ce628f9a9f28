// Account linking: System.user.accessToken identifies the customer through the backend (sample convention: the token
// is the customer id), so they are greeted by name and never asked for their customer number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { envelope, intentRequest, postAlexa, spoken } from './alexa-client.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOKET_ALEXA_VERIFY: 'false' });
});
afterAll(async () => {
  await server?.close();
});

describe('account linking', () => {
  it('greets a linked customer by name and answers account questions without verification', async () => {
    const session = { sessionId: 'linked-1', locale: 'nl-NL', accessToken: 'cust-1' };
    const launch = await postAlexa(server.url, envelope('launch-request', session));
    expect(spoken(launch)).toMatch(/Jan/);
    expect((await server.runtime.deps.sessions.load('linked-1'))?.customer).toMatchObject({
      id: 'cust-1',
      verified: true,
      method: 'account-link',
    });

    const bill = await postAlexa(server.url, intentRequest('ExplainBill', { month: null }, session));
    expect(spoken(bill)).toMatch(/69,99/);
    expect(spoken(bill)).not.toMatch(/klantnummer/i);
  });

  it('asks an unlinked customer for their customer number', async () => {
    const session = { sessionId: 'linked-2', locale: 'nl-NL' };
    await postAlexa(server.url, envelope('launch-request', session));
    const bill = await postAlexa(server.url, intentRequest('ExplainBill', { month: null }, session));
    expect(spoken(bill)).toMatch(/klantnummer/i);
  });

  it('treats a token that identifies nobody as not linked', async () => {
    const session = { sessionId: 'linked-3', locale: 'en-US', accessToken: 'no-such-customer' };
    const launch = await postAlexa(server.url, envelope('launch-request', session));
    expect(launch.status).toBe(200);
    expect((await server.runtime.deps.sessions.load('linked-3'))?.customer).toBeNull();
  });
});
