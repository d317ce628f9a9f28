// Deterministic UUIDs for exported resources, so exporting an unchanged model gives byte-identical files
// (reviewable diffs in source control, as the CX JSON package format intends).
import { createHash } from 'node:crypto';

/** A name-based UUID (RFC 4122 version 5 layout) from the given parts. */
export function stableUuid(...parts: string[]): string {
  const bytes = createHash('sha1')
    .update(`loket:${parts.join('\u0000')}`)
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
