// What the SQLite and Postgres records stores share: the transcript row shape, and how stored rows become values.
import { z } from 'zod';
import { type HandoffPackage, handoffPackageSchema } from '../core/types.ts';
import type { TranscriptRecord } from './records-store.ts';

export interface TranscriptRow {
  session_id: string;
  turn_id: string;
  channel: string;
  locale: string;
  speaker: 'customer' | 'bot';
  text: string;
  intent: string | null;
  confidence: number | null;
  at: string;
}

export function toTranscriptRecord(row: TranscriptRow): TranscriptRecord {
  return {
    sessionId: row.session_id,
    turnId: row.turn_id,
    channel: row.channel,
    locale: row.locale,
    speaker: row.speaker,
    text: row.text,
    intent: row.intent,
    confidence: row.confidence,
    at: row.at,
  };
}

/** Rows were validated on the way in; parsing again on the way out catches a row edited by hand. */
export function toHandoffPackage(id: string, stored: unknown): HandoffPackage {
  const parsed = handoffPackageSchema.safeParse(stored);
  if (!parsed.success) {
    throw new Error(`stored handoff package ${id} is invalid: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** created_at is compared as text, so offsets like +02:00 are brought to UTC first; unparseable text is kept as is. */
export function sortableTimestamp(iso: string): string {
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? iso : parsed.toISOString();
}

/** One of a customer's sessions as both stores select it: a link, or a session only their handoff packages name. */
export interface CustomerSessionRow {
  session_id: string;
  linked_at: string;
}

export function toCustomerSession(row: CustomerSessionRow): { sessionId: string; linkedAt: string } {
  return { sessionId: row.session_id, linkedAt: row.linked_at };
}

/** A package as a store writes it: parsed (unknown fields dropped), or an error naming what is wrong. */
export function validHandoffPackage(pkg: HandoffPackage): HandoffPackage {
  const parsed = handoffPackageSchema.safeParse(pkg);
  if (!parsed.success) {
    throw new Error(`invalid handoff package ${String(pkg?.id)}: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
