// Cuts a stream of 8 kHz μ-law bytes into 20 ms frames (160 bytes), the unit a phone line and a media stream carry.

export const SAMPLE_RATE = 8_000;
export const FRAME_MS = 20;
export const FRAME_BYTES = (SAMPLE_RATE * FRAME_MS) / 1_000;
/** μ-law silence */
export const MULAW_SILENCE = 0xff;

export interface Framer {
  /** whole frames from what has arrived so far */
  push: (bytes: Uint8Array) => Buffer[];
  /** the rest, padded with silence to a whole frame */
  flush: () => Buffer[];
}

export function createFramer(): Framer {
  let pending = Buffer.alloc(0);
  return {
    push: (bytes) => {
      pending = Buffer.concat([pending, bytes]);
      const frames: Buffer[] = [];
      while (pending.length >= FRAME_BYTES) {
        frames.push(pending.subarray(0, FRAME_BYTES));
        pending = pending.subarray(FRAME_BYTES);
      }
      return frames;
    },
    flush: () => {
      if (pending.length === 0) return [];
      const frame = Buffer.alloc(FRAME_BYTES, MULAW_SILENCE);
      pending.copy(frame);
      pending = Buffer.alloc(0);
      return [frame];
    },
  };
}
