import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { MemberSliceSource, budgetFor } from '../support/budget';
import {
  describeHazards,
  nameHazards,
  printableName,
} from '../support/memberName';
import { cappedEmitter, memberLocation, signal } from '../support/signals';
import {
  BLOCK,
  checksumMatches,
  isRegularFile,
  isZeroBlock,
  parsePaxRecords,
  parseTarHeader,
} from './tarHeader';

/** GNU long names and pax headers larger than this are not read (real ones are a few hundred bytes). */
const MAX_META_BYTES = 1024 * 1024;
/** tar pads archives to a multiple of its record size (20 blocks by default). */
const RECORD = 20 * BLOCK;
/** Members of PyTorch's pre-1.6 tar format. `storages` and `tensors` interleave pickles with raw data. */
const LEGACY_TORCH_MEMBERS = ['pickle', 'storages', 'tensors'];

/**
 * Tar reader: walks 512-byte headers (ustar, GNU `L`/`K`, pax `x`/`g`), validates each checksum and
 * hands regular files to the engine as windows (tar members are stored, so nothing is copied).
 */
export const tarReader: FormatReader = {
  id: 'tar',
  priority: 40,
  sniff(head) {
    if (head.length < BLOCK) return false;
    const block = head.subarray(0, BLOCK);
    if (isZeroBlock(block)) return false;
    const magic = String.fromCharCode(...block.subarray(257, 262));
    return magic === 'ustar' || checksumMatches(block);
  },
  read: readTar,
};

async function readTar(input: ReaderInput, ctx: ReaderContext): Promise<void> {
  const { source, location } = input;
  const budget = budgetFor(source, ctx.limits);
  const seen = new Map<string, number>();
  const emitCapped = cappedEmitter(ctx);
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  let globalPax = new Map<string, string>();
  let members = 0;
  let offset = 0;
  let ended = false;

  while (offset + BLOCK <= source.size) {
    ctx.checkDeadline();
    const block = await source.read(offset, BLOCK);
    if (isZeroBlock(block)) {
      ended = true;
      break;
    }
    if (!checksumMatches(block)) {
      ctx.emit(
        signal(
          'ARCHIVE-TAR-CHECKSUM',
          { ...location, offset },
          `Tar header at offset ${offset} fails its checksum; Python's tarfile stops here while other readers may go on, so nothing after it was analysed`,
          'checksum',
          { offset },
        ),
      );
      return;
    }
    const header = parseTarHeader(block);
    const size = pax.has('size') ? Number(pax.get('size')) : header.size;
    const dataOffset = offset + BLOCK;
    if (
      !Number.isSafeInteger(size) ||
      size < 0 ||
      dataOffset + size > source.size
    ) {
      ctx.emit(
        signal(
          'ARCHIVE-STRUCT',
          { ...location, offset },
          `Tar header at offset ${offset} declares ${size} bytes of data, beyond the end of the file`,
          'tar-size',
          { offset },
        ),
      );
      return;
    }
    offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;

    if (
      header.type === 'L' ||
      header.type === 'K' ||
      header.type === 'x' ||
      header.type === 'g'
    ) {
      if (size > MAX_META_BYTES) {
        ctx.emit(
          signal(
            'ARCHIVE-STRUCT',
            { ...location, offset: dataOffset },
            `Tar extended header of ${size} bytes is implausibly large; the walk stopped`,
            'tar-meta-size',
          ),
        );
        return;
      }
      const data = await source.read(dataOffset, size);
      if (header.type === 'L') longName = cString(data);
      else if (header.type === 'K') longLink = cString(data);
      else if (header.type === 'x') pax = parsePaxRecords(data);
      else globalPax = new Map([...globalPax, ...parsePaxRecords(data)]);
      continue;
    }

    const rawName =
      pax.get('path') ?? globalPax.get('path') ?? longName ?? header.name;
    const linkName = pax.get('linkpath') ?? longLink ?? header.linkName;
    longName = undefined;
    longLink = undefined;
    pax = new Map();
    const name = printableName(rawName);
    members++;
    if (members > ctx.limits.maxEntries) {
      ctx.emit(
        signal(
          'SCAN-LIMIT',
          location,
          `more than ${ctx.limits.maxEntries} members; the rest were not analysed`,
          'maxEntries',
          { limit: 'maxEntries' },
        ),
      );
      return;
    }
    seen.set(name, (seen.get(name) ?? 0) + 1);
    const hazards = nameHazards(rawName);
    if (hazards.length > 0) {
      emitCapped(
        'traversal',
        signal(
          'ARCHIVE-PATH-TRAVERSAL',
          memberLocation(location, name),
          `Member name ${name} ${describeHazards(hazards)}`,
          `traversal:${hazards.join(',')}`,
          { hazards },
        ),
      );
    }
    if (header.type === '1' || header.type === '2') {
      const kind = header.type === '2' ? 'symbolic' : 'hard';
      emitCapped(
        'link',
        signal(
          'ARCHIVE-LINK',
          memberLocation(location, name),
          `${name} is a ${kind} link to ${printableName(linkName)}`,
          `${kind}-link`,
          { target: printableName(linkName) },
        ),
      );
      continue;
    }
    if (isRegularFile(header.type) && !name.endsWith('/')) {
      await ctx.scanChild({
        name,
        source: new MemberSliceSource(source, dataOffset, size, budget),
      });
    }
  }

  for (const [name, count] of seen) {
    if (count > 1) {
      emitCapped(
        'duplicate',
        signal(
          'ARCHIVE-DUPLICATE',
          memberLocation(location, name),
          `${name} appears ${count} times; tarfile returns the last copy, other readers the first (every copy was scanned)`,
          'duplicate',
          { copies: count },
        ),
      );
    }
  }
  if (LEGACY_TORCH_MEMBERS.every(member => seen.has(member)))
    ctx.setFormat('pytorch-legacy-tar');
  if (!ended && offset < source.size) {
    ctx.emit(
      signal(
        'ARCHIVE-STRUCT',
        { ...location, offset },
        `Tar ends inside a header at offset ${offset} (truncated file?)`,
        'tar-truncated',
      ),
    );
  }
  const paddedEnd = Math.ceil((offset + 2 * BLOCK) / RECORD) * RECORD;
  if (ended && source.size > paddedEnd) {
    ctx.emit(
      signal(
        'ARCHIVE-POLYGLOT',
        location,
        `${source.size - paddedEnd} bytes follow the tar end-of-archive marker`,
        'suffix',
        { bytes: source.size - paddedEnd },
      ),
    );
  }
}

function cString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return new TextDecoder('utf-8', { fatal: false }).decode(
    nul === -1 ? bytes : bytes.subarray(0, nul),
  );
}
