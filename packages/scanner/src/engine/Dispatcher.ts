// Sniffs each input and runs the readers that claim it, with the context containers scan members by.
import { basename } from 'node:path';
import type { ByteSource } from '../io/ByteSource';
import type { Location } from '../model/evidence';
import type { ScanLimits } from '../model/limits';
import type { FileRecord } from '../model/finding';
import type {
  FormatReader,
  ReaderContext,
  ReaderOptions,
  ChildInput,
} from './FormatReader';
import {
  SNIFF_BYTES,
  TAIL_BYTES,
  selectReaders,
  selectTailReaders,
} from './sniff';
import { ScanTimeoutError } from './errors';
import type { Collector } from './Collector';
import { errorSignal } from './errorSignal';
import { MODEL_EXTENSIONS, extensionOf } from './modelExtensions';
import { searchArchiveMember } from '../secrets/archiveMembers';

/** What the scanner that owns a dispatcher decided for all its scans. */
export interface DispatcherSettings {
  limits: ScanLimits;
  readers: readonly FormatReader[];
  readerOptions: ReaderOptions;
  /** Archive members are searched for secrets too. */
  searchesSecrets: boolean;
}

/** Runs the format readers over a top-level file and, depth by depth, over the members they hand back. */
export class Dispatcher {
  private readonly limits: ScanLimits;
  private readonly readers: readonly FormatReader[];
  private readonly readerOptions: ReaderOptions;
  private readonly searchesSecrets: boolean;

  constructor(settings: DispatcherSettings) {
    this.limits = settings.limits;
    this.readers = settings.readers;
    this.readerOptions = settings.readerOptions;
    this.searchesSecrets = settings.searchesSecrets;
  }

  /** Scans one file at depth 0, under its own time budget. */
  async scanTopLevel(
    source: ByteSource,
    path: string,
    record: FileRecord,
    collector: Collector,
  ) {
    const deadline = Date.now() + this.limits.fileTimeoutMs;
    await this.dispatch({
      source,
      name: basename(path),
      location: { path },
      depth: 0,
      deadline,
      record,
      collector,
    });
  }

  private async dispatch(input: {
    source: ByteSource;
    name: string;
    location: Location;
    depth: number;
    deadline: number;
    record: FileRecord;
    collector: Collector;
    options?: ReaderOptions;
  }): Promise<void> {
    const { source, name, location, depth, deadline, record, collector } =
      input;
    const options = input.options ?? this.readerOptions;
    const head = await source.read(0, SNIFF_BYTES);
    const [reader] = selectReaders(this.readers, head, name, source.size);
    const readers = reader ? [reader] : [];
    // Only pay for a tail read when some other reader could claim the input by its end.
    if (this.readers.some(each => each !== reader && each.sniffTail)) {
      const tail =
        source.size <= head.length
          ? head
          : await source.read(
              Math.max(0, source.size - TAIL_BYTES),
              TAIL_BYTES,
            );
      readers.push(
        ...selectTailReaders(this.readers, reader, tail, source.size),
      );
    }
    if (depth > 0 && this.searchesSecrets)
      await searchArchiveMember({
        source,
        location,
        readerIds: readers.map(each => each.id),
        topLevel: record,
        emit: signal => collector.emit(signal),
      });
    if (readers.length === 0) {
      if (MODEL_EXTENSIONS.has(extensionOf(name)) && source.size > 0) {
        collector.emit({
          ruleId: 'SCAN-UNSUPPORTED',
          message: `No reader recognises the content of ${name} (${source.size} bytes); it was not analysed`,
          location,
          evidence: { magic: hex(head.subarray(0, 8)) },
          key: 'unsupported',
        });
      }
      return;
    }

    const ctx: ReaderContext = {
      limits: this.limits,
      depth,
      options,
      emit: signal => collector.emit(signal),
      addComponent: component => collector.components.push(component),
      setFormat: format => {
        if (!record.formats.includes(format)) record.formats.push(format);
      },
      checkDeadline: () => {
        if (Date.now() > deadline)
          throw new ScanTimeoutError(this.limits.fileTimeoutMs);
      },
      scanChild: async (child: ChildInput) => {
        const childLocation: Location = {
          path: location.path,
          entry: [...(location.entry ?? []), child.name],
        };
        if (depth + 1 > this.limits.maxDepth) {
          collector.emit({
            ruleId: 'SCAN-LIMIT',
            message: `Archive nesting deeper than ${this.limits.maxDepth} levels; ${child.name} was not analysed`,
            location: childLocation,
            evidence: { limit: 'maxDepth', value: this.limits.maxDepth },
            key: 'maxDepth',
          });
          return;
        }
        await this.dispatch({
          source: child.source,
          name: child.name.split('/').pop() ?? child.name,
          location: childLocation,
          depth: depth + 1,
          deadline,
          record,
          collector,
          options: child.options ? { ...options, ...child.options } : options,
        });
      },
    };

    for (const each of readers) {
      if (!record.formats.includes(each.id)) record.formats.push(each.id);
      try {
        await each.read({ source, name, location, head }, ctx);
      } catch (error) {
        collector.emit(errorSignal(error, each.id, location));
      }
    }
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
