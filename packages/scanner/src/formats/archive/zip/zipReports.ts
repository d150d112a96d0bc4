/** What the directory's names, flags and byte layout say about an archive, reported as signals. */
import type { ReaderContext, ReaderInput } from '../../../engine/FormatReader';
import type { Location } from '../../../model/evidence';
import { describeHazards, nameHazards } from '../support/memberName';
import { cappedEmitter, memberLocation, signal } from '../support/signals';
import { analyseSpans, unusualFlags, type SpanTable } from './zipChecks';
import type { DirectoryLocation } from './zipDirectory';
import { isSymlinkRow, type DirectoryTable } from './zipDirectoryTable';
import type { LocatedMembers } from './zipLocalHeaders';
import type { MemberNames } from './zipNames';
import { FLAG_DATA_DESCRIPTOR } from './zipStructure';

/** Duplicate names, unsafe names, links and unusual flags. */
export function reportNames(
  table: DirectoryTable,
  names: MemberNames,
  location: Location,
  ctx: ReaderContext,
): void {
  const emitCapped = cappedEmitter(ctx);
  // The name index already tells whether any name repeats; decode and count copies only then.
  const counts = new Map<string, number>();
  if (!names.distinct)
    for (const name of names.texts())
      counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (count > 1) {
      emitCapped(
        'duplicate',
        signal(
          'ARCHIVE-DUPLICATE',
          memberLocation(location, name),
          `${name} appears ${count} times; loaders disagree on which copy they read (every copy was scanned)`,
          'duplicate',
          { copies: count },
        ),
      );
    }
  }
  for (const row of rowsToNote(names.hazardRows, table.noteRows)) {
    const hazards = names.mayHaveHazard(row) ? nameHazards(names.raw(row)) : [];
    const symlink = isSymlinkRow(table, row);
    const unusual = unusualFlags(table.flags[row]);
    if (hazards.length === 0 && !symlink && !unusual) continue;
    const name = names.text(row);
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
    if (symlink) {
      emitCapped(
        'link',
        signal(
          'ARCHIVE-LINK',
          memberLocation(location, name),
          `${name} is a symbolic link`,
          'symlink',
        ),
      );
    }
    if (unusual) {
      emitCapped(
        'flags',
        signal(
          'ARCHIVE-ZIP-FLAGS',
          memberLocation(location, name),
          `${name} sets unusual general-purpose flag bits 0x${unusual.toString(
            16,
          )}`,
          'flags',
          { flags: table.flags[row] },
        ),
      );
    }
  }
}

/** The union of two ascending row lists, ascending: the rows whose name, link bit or flags may need a report. */
function rowsToNote(a: readonly number[], b: readonly number[]): number[] {
  const rows: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) rows.push(a[i++]);
    else if (i >= a.length || b[j] < a[i]) rows.push(b[j++]);
    else {
      rows.push(a[i++]);
      j++;
    }
  }
  return rows;
}

/** The spans of the members whose local header was found, in directory order. */
function memberSpans(
  table: DirectoryTable,
  located: LocatedMembers,
  prefix: number,
): SpanTable {
  const spans: SpanTable = {
    count: 0,
    row: new Uint32Array(table.count),
    start: new Float64Array(table.count),
    end: new Float64Array(table.count),
    hasDescriptor: new Uint8Array(table.count),
    inOrder: true,
    lastEnd: 0,
  };
  // Order and the largest end are noted while the columns fill: one pass over the rows, not three.
  let previousStart = -1;
  let previousEnd = -1;
  let inOrder = true;
  let lastEnd = 0;
  for (let row = 0; row < table.count; row++) {
    const dataOffset = located.dataOffset[row];
    if (Number.isNaN(dataOffset)) continue;
    const i = spans.count++;
    const start = table.localOffset[row] + prefix;
    const end = dataOffset + table.compressedSize[row];
    spans.row[i] = row;
    spans.start[i] = start;
    spans.end[i] = end;
    spans.hasDescriptor[i] = table.flags[row] & FLAG_DATA_DESCRIPTOR ? 1 : 0;
    if (end > lastEnd) lastEnd = end;
    if (previousStart > start || (previousStart === start && previousEnd > end))
      inOrder = false;
    previousStart = start;
    previousEnd = end;
  }
  spans.inOrder = inOrder;
  spans.lastEnd = lastEnd;
  return spans;
}

/** Prepended or appended content, overlapping entries, and bytes that no entry accounts for. */
export function reportLayoutAnomalies(
  table: DirectoryTable,
  names: MemberNames,
  located: LocatedMembers,
  directory: DirectoryLocation,
  input: ReaderInput,
  ctx: ReaderContext,
  stoppedEarly: boolean,
): void {
  const { location, source } = input;
  if (directory.prefix > 0) {
    ctx.emit(
      signal(
        'ARCHIVE-POLYGLOT',
        location,
        `${directory.prefix} bytes precede the zip proper (its offsets are relative to byte ${directory.prefix}): the file is another format with a zip appended`,
        'prefix',
        { bytes: directory.prefix },
      ),
    );
  }
  if (directory.archiveEnd < source.size) {
    ctx.emit(
      signal(
        'ARCHIVE-POLYGLOT',
        location,
        `${source.size - directory.archiveEnd} bytes follow the end of the zip`,
        'suffix',
        { bytes: source.size - directory.archiveEnd },
      ),
    );
  }
  const report = analyseSpans(
    memberSpans(table, located, directory.prefix),
    directory.prefix,
    directory.cdStart,
  );
  const emitCapped = cappedEmitter(ctx);
  for (const overlap of report.overlaps) {
    const first = names.text(overlap.first);
    const second = names.text(overlap.second);
    emitCapped(
      'overlap',
      signal(
        'ARCHIVE-ZIP-OVERLAP',
        memberLocation(location, second),
        `${second} overlaps ${first} at offset ${overlap.at}: the two entries share bytes`,
        `overlap:${first}`,
        { other: first, offset: overlap.at },
      ),
    );
  }
  // After stopping at the member limit the unparsed members' bytes look like gaps: they are not.
  for (const gap of stoppedEarly ? [] : report.gaps) {
    emitCapped(
      'gap',
      signal(
        'ARCHIVE-ZIP-OVERLAP',
        { ...location, offset: gap.start },
        `${gap.end - gap.start} bytes at offset ${
          gap.start
        } belong to no central directory entry (hidden content only a local-header walker sees)`,
        `gap:${gap.start === directory.prefix ? 'start' : 'between'}`,
        { offset: gap.start, bytes: gap.end - gap.start },
      ),
    );
  }
  if (report.lastEnd > directory.cdStart) {
    ctx.emit(
      signal(
        'ARCHIVE-ZIP-OVERLAP',
        location,
        `member data runs into the central directory at offset ${directory.cdStart}`,
        'overlap:central-directory',
      ),
    );
  }
}
