// The Redis handoff event bus against the machine's real Redis: two buses in one process stand for two instances.
// Each hears the other's events exactly once and its own once (locally), a killed subscription comes back, and
// close ends both connections.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HandoffEvent } from '../../fulfillment/handoff/events.ts';
import { createRedisEventBus, type RedisEventBus } from '../../fulfillment/handoff/events-redis.ts';

const redisUrl = 'redis://127.0.0.1:6379';
const admin = new Redis(redisUrl, { lazyConnect: true });
const buses: RedisEventBus[] = [];
/** instance ids unique to this run, so a parallel run's connections are never mistaken for ours */
const RUN = randomUUID().slice(0, 8);
const A = `instance-a-${RUN}`;
const B = `instance-b-${RUN}`;

beforeAll(async () => {
  await admin.connect();
});
afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.close();
});
afterAll(() => {
  admin.disconnect();
});

/** a bus on a channel of its own, so parallel test runs never hear each other */
async function twoBuses(channel = `loket:test-handoff-events:${randomUUID()}`) {
  const a = createRedisEventBus({ url: redisUrl, channel, instanceId: A });
  const b = createRedisEventBus({ url: redisUrl, channel, instanceId: B });
  buses.push(a, b);
  await Promise.all([a.subscribed(), b.subscribed()]);
  return { a, b, channel };
}

function event(id: string, type: HandoffEvent['type'] = 'handoff.created'): HandoffEvent {
  return {
    type,
    cause: 'turn',
    handoff: {
      id,
      code: '482913',
      reason: 'policy',
      channel: 'text',
      locale: 'nl-NL',
      sessionId: `session-${id}`,
      customer: null,
      callerId: null,
      intents: [],
      tried: [],
      summary: 'Klant wil verhuizen.',
      sentiment: { score: 0, label: 'neutral' },
      queue: 'moves',
      createdAt: '2026-11-22T09:00:00.000Z',
      updatedAt: '2026-11-22T09:00:00.000Z',
      status: 'waiting',
      transcriptLength: 2,
    } as unknown as HandoffEvent['handoff'],
  };
}

function collect(bus: RedisEventBus) {
  const seen: string[] = [];
  bus.subscribe((received) => seen.push(`${received.type}:${received.handoff.id}`));
  return seen;
}

const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));

async function clientIdOf(name: string): Promise<string | undefined> {
  const list = (await admin.call('CLIENT', 'LIST')) as string;
  const line = list.split('\n').find((entry) => entry.includes(` name=${name} `));
  return /(?:^| )id=(\d+)/.exec(line ?? '')?.[1];
}

describe('the Redis handoff event bus', () => {
  it('delivers each event to every instance exactly once, its own instance included', async () => {
    const { a, b } = await twoBuses();
    const onA = collect(a);
    const onB = collect(b);
    const onBToo = collect(b);

    await a.publish(event('h1'));
    // The publishing instance's listeners have it as soon as publish resolves.
    expect(onA).toEqual(['handoff.created:h1']);
    await b.publish(event('h2', 'handoff.updated'));
    await expect
      .poll(() => [...onA], { timeout: 2000 })
      .toEqual(['handoff.created:h1', 'handoff.updated:h2']);
    await expect
      .poll(() => [...onB], { timeout: 2000 })
      .toEqual(['handoff.updated:h2', 'handoff.created:h1']);
    await settle();
    expect(onA).toHaveLength(2);
    expect(onB).toHaveLength(2);
    expect(onBToo).toEqual(onB);
  });

  it('carries the whole list item, with the publishing instance id on the wire', async () => {
    const { a, b, channel } = await twoBuses();
    const spy = new Redis(redisUrl);
    try {
      const wire: string[] = [];
      spy.on('message', (_from: string, text: string) => wire.push(text));
      await spy.subscribe(channel);
      const received: HandoffEvent[] = [];
      b.subscribe((item) => received.push(item));
      await a.publish(event('h3'));
      await expect.poll(() => received.length, { timeout: 2000 }).toBe(1);
      expect(received[0]).toEqual(event('h3'));
      await expect.poll(() => wire.length, { timeout: 2000 }).toBe(1);
      expect(JSON.parse(wire[0] as string)).toEqual({ origin: A, event: event('h3') });
    } finally {
      spy.disconnect();
    }
  });

  it('ignores messages that are not handoff events, and keeps a throwing listener from stopping the others', async () => {
    const channel = `loket:test-handoff-events:${randomUUID()}`;
    const bad: unknown[] = [];
    const listenerErrors: unknown[] = [];
    const a = createRedisEventBus({ url: redisUrl, channel, instanceId: A });
    const b = createRedisEventBus({
      url: redisUrl,
      channel,
      instanceId: B,
      onBadMessage: (error) => bad.push(error),
      onListenerError: (error) => listenerErrors.push(error),
    });
    buses.push(a, b);
    await Promise.all([a.subscribed(), b.subscribed()]);
    b.subscribe(() => {
      throw new Error('listener broke');
    });
    const onB = collect(b);
    await admin.publish(channel, 'not json');
    await admin.publish(channel, JSON.stringify({ origin: 'x', event: { type: 'something.else' } }));
    await a.publish(event('h4'));
    await expect.poll(() => [...onB], { timeout: 2000 }).toEqual(['handoff.created:h4']);
    expect(bad).toHaveLength(2);
    expect(listenerErrors).toHaveLength(1);
  });

  it('subscribes again after its connection to Redis is killed, as after a Redis restart', async () => {
    const { a, b } = await twoBuses();
    const onB = collect(b);
    const subscriberName = `loket-events-sub-${B}`;
    const id = await clientIdOf(subscriberName);
    expect(id).toBeDefined();
    await admin.call('CLIENT', 'KILL', 'ID', id as string);
    // Until the subscription is back, nothing arrives; publish until one does (the first may fall in the gap).
    let attempt = 0;
    await expect
      .poll(
        async () => {
          attempt += 1;
          await a.publish(event(`after-${attempt}`));
          await settle(50);
          return onB.length;
        },
        { timeout: 5000, interval: 100 },
      )
      .toBeGreaterThan(0);
    const newId = await clientIdOf(subscriberName);
    expect(newId).toBeDefined();
    expect(newId).not.toBe(id);
    // And still exactly once per event once it is back.
    const before = onB.length;
    await a.publish(event('steady'));
    await expect.poll(() => onB.slice(before), { timeout: 2000 }).toEqual(['handoff.created:steady']);
  });

  it('closes both of its connections, and stops delivering', async () => {
    const { a, b } = await twoBuses();
    const onB = collect(b);
    await a.publish(event('warm-up'));
    await expect.poll(() => onB.length, { timeout: 2000 }).toBe(1);
    expect(await clientIdOf(`loket-events-pub-${A}`)).toBeDefined();
    expect(await clientIdOf(`loket-events-sub-${A}`)).toBeDefined();
    await a.close();
    await expect.poll(() => clientIdOf(`loket-events-sub-${A}`), { timeout: 2000 }).toBeUndefined();
    await expect.poll(() => clientIdOf(`loket-events-pub-${A}`), { timeout: 2000 }).toBeUndefined();
    expect(a.listenerCount()).toBe(0);
    await a.close();
  });
});
