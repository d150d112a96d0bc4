import type { ByteSource } from '../../../io/ByteSource';
import type { Location } from '../../../model/evidence';
import type { ReaderContext } from '../../../engine/FormatReader';
import type { ExtractionBudget } from '../support/budget';
import { decodeName, printableName } from '../support/memberName';
import { signal } from '../support/signals';
import { handOverMember } from './zipMember';
import {
  SIG_DATA_DESCRIPTOR,
  u32,
  FLAG_DATA_DESCRIPTOR,
  FLAG_UTF8,
  LOCAL_HEADER_SIZE,
  localSizes,
  parseLocalHeader,
} from './zipStructure';

/**
 * Without a usable central directory, walks local headers from the start of the file the way a
 * lenient streaming loader would, and hands every member it can delimit to the engine. The
 * structural problem itself is reported by the caller; this reports where the walk had to stop.
 */
export async function walkLocalHeaders(
  source: ByteSource,
  location: Location,
  ctx: ReaderContext,
  budget: ExtractionBudget,
): Promise<number> {
  let offset = 0;
  let members = 0;
  while (offset + LOCAL_HEADER_SIZE <= source.size) {
    ctx.checkDeadline();
    if (members >= ctx.limits.maxEntries) {
      ctx.emit(
        signal(
          'SCAN-LIMIT',
          location,
          `more than ${ctx.limits.maxEntries} members; the rest were not analysed`,
          'maxEntries',
          { limit: 'maxEntries' },
        ),
      );
      break;
    }
    const header = parseLocalHeader(
      await source.read(offset, LOCAL_HEADER_SIZE),
    );
    if (!header) break;
    const variable = await source.read(
      offset + LOCAL_HEADER_SIZE,
      header.nameLength + header.extraLength,
    );
    const name = printableName(
      decodeName(
        variable.subarray(0, header.nameLength),
        (header.flags & FLAG_UTF8) !== 0,
      ),
    );
    const sizes = localSizes(header, variable.subarray(header.nameLength));
    const dataOffset =
      offset + LOCAL_HEADER_SIZE + header.nameLength + header.extraLength;
    if (header.flags & FLAG_DATA_DESCRIPTOR && sizes.compressedSize === 0) {
      ctx.emit(
        signal(
          'ARCHIVE-STRUCT',
          location,
          `local-header walk stopped at ${name}: its size is only in a data descriptor and there is no central directory to find it`,
          'walk-stopped',
          {
            offset,
          },
        ),
      );
      break;
    }
    members++;
    await handOverMember(
      {
        name,
        method: header.method,
        flags: header.flags,
        crc32: header.crc32,
        dataOffset,
        ...sizes,
      },
      { archive: source, container: location, ctx, budget },
    );
    offset = dataOffset + sizes.compressedSize;
    if (header.flags & FLAG_DATA_DESCRIPTOR) {
      const signed =
        u32(await source.read(offset, 4), 0) === SIG_DATA_DESCRIPTOR;
      offset += signed ? 16 : 12;
    }
  }
  return members;
}
