// The one way handoff packages are written after a turn created them: changes to one package run one at a time,
// each is stored, then announced on the event bus (the console) and to the webhook outbox.
import type { HandoffPackage } from '../core/types.ts';
import type { RecordsStore } from '../stores/records-store.ts';
import { type HandoffEvent, type HandoffEventBus, toListItem } from './events.ts';

export type HandoffChangeCause = HandoffEvent['cause'];

/** Why a change was refused, in HTTP terms, so the agent API can pass it on as is. */
export interface HandoffRefusal {
  status: 403 | 404 | 409;
  error: string;
  message: string;
}

export type HandoffChange = (current: HandoffPackage) => HandoffPackage | { refused: HandoffRefusal };

export type HandoffUpdateResult = { ok: true; handoff: HandoffPackage } | ({ ok: false } & HandoffRefusal);

export interface HandoffDesk {
  /** store a package a turn just built, and announce it */
  create(pkg: HandoffPackage, cause?: HandoffChangeCause): Promise<HandoffPackage>;
  /** read, change and store one package, never two changes to the same package at once */
  update(id: string, change: HandoffChange, cause: HandoffChangeCause): Promise<HandoffUpdateResult>;
}

export interface HandoffDeskOptions {
  records: RecordsStore;
  events: HandoffEventBus;
  /** adjusts a package before it is stored (the outbox marks it for delivery) */
  beforeSave?: (pkg: HandoffPackage, cause: HandoffChangeCause) => HandoffPackage;
  /** after it is stored and announced (the outbox schedules the delivery) */
  afterSave?: (pkg: HandoffPackage, cause: HandoffChangeCause) => void;
  onPublishError?: (error: unknown) => void;
}

export function createHandoffDesk(options: HandoffDeskOptions): HandoffDesk {
  const { records, events } = options;
  // Per package id, the tail of its queue of changes: within one process, changes to a package wait their turn here
  // rather than on the store's lock. Across instances the store's updateHandoff serialises them.
  const queues = new Map<string, Promise<unknown>>();

  function serialized<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    queues.set(id, tail);
    void tail.then(() => {
      if (queues.get(id) === tail) queues.delete(id);
    });
    return next;
  }

  /** Tell the consoles and the outbox about a package that is stored now. */
  async function announce(stored: HandoffPackage, type: HandoffEvent['type'], cause: HandoffChangeCause) {
    // The console hearing late is better than the customer's turn failing: a failed publish is logged, not thrown.
    await events
      .publish({ type, cause, handoff: toListItem(stored) })
      .catch((error) => options.onPublishError?.(error));
    options.afterSave?.(stored, cause);
    return stored;
  }

  const prepare = (pkg: HandoffPackage, cause: HandoffChangeCause) =>
    options.beforeSave ? options.beforeSave(pkg, cause) : pkg;

  return {
    create(pkg, cause = 'turn') {
      return serialized(pkg.id, async () => {
        const prepared = prepare(pkg, cause);
        await records.saveHandoff(prepared);
        return announce(prepared, 'handoff.created', cause);
      });
    },
    update(id, change, cause) {
      return serialized(id, async (): Promise<HandoffUpdateResult> => {
        // Read, change and write in one step of the store (a row lock in Postgres), so that two instances changing
        // one package at once are served one after the other: the second agent to press "accept" gets a 409.
        let refusal: HandoffRefusal | null = null;
        const outcome = await records.updateHandoff(id, (current) => {
          refusal = null;
          const changed = change(current);
          if ('refused' in changed) {
            refusal = changed.refused;
            return null;
          }
          return changed === current ? null : prepare(changed, cause);
        });
        if (!outcome) return { ok: false, status: 404, error: 'not-found', message: `no handoff ${id}` };
        const refused = refusal as HandoffRefusal | null;
        if (refused) return { ok: false, ...refused };
        if (!outcome.after) return { ok: true, handoff: outcome.before };
        return { ok: true, handoff: await announce(outcome.after, 'handoff.updated', cause) };
      });
    },
  };
}
