// Reads the header of a RIFF/WAVE stream as it arrives. espeak-ng writes its WAV to stdout before it knows the length,
// so the chunk sizes say 0x7fffffff and the data simply runs until the stream ends.

export interface WavFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 1 = integer PCM */
  audioFormat: number;
  /** where the sample data starts */
  dataOffset: number;
}

export class WavError extends Error {}

/** The format, or null while the header has not fully arrived yet. */
export function readWavHeader(bytes: Buffer): WavFormat | null {
  if (bytes.length < 12) return null;
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavError('not a RIFF/WAVE stream');
  }
  let offset = 12;
  let format: Omit<WavFormat, 'dataOffset'> | null = null;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') {
      if (!format) throw new WavError('data chunk before fmt chunk');
      return { ...format, dataOffset: offset + 8 };
    }
    if (offset + 8 + size > bytes.length) return null;
    if (id === 'fmt ') {
      format = {
        audioFormat: bytes.readUInt16LE(offset + 8),
        channels: bytes.readUInt16LE(offset + 10),
        sampleRate: bytes.readUInt32LE(offset + 12),
        bitsPerSample: bytes.readUInt16LE(offset + 22),
      };
    }
    // Chunks are padded to an even length.
    offset += 8 + size + (size % 2);
  }
  return null;
}
