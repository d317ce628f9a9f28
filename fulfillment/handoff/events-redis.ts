// The handoff event bus for several instances: every event is delivered to this instance's listeners at once and
// PUBLISHed on one Redis channel with this instance's id; a second connection (a subscribing connection can send no
// other commands) hears the other instances' events and hands them to the local listeners. Our own events come back
// on the channel too and are skipped, so each listener sees each event exactly once. Redis pub/sub is fire-and-forget:
// an event published while an instance is disconnected does not reach it (its console reloads the list on reconnect).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { closeRedisClient } from '../stores/redis-connection.ts';
import type { HandoffEvent, HandoffEventBus, HandoffEventListener } from './events.ts';

export const DEFAULT_HANDOFF_EVENTS_CHANNEL = 'loket:handoff-events';

export interface RedisEventBusOptions {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  /** default 'loket:handoff-events' */
  channel?: string;
  /** default a random UUID; messages carrying it are this instance's own */
  instanceId?: string;
  onListenerError?: (error: unknown) => void;
  /** a message on the channel that is not a handoff event (another program, another version) */
  onBadMessage?: (error: unknown) => void;
  /** the connection to Redis failed; ioredis keeps reconnecting in the background */
  onConnectionError?: (error: unknown) => void;
}

export interface RedisEventBus extends HandoffEventBus {
  readonly instanceId: string;
  readonly channel: string;
  /** resolves once the subscription is in place (the first time; ioredis resubscribes after a reconnect itself) */
  subscribed(): Promise<void>;
}

interface WireMessage {
  origin: string;
  event: HandoffEvent;
}

const EVENT_TYPES = new Set(['handoff.created', 'handoff.updated']);
const CAUSES = new Set(['turn', 'agent', 'delivery', 'system', 'expiry']);

function parseMessage(text: string): WireMessage {
  const parsed = JSON.parse(text) as Partial<WireMessage> | null;
  const event = parsed?.event as Partial<HandoffEvent> | undefined;
  if (
    typeof parsed?.origin !== 'string' ||
    !event ||
    !EVENT_TYPES.has(String(event.type)) ||
    !CAUSES.has(String(event.cause)) ||
    typeof event.handoff !== 'object' ||
    event.handoff === null ||
    typeof event.handoff.id !== 'string'
  ) {
    throw new Error('not a handoff event message');
  }
  return parsed as WireMessage;
}

/**
 * ioredis puts the failed command on its errors (`error.command.args`), and a failed AUTH carries the password from
 * REDIS_URL there; loggers print every field of an error. The name of the command is kept, its arguments never.
 */
function withoutCommandArguments(error: unknown): unknown {
  if (error instanceof Error && 'command' in error && error.command && typeof error.command === 'object') {
    const { name } = error.command as { name?: unknown };
    error.command = { name };
  }
  return error;
}

export function createRedisEventBus(options: RedisEventBusOptions): RedisEventBus {
  const channel = options.channel ?? DEFAULT_HANDOFF_EVENTS_CHANNEL;
  const instanceId = options.instanceId ?? randomUUID();
  const connection = {
    connectTimeout: 2_000,
    // Keep reconnecting with a capped backoff, so the bus recovers when Redis comes back (a restart, a failover).
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
  };
  const publisher = new Redis(options.url, {
    ...connection,
    lazyConnect: true,
    commandTimeout: 5_000,
    // A publish waits through one reconnect attempt (5 s at most), then fails and is logged by the desk.
    maxRetriesPerRequest: 1,
    connectionName: `loket-events-pub-${instanceId}`,
  });
  const subscriber = new Redis(options.url, {
    ...connection,
    // The subscription is renewed on every reconnect (ioredis's autoResubscribe), so keep SUBSCRIBE queued.
    maxRetriesPerRequest: null,
    autoResubscribe: true,
    connectionName: `loket-events-sub-${instanceId}`,
  });
  const onConnectionError = (error: unknown) => options.onConnectionError?.(withoutCommandArguments(error));
  publisher.on('error', onConnectionError);
  subscriber.on('error', onConnectionError);

  const listeners = new Set<HandoffEventListener>();
  let closed = false;
  const deliver = (event: HandoffEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        options.onListenerError?.(error);
      }
    }
  };

  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel || closed) return;
    let message: WireMessage;
    try {
      message = parseMessage(text);
    } catch (error) {
      options.onBadMessage?.(error);
      return;
    }
    // Our own event was delivered locally when it was published.
    if (message.origin === instanceId) return;
    deliver(message.event);
  });
  const subscription = subscriber.subscribe(channel).then(() => undefined);
  // A failure here is reported through `subscribed()`; never an unhandled rejection.
  subscription.catch(() => undefined);

  return {
    instanceId,
    channel,
    subscribed: () => subscription,
    async publish(event) {
      deliver(event);
      if (closed) return;
      // While Redis is known to be down, fail at once (the desk logs it) instead of holding the turn up.
      if (publisher.status === 'reconnecting') throw new Error('handoff event bus: Redis is not connected');
      const message: WireMessage = { origin: instanceId, event };
      await publisher.publish(channel, JSON.stringify(message)).catch((error: unknown) => {
        throw withoutCommandArguments(error);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    listenerCount: () => listeners.size,
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await Promise.all([closeRedisClient(publisher), closeRedisClient(subscriber)]);
    },
  };
}

/**
 * The bus `loket serve` uses when REDIS_URL is set: waits (at most `waitMs`) for the subscription, so an instance that
 * says it is serving already hears the others; a Redis that is down does not stop the start, the bus catches up.
 */
export async function startRedisEventBus(
  url: string,
  logger: Logger,
  waitMs = 2_000,
): Promise<RedisEventBus> {
  let lastConnectionError = '';
  const bus = createRedisEventBus({
    url,
    onListenerError: (error) => logger.error({ err: error }, 'a handoff event listener failed'),
    onBadMessage: (error) => logger.warn({ err: error }, 'ignored a message on the handoff event channel'),
    onConnectionError: (error) => {
      // One line per distinct failure, not one per reconnect attempt.
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastConnectionError)
        logger.warn({ err: error }, 'handoff event bus: Redis connection failed');
      lastConnectionError = message;
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), waitMs);
  });
  const subscribed = await Promise.race([bus.subscribed().then(() => true), timedOut]).catch(() => false);
  clearTimeout(timer);
  if (subscribed)
    logger.info({ channel: bus.channel, instanceId: bus.instanceId }, 'handoff events on Redis');
  else
    logger.warn(
      { channel: bus.channel },
      'handoff events: not subscribed to Redis yet; retrying in the background',
    );
  return bus;
}
