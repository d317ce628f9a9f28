// Cross-channel continuity: a caller who phones in with the code a smart speaker gave them, or from the number of a
// recent handoff, is recognised; the new handoff carries the earlier package, so the colleague has the whole story.
import type { HandoffPackage } from '../core/types.ts';
import type { ResumableHandoff } from '../dialogue/decision.ts';
import type { RecordsStore } from '../stores/records-store.ts';
import type { HandoffDesk } from './desk.ts';
import { callerKeyOf } from './package.ts';
import { appendToSummary, summaryClause } from './summary.ts';
import type { HandoffWords } from './words.ts';

/** A code is spoken on a speaker and used when the customer gets round to calling: give it a week. */
export const CODE_VALID_MS = 7 * 24 * 60 * 60 * 1000;
/** Calling again from the same number is only likely to be about the same thing for a day. */
export const CALLER_MATCH_MS = 24 * 60 * 60 * 1000;
/** how many waiting handoffs a caller-id match looks through (newest first) */
const CALLER_SCAN_LIMIT = 500;
const MAX_TRANSCRIPT_ENTRIES = 200;

export interface ResumableQuery {
  /** six digits, spoken or keyed */
  code?: string;
  /** the caller id of the phone line, as the platform sent it */
  callerId?: string;
}

function isRecent(pkg: HandoffPackage, now: Date, windowMs: number): boolean {
  const created = new Date(pkg.createdAt).getTime();
  return (
    Number.isFinite(created) && now.getTime() - created <= windowMs && now.getTime() - created >= -60_000
  );
}

function resumable(pkg: HandoffPackage, words: HandoffWords | null): ResumableHandoff {
  const first = pkg.intents.find((entry) => words?.intents[entry.intent]?.topic);
  return {
    id: pkg.id,
    code: pkg.code,
    reason: pkg.reason,
    queue: pkg.queue,
    topic: first ? (words?.intents[first.intent]?.topic ?? null) : null,
  };
}

/** The waiting handoff this caller is probably phoning about, or null. A code wins over the caller id. */
export async function findResumableHandoff(
  records: RecordsStore,
  query: ResumableQuery,
  wordsFor: (locale: string) => HandoffWords | null,
  now: Date,
): Promise<ResumableHandoff | null> {
  if (query.code && /^\d{6}$/.test(query.code)) {
    const byCode = await records.getHandoffByCode(query.code);
    if (byCode?.status === 'waiting' && isRecent(byCode, now, CODE_VALID_MS)) {
      return resumable(byCode, wordsFor(byCode.locale));
    }
  }
  if (query.callerId) {
    const key = callerKeyOf(query.callerId);
    const since = new Date(now.getTime() - CALLER_MATCH_MS).toISOString();
    // An indexed lookup where the store has one; otherwise the newest waiting handoffs, parsed one by one.
    const waiting = records.findWaitingByCallerKey
      ? await records.findWaitingByCallerKey(key, since)
      : await records.listHandoffs({ status: 'waiting', limit: CALLER_SCAN_LIMIT });
    // Only handoffs that ended in a code or a callback: a call already put through is with a person.
    const match = waiting.find(
      (pkg) => pkg.callerKey === key && pkg.transferred !== true && isRecent(pkg, now, CALLER_MATCH_MS),
    );
    if (match) return resumable(match, wordsFor(match.locale));
  }
  return null;
}

/**
 * Stores a handoff that continues an earlier one: it takes over the earlier intents, transcript and customer, and
 * the earlier package leaves the queue (resolved, `continuedBy` the new one), so nobody calls the customer twice.
 */
export async function storeContinuedHandoff(
  desk: HandoffDesk,
  records: RecordsStore,
  pkg: HandoffPackage,
  wordsFor: (locale: string) => HandoffWords | null,
  now: Date,
): Promise<HandoffPackage> {
  const previous = pkg.previousHandoffId ? await records.getHandoff(pkg.previousHandoffId) : null;
  if (!previous) return desk.create(pkg);
  const seen = new Set(pkg.intents.map((entry) => `${entry.intent}@${entry.at}`));
  const merged: HandoffPackage = {
    ...pkg,
    customer: pkg.customer?.verified ? pkg.customer : (previous.customer ?? pkg.customer),
    intents: [
      ...previous.intents.filter((entry) => !seen.has(`${entry.intent}@${entry.at}`)),
      ...pkg.intents,
    ],
    tried: [...new Set([...previous.tried, ...pkg.tried])],
    transcript: [...previous.transcript, ...pkg.transcript].slice(-MAX_TRANSCRIPT_ENTRIES),
    summary: appendToSummary(
      previous.summary,
      summaryClause('continued', { code: previous.code }, wordsFor(pkg.locale), pkg.locale),
    ),
    callback: previous.callback ?? null,
  };
  const stored = await desk.create(merged);
  await desk.update(
    previous.id,
    (current) =>
      current.status === 'waiting'
        ? { ...current, status: 'resolved', continuedBy: stored.id, updatedAt: now.toISOString() }
        : current,
    'system',
  );
  return stored;
}
