import type { ReaderContext } from '../../../engine/FormatReader';
import { LimitExceededError } from '../../../engine/errors';
import { BufferedSource } from '../common/BufferedSource';
import type { ByteSource } from '../../../io/ByteSource';
import { ProtoReader } from './wire';

/** Fields visited per file before giving up; real models stay far below (a node is ~10 fields). */
export const MAX_PROTO_FIELDS = 3_000_000;

/**
 * A ProtoReader bound to a reader context: checks the time budget as it goes and stops once more
 * than `maxHeaderBytes` of structure has been fetched (payloads skipped by offset do not count).
 */
export function protoReaderFor(
  source: ByteSource,
  ctx: ReaderContext,
): ProtoReader {
  const buffered = new BufferedSource(source);
  return new ProtoReader(buffered, {
    maxFields: MAX_PROTO_FIELDS,
    onProgress: () => {
      ctx.checkDeadline();
      if (buffered.fetched > ctx.limits.maxHeaderBytes) {
        throw new LimitExceededError(
          'maxHeaderBytes',
          `more than ${ctx.limits.maxHeaderBytes} bytes of protobuf structure`,
        );
      }
    },
  });
}
