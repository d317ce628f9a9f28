// Regression (found by tests/fuzz/endpoints.test.ts): an envelope without `context` passed the schema and then made
// the ask-sdk's service client factory throw, a 500. It is now a 400 before the skill runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOKET_ALEXA_VERIFY: 'false' });
});
afterAll(async () => {
  await server?.close();
});

it('refuses an envelope without a context with a 400, not a 500', async () => {
  const fixture = JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', 'launch-request.json'), 'utf8'),
  );
  const { context: _context, ...withoutContext } = fixture;
  const response = await fetch(`${server.url}/alexa`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(withoutContext),
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({
    error: 'invalid-request',
    message: expect.stringMatching(/context/),
  });

  const withContext = await fetch(`${server.url}/alexa`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fixture),
  });
  expect(withContext.status).toBe(200);
});
