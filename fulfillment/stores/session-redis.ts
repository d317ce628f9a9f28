// The session store for several instances behind a load balancer: each session is one Redis key with a TTL.

import { Redis } from 'ioredis';
import { messageOf } from '../core/error-message.ts';
import { closeRedisClient } from './redis-connection.ts';
import {
  assertValidTtl,
  parseStoredSession,
  type SessionStore,
  type SessionStoreOptions,
  StoreUnavailableError,
} from './session-store.ts';

export interface RedisSessionStoreOptions extends SessionStoreOptions {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  /** default 'loket:session:' */
  keyPrefix?: string;
}

export const DEFAULT_SESSION_KEY_PREFIX = 'loket:session:';

/** SCAN MATCH treats these as glob syntax; a prefix is meant literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}

/** The URL as it may appear in an error message: without the password. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an invalid Redis URL';
  }
}

/**
 * Expiry is Redis's own (EX on every save), so the `now` option is not used here: the Redis clock decides.
 */
export function createRedisSessionStore(options: RedisSessionStoreOptions): SessionStore {
  assertValidTtl(options.ttlSeconds);
  const keyPrefix = options.keyPrefix ?? DEFAULT_SESSION_KEY_PREFIX;
  // EX takes whole seconds; rounding up never ends a conversation early.
  const ttlSeconds = Math.ceil(options.ttlSeconds);
  const where = describeUrl(options.url);

  const client = new Redis(options.url, {
    // Connect on the first command, so that creating the store never fails or crashes at start-up.
    lazyConnect: true,
    connectTimeout: 2_000,
    commandTimeout: 5_000,
    // A command waits through one reconnect attempt, then fails: a turn must not hang on a dead Redis.
    maxRetriesPerRequest: 1,
    // Keep reconnecting in the background with a capped backoff, so the store recovers when Redis comes back.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  let lastConnectionError: unknown = null;
  // Without a listener ioredis prints every failed reconnect; the failure reaches callers as a rejected promise.
  client.on('error', (error) => {
    lastConnectionError = error;
  });
  client.on('ready', () => {
    lastConnectionError = null;
  });

  const keyOf = (id: string) => `${keyPrefix}${id}`;

  /**
   * Runs one Redis operation and turns any failure into a StoreUnavailableError that says which store and why: a
   * failed command here means Redis is down, restarting or refusing writes, which a retry a little later fixes.
   */
  async function withRedis<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const failure = (reason: string, cause: unknown) => {
      const connection = lastConnectionError ? ` (connection: ${messageOf(lastConnectionError)})` : '';
      return new StoreUnavailableError(
        `Redis session store at ${where} could not ${operation}: ${reason}${connection}`,
        { cause },
      );
    };
    // While Redis is known to be down, fail at once instead of queueing behind the next reconnect attempt.
    if (client.status === 'reconnecting' && lastConnectionError) {
      throw failure('not connected', lastConnectionError);
    }
    try {
      return await run();
    } catch (error) {
      throw failure(messageOf(error), error);
    }
  }

  return {
    load(id) {
      return withRedis('load a session', async () => {
        const stored = await client.get(keyOf(id));
        return stored === null ? null : parseStoredSession(id, stored, options.onCorrupt);
      });
    },
    save(session) {
      return withRedis('save a session', async () => {
        await client.set(keyOf(session.id), JSON.stringify(session), 'EX', ttlSeconds);
      });
    },
    delete(id) {
      return withRedis('delete a session', async () => {
        await client.del(keyOf(id));
      });
    },
    countActive() {
      return withRedis('count sessions', async () => {
        // SCAN may return a key twice while Redis rehashes, so count distinct keys.
        const keys = new Set<string>();
        let cursor = '0';
        do {
          const [nextCursor, batch] = await client.scan(
            cursor,
            'MATCH',
            `${escapeGlob(keyPrefix)}*`,
            'COUNT',
            500,
          );
          for (const key of batch) keys.add(key);
          cursor = nextCursor;
        } while (cursor !== '0');
        return keys.size;
      });
    },
    ping() {
      return withRedis('answer a ping', async () => {
        await client.ping();
      });
    },
    close() {
      return closeRedisClient(client);
    },
  };
}
