// With REDIS_URL set, sessions live in the machine's real Redis: a conversation continues across two app instances.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, startTestServer, type TestServer } from '../helpers/server.ts';

const redisUrl = 'redis://127.0.0.1:6379';
let first: TestServer;
let second: TestServer;
const redis = new Redis(redisUrl, { lazyConnect: true });
const sessionId = `redis-http-${Date.now()}`;

beforeAll(async () => {
  first = await startTestServer({ REDIS_URL: redisUrl });
  second = await startTestServer({ REDIS_URL: redisUrl });
  await redis.connect();
});
afterAll(async () => {
  await redis.del(`loket:session:${sessionId}`);
  redis.disconnect();
  await first?.close();
  await second?.close();
});

describe('sessions in Redis', () => {
  it('lets a second instance continue a conversation the first one started', async () => {
    const asked = await converse(first.url, { sessionId, locale: 'en-US', text: 'where is my order' });
    expect(asked.json.expecting).toMatchObject({ type: 'slot', slot: 'orderNumber' });
    const stored = await redis.get(`loket:session:${sessionId}`);
    expect(JSON.parse(stored ?? '{}').expecting).toMatchObject({ slot: 'orderNumber' });
    expect(await redis.ttl(`loket:session:${sessionId}`)).toBeGreaterThan(1700);

    const answered = await converse(second.url, {
      sessionId,
      locale: 'en-US',
      text: 'four five one two three',
    });
    expect(answered.json.understood).toMatchObject({
      intent: 'OrderStatus',
      slots: { orderNumber: '45123' },
    });
    expect(answered.json.reply.text).toMatch(/PostNL/);
  });
});
