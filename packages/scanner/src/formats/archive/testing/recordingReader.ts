import type { FormatReader } from '../../../engine/FormatReader';
import { readAll } from '../../../io/ByteSource';

export interface HandedMember {
  name: string;
  location: string[];
  content: string;
}

/**
 * A stand-in for the other readers: claims inputs whose name matches `claim` (content-blind, so it
 * sees what the archive readers hand over) and records them.
 */
export function recordingReader(
  claim: (name: string) => boolean = () => true,
  maxContent = 64,
): {
  reader: FormatReader;
  handed: HandedMember[];
} {
  const handed: HandedMember[] = [];
  const reader: FormatReader = {
    id: 'recorder',
    priority: 1,
    sniff: (_head, name) => claim(name),
    async read(input) {
      const bytes = await readAll(input.source);
      handed.push({
        name: input.name,
        location: input.location.entry ?? [],
        content: Buffer.from(bytes.subarray(0, maxContent)).toString('latin1'),
      });
    },
  };
  return { reader, handed };
}
