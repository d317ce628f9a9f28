// Handoff change events for the agent console (SSE). In-process with one instance; with REDIS_URL set the Redis pub/sub
// bus (events-redis.ts) implements the same interface, so every instance's console hears every instance's handoffs.
import type { HandoffPackage } from '../core/types.ts';

/** What an agent's queue shows: the package without its transcript (fetched with the detail) and the caller key. */
export type HandoffListItem = Omit<HandoffPackage, 'transcript' | 'callerKey'> & { transcriptLength: number };

export interface HandoffEvent {
  type: 'handoff.created' | 'handoff.updated';
  /**
   * who changed it: a customer's turn, an agent, the webhook delivery, Loket itself (a continued handoff), or the
   * retention job (a waiting handoff nobody took expired)
   */
  cause: 'turn' | 'agent' | 'delivery' | 'system' | 'expiry';
  handoff: HandoffListItem;
}

export type HandoffEventListener = (event: HandoffEvent) => void;

export interface HandoffEventBus {
  /** resolves once the event is handed to the transport (at once in-process; after PUBLISH with Redis) */
  publish(event: HandoffEvent): Promise<void>;
  /** returns the unsubscribe function; a listener that throws never stops the others */
  subscribe(listener: HandoffEventListener): () => void;
  /** number of listeners, for tests and metrics */
  listenerCount(): number;
  close(): Promise<void>;
}

export function toListItem(pkg: HandoffPackage): HandoffListItem {
  const { transcript, callerKey: _callerKey, ...rest } = pkg;
  return { ...rest, transcriptLength: transcript.length };
}

export function createInProcessEventBus(
  options: { onListenerError?: (error: unknown) => void } = {},
): HandoffEventBus {
  const listeners = new Set<HandoffEventListener>();
  return {
    async publish(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          options.onListenerError?.(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    listenerCount: () => listeners.size,
    async close() {
      listeners.clear();
    },
  };
}
