import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { signal } from '../support/signals';

interface Wrapper {
  format: string;
  matches(head: Uint8Array): boolean;
}

const startsWith = (head: Uint8Array, bytes: number[]) =>
  bytes.every((byte, i) => head[i] === byte);

/** Compressed containers Node cannot open without a library. joblib and others decompress them transparently. */
const WRAPPERS: Wrapper[] = [
  {
    format: 'zstd',
    matches: head => startsWith(head, [0x28, 0xb5, 0x2f, 0xfd]),
  },
  {
    format: 'lz4',
    matches: head => startsWith(head, [0x04, 0x22, 0x4d, 0x18]),
  },
  {
    format: '7z',
    matches: head => startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]),
  },
  {
    format: 'rar',
    matches: head => startsWith(head, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]),
  },
];

/**
 * Recognises containers we cannot decompress and says so: their content was not analysed, which
 * must never read as a pass.
 */
export const unsupportedCompressionReader: FormatReader = {
  id: 'compressed-unsupported',
  priority: 45,
  sniff: head => WRAPPERS.some(wrapper => wrapper.matches(head)),
  async read(input: ReaderInput, ctx: ReaderContext) {
    const wrapper = WRAPPERS.find(candidate => candidate.matches(input.head));
    const format = wrapper?.format ?? 'unknown';
    ctx.setFormat(format);
    ctx.emit(
      signal(
        'ARCHIVE-UNSUPPORTED',
        input.location,
        `${input.name} is ${format}-compressed; the scanner cannot decompress ${format}, so its content was not analysed`,
        `container:${format}`,
        {
          format,
        },
      ),
    );
  },
};
