// Shared fixtures for the entity extraction tests: a fixed "now" and a value-only shorthand.

import {
  type BuiltinEntityType,
  type ExtractContext,
  extractBuiltin,
} from '../../../fulfillment/nlu/entities/extract.ts';

/** Sunday 22 November 2026, 10:00 in Amsterdam. */
export const NOW = new Date('2026-11-22T10:00:00+01:00');
export const NL: ExtractContext = { locale: 'nl-NL', now: NOW };
export const EN: ExtractContext = { locale: 'en-US', now: NOW };

export const extractedValue = (type: BuiltinEntityType, text: string, ctx: ExtractContext): string | null =>
  extractBuiltin(type, text, ctx)?.value ?? null;
