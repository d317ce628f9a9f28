// What one retention round decides, as pure functions of the settings and the clock: up to when records are old
// enough to go, and how a waiting handoff nobody took becomes expired.
import type { HandoffPackage } from '../core/types.ts';
import type { RetentionSettings } from './settings.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface RetentionCutoffs {
  /** transcript records from before this moment (ISO) are deleted, and older packages' transcripts removed */
  transcriptsBefore: string;
  /** handoffs created before this moment (ISO) that are still waiting expire */
  expireWaitingBefore: string;
}

export function retentionCutoffs(
  settings: Pick<RetentionSettings, 'retentionDays' | 'handoffExpireHours'>,
  now: Date,
): RetentionCutoffs {
  return {
    transcriptsBefore: new Date(now.getTime() - settings.retentionDays * DAY_MS).toISOString(),
    expireWaitingBefore: new Date(now.getTime() - settings.handoffExpireHours * HOUR_MS).toISOString(),
  };
}

/** Compared as instants, so a package stored with an offset (+02:00) is judged by its real age. */
export function isDueToExpire(pkg: HandoffPackage, cutoffs: RetentionCutoffs): boolean {
  return pkg.status === 'waiting' && Date.parse(pkg.createdAt) < Date.parse(cutoffs.expireWaitingBefore);
}

/**
 * A desk change: a waiting handoff becomes expired. Anything else (an agent accepted it meanwhile, another instance
 * expired it first) is returned as it is, which the desk treats as "nothing to store": so running twice is harmless.
 */
export function expireHandoff(now: Date): (current: HandoffPackage) => HandoffPackage {
  return (current) =>
    current.status === 'waiting' ? { ...current, status: 'expired', updatedAt: now.toISOString() } : current;
}
