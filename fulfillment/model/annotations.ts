// Inline slot annotations in training phrases: `waar blijft order [45123](orderNumber)`.

import type { AnnotatedPhrase } from './schema.ts';

const annotationPattern = /\[([^\]]+)\]\(([A-Za-z][A-Za-z0-9]*)\)/g;

export interface RawAnnotation {
  slot: string;
  value: string;
  /** offset of the `[` in the raw phrase, for error positions */
  rawOffset: number;
}

export function findAnnotations(raw: string): RawAnnotation[] {
  return [...raw.matchAll(annotationPattern)].map((match) => ({
    slot: match[2] ?? '',
    value: match[1] ?? '',
    rawOffset: match.index ?? 0,
  }));
}

/** Resolve annotations into plain text plus slot spans within that text. */
export function parseAnnotatedPhrase(raw: string): AnnotatedPhrase {
  const slots: AnnotatedPhrase['slots'] = [];
  let text = '';
  let last = 0;
  for (const match of raw.matchAll(annotationPattern)) {
    const index = match.index ?? 0;
    text += raw.slice(last, index);
    const value = match[1] ?? '';
    slots.push({ slot: match[2] ?? '', value, start: text.length, end: text.length + value.length });
    text += value;
    last = index + match[0].length;
  }
  text += raw.slice(last);
  return { text, slots };
}

/** Case, punctuation and spacing do not make two phrases different. */
export function phraseIdentity(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
