// Progressive responses: a backend call slower than a second makes Loket send VoicePlayer.Speak to the Directive
// service ({apiEndpoint}/v1/directives), here a local HTTP server that stands in for Amazon's.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { envelope, intentRequest, postAlexa, spoken } from './alexa-client.ts';

interface Received {
  method: string;
  path: string;
  authorization: string | undefined;
  body: any;
  at: number;
}

let server: TestServer;
let directives: Server;
let directiveUrl: string;
const received: Received[] = [];
let failNext = false;

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  // Every call to the sample backend takes 1.2 s, like a slow CRM.
  server = await startTestServer({ LOKET_ALEXA_VERIFY: 'false', LOKET_BACKEND_LATENCY_MS: '1200' });
  directives = createServer(async (request, response) => {
    const text = await bodyOf(request);
    received.push({
      method: request.method ?? '',
      path: request.url ?? '',
      authorization: request.headers.authorization,
      body: JSON.parse(text),
      at: Date.now(),
    });
    response.statusCode = failNext ? 500 : 204;
    failNext = false;
    response.end();
  });
  await new Promise<void>((resolve) => directives.listen(0, '127.0.0.1', () => resolve()));
  const address = directives.address();
  directiveUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => directives?.close(() => resolve()));
  await server?.close();
});

describe('progressive responses', () => {
  it('says "Een ogenblik, ik kijk het even na" while a slow lookup runs, before the answer', async () => {
    received.length = 0;
    const body = intentRequest(
      'OrderStatus',
      { orderNumber: '45123' },
      {
        sessionId: 'progressive-slow',
        locale: 'nl-NL',
        apiEndpoint: directiveUrl,
        apiAccessToken: 'test-api-access-token',
      },
    );
    const started = Date.now();
    const reply = await postAlexa(server.url, body);
    const answeredAt = Date.now();
    expect(reply.status).toBe(200);
    expect(spoken(reply)).toMatch(/PostNL/);
    expect(answeredAt - started).toBeGreaterThanOrEqual(1200);

    expect(received).toHaveLength(1);
    const [directive] = received;
    expect(directive?.method).toBe('POST');
    expect(directive?.path).toBe('/v1/directives');
    expect(directive?.authorization).toBe('Bearer test-api-access-token');
    expect(directive?.body).toEqual({
      header: { requestId: body.request.requestId },
      directive: { type: 'VoicePlayer.Speak', speech: '<speak>Een ogenblik, ik kijk het even na.</speak>' },
    });
    // Sent after about a second, and before the answer.
    expect(directive!.at - started).toBeGreaterThanOrEqual(900);
    expect(directive!.at).toBeLessThanOrEqual(answeredAt);
  });

  it('sends nothing for a turn without a slow backend call', async () => {
    received.length = 0;
    const reply = await postAlexa(
      server.url,
      envelope('builtin-help-intent', {
        sessionId: 'progressive-quick',
        apiEndpoint: directiveUrl,
        apiAccessToken: 'test-api-access-token',
      }),
    );
    expect(reply.status).toBe(200);
    expect(received).toHaveLength(0);
  });

  it('still answers when the Directive service refuses the progressive response', async () => {
    received.length = 0;
    failNext = true;
    const reply = await postAlexa(
      server.url,
      intentRequest(
        'OrderStatus',
        { orderNumber: '45123' },
        {
          sessionId: 'progressive-refused',
          apiEndpoint: directiveUrl,
          apiAccessToken: 'test-api-access-token',
        },
      ),
    );
    expect(reply.status).toBe(200);
    expect(spoken(reply)).toMatch(/PostNL/);
    expect(received).toHaveLength(1);
    expect(received[0]?.body.directive.speech).toBe(
      '<speak>One moment, I&apos;m looking that up for you.</speak>',
    );
  });
});
