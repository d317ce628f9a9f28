// GET /agent/events through real HTTP: a new handoff and every change arrive as Server-Sent Events within two seconds,
// quiet streams get heartbeat comments, and a closed connection unsubscribes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessEventBus } from '../../fulfillment/handoff/events.ts';
import { converse, startTestServer, type TestServer } from '../helpers/server.ts';

const TOKEN = 'sanne-token-0123456789abcdef';
let server: TestServer;

interface StreamEvent {
  type: string;
  data: any;
  at: number;
}

/** Reads an event stream into a list; `comments` counts heartbeat lines. */
async function openStream(token: string) {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/agent/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const events: StreamEvent[] = [];
  let comments = 0;
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const done = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) comments += 1;
          const type = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (type && data) events.push({ type, data: JSON.parse(data), at: Date.now() });
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  const waitFor = async (predicate: (event: StreamEvent) => boolean, timeoutMs = 2000) => {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const found = events.find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(
      `no matching event within ${timeoutMs} ms; got ${events.map((event) => event.type).join(', ')}`,
    );
  };
  return {
    response,
    events,
    comments: () => comments,
    waitFor,
    close: async () => {
      controller.abort();
      await done;
    },
  };
}

beforeAll(async () => {
  server = await startTestServer({ LOKET_AGENT_TOKENS: `sanne:${TOKEN}`, LOKET_AGENT_HEARTBEAT_MS: '200' });
});
afterAll(async () => {
  await server?.close();
});

describe('GET /agent/events', () => {
  it('streams a new complaint and its acceptance, each within two seconds', async () => {
    const stream = await openStream(TOKEN);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('cache-control')).toMatch(/no-cache|no-store/);
    await stream.waitFor((event) => event.type === 'ready');

    const sent = Date.now();
    const { json: reply } = await converse(server.url, {
      sessionId: 'events-1',
      locale: 'nl-NL',
      text: 'ik wil een klacht indienen over de monteur',
    });
    const created = await stream.waitFor(
      (event) => event.type === 'handoff.created' && event.data.handoff.id === reply.handoff.id,
    );
    expect(created.at - sent).toBeLessThan(2000);
    expect(created.data).toMatchObject({
      cause: 'turn',
      handoff: {
        status: 'waiting',
        queue: 'complaints',
        reason: 'policy',
        summary: expect.stringMatching(/klacht/),
      },
    });
    // The list view travels without the transcript: the detail is fetched when an agent opens it.
    expect(created.data.handoff.transcript).toBeUndefined();

    const accept = await fetch(`${server.url}/agent/handoffs/${reply.handoff.id}/accept`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(accept.status).toBe(200);
    const updated = await stream.waitFor((event) => event.type === 'handoff.updated');
    expect(updated.data).toMatchObject({
      cause: 'agent',
      handoff: { id: reply.handoff.id, status: 'accepted' },
    });
    await stream.close();
  });

  it('sends heartbeat comments on a quiet stream, and unsubscribes when the agent goes away', async () => {
    const bus = server.runtime.handoffs.events;
    const settle = async (count: number) => {
      const started = Date.now();
      while (bus.listenerCount() !== count && Date.now() - started < 2000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    // The stream of the test before may still be closing.
    await settle(0);
    const before = bus.listenerCount();
    const stream = await openStream(TOKEN);
    await stream.waitFor((event) => event.type === 'ready');
    expect(bus.listenerCount()).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(stream.comments()).toBeGreaterThanOrEqual(2);
    await stream.close();
    await settle(before);
    expect(bus.listenerCount()).toBe(before);
  });

  it('ends open streams when the server shuts down, so a graceful stop does not hang', async () => {
    const own = await startTestServer({ LOKET_AGENT_TOKENS: `sanne:${TOKEN}` });
    const response = await fetch(`${own.url}/agent/events`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const reader = response.body!.getReader();
    await reader.read();
    const started = Date.now();
    // The test helper closes the HTTP server first and waits for it: an open stream would block that forever.
    await own.close();
    expect(Date.now() - started).toBeLessThan(3000);
    const rest = await reader.read().catch(() => ({ done: true }));
    expect(rest.done).toBe(true);
  });
});

describe('the in-process event bus', () => {
  it('keeps delivering to other listeners when one throws, and stops after unsubscribe', async () => {
    const failures: unknown[] = [];
    const bus = createInProcessEventBus({ onListenerError: (error) => failures.push(error) });
    const received: string[] = [];
    bus.subscribe(() => {
      throw new Error('broken console');
    });
    const unsubscribe = bus.subscribe((event) => received.push(event.handoff.id));
    const event = { type: 'handoff.created' as const, cause: 'turn' as const, handoff: { id: 'h1' } as any };
    await bus.publish(event);
    unsubscribe();
    await bus.publish({ ...event, handoff: { id: 'h2' } as any });
    expect(received).toEqual(['h1']);
    expect(failures).toHaveLength(2);
    expect(bus.listenerCount()).toBe(1);
    await bus.close();
    expect(bus.listenerCount()).toBe(0);
  });
});
