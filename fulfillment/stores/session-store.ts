// The session store contract, the parsing every implementation shares, and the in-memory store used by tests.
import { type Session, sessionSchema } from '../core/types.ts';

export interface SessionStore {
  /**
   * null when missing or expired; a stored session that no longer parses with sessionSchema is treated as
   * missing (and reported through the optional onCorrupt callback), never thrown
   */
  load(id: string): Promise<Session | null>;
  /** stores the session and resets its inactivity expiry */
  save(session: Session): Promise<void>;
  delete(id: string): Promise<void>;
  /** sessions that have not expired yet */
  countActive(): Promise<number>;
  /** resolves when the store answers (for /readyz); optional: without it, readiness calls countActive */
  ping?: () => Promise<void>;
  close(): Promise<void>;
}

/**
 * A store that cannot be reached right now (Redis down or restarting), as opposed to a bug: the text API answers
 * 503 with Retry-After, the voice channels apologise, and the next turn after the store is back goes on.
 * `isStoreUnavailable` (store-unavailable.ts) recognises it by name, also as the `cause` of another error.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export interface SessionStoreOptions {
  /** inactivity expiry: a session is gone this many seconds after its last save */
  ttlSeconds: number;
  now?: () => Date;
  onCorrupt?: (id: string, error: unknown) => void;
}

/**
 * Turns stored text back into a Session. A session written by an older release (or damaged by hand) must not
 * break the conversation: the customer simply starts fresh, and the operator hears about it via onCorrupt.
 */
export function parseStoredSession(
  id: string,
  storedText: string,
  onCorrupt: SessionStoreOptions['onCorrupt'],
): Session | null {
  let stored: unknown;
  try {
    stored = JSON.parse(storedText);
  } catch (error) {
    onCorrupt?.(id, error);
    return null;
  }
  const parsed = sessionSchema.safeParse(stored);
  if (!parsed.success) {
    onCorrupt?.(id, parsed.error);
    return null;
  }
  return parsed.data;
}

export function assertValidTtl(ttlSeconds: number): void {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new Error(`session ttlSeconds must be a positive number, got ${ttlSeconds}`);
  }
}

/** What the memory store keeps per session: the JSON text, so that callers cannot mutate a stored session. */
export interface MemorySessionEntry {
  json: string;
  expiresAtMs: number;
}

export interface MemorySessionStoreOptions extends SessionStoreOptions {
  /** the backing map; pass one in to look at (or tamper with) what is stored */
  entries?: Map<string, MemorySessionEntry>;
}

export function createMemorySessionStore(options: MemorySessionStoreOptions): SessionStore {
  assertValidTtl(options.ttlSeconds);
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlSeconds * 1000;
  const entries = options.entries ?? new Map<string, MemorySessionEntry>();

  const isExpired = (entry: MemorySessionEntry) => entry.expiresAtMs <= now().getTime();

  return {
    async load(id) {
      const entry = entries.get(id);
      if (!entry) return null;
      if (isExpired(entry)) {
        entries.delete(id);
        return null;
      }
      return parseStoredSession(id, entry.json, options.onCorrupt);
    },
    async save(session) {
      entries.set(session.id, { json: JSON.stringify(session), expiresAtMs: now().getTime() + ttlMs });
    },
    async delete(id) {
      entries.delete(id);
    },
    async countActive() {
      let active = 0;
      for (const [id, entry] of entries) {
        if (isExpired(entry)) entries.delete(id);
        else active++;
      }
      return active;
    },
    async close() {},
  };
}
