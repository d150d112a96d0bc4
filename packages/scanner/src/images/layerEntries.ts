/**
 * The entries of one uncompressed layer tar (ustar, GNU long names, pax paths), parsed as a stream.
 * Regular files are not held in memory: their bytes go straight to a spool file on disk (the
 * analyzers read the materialised filesystem from disk anyway, with their own per-file limits), so
 * memory stays at one chunk whatever the member size. Structural problems are returned, never
 * thrown: an unreadable layer is a finding. Stream errors (limits, digest, broken compression) throw.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BLOCK,
  isRegularFile,
  isZeroBlock,
  parsePaxRecords,
  parseTarHeader,
} from '../formats/archive/tar/tarHeader';
import { ChunkReader, StreamEnded, type ByteStream } from './byteStreams';
import { printableName } from '../formats/archive/support/memberName';

export interface LayerEntry {
  /** Normalised path without a leading `./` or `/`. */
  path: string;
  /** 'file' | 'dir' | 'symlink' | 'hardlink' | 'other' */
  kind: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';
  /** Where a regular file's bytes were spooled (absent when the spool budget was spent). */
  spill?: string;
  size?: number;
  linkName?: string;
}

export interface LayerParse {
  entries: LayerEntry[];
  problems: string[];
}

/** Disk budget for spooled member bytes, shared by every layer of one image. */
export interface Spool {
  dir: string;
  files: number;
  bytesLeft: number;
  /** Set once a member did not fit the budget; it is listed without bytes. */
  exhausted?: boolean;
}

/** pax and GNU long-name records are metadata; anything bigger than this is hostile. */
const MAX_META_BYTES = 1024 * 1024;

export function normaliseLayerPath(raw: string): string | undefined {
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    // `..` in a layer would write outside the root on a naive extractor; refuse it.
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.join('/');
}

/** A member name as messages show it: control characters escaped, bounded. */
export function shownPath(path: string): string {
  const shown = printableName(path);
  return shown.length > 200 ? `${shown.slice(0, 200)}…` : shown;
}

/** Pieces are gathered up to this size before a write: a stream of tiny chunks costs few syscalls. */
const WRITE_BATCH = 256 * 1024;

async function spoolMember(
  reader: ChunkReader,
  size: number,
  spool: Spool,
): Promise<string | undefined> {
  if (size > spool.bytesLeft) {
    // This member does not fit; smaller ones after it still may. The scan reports the shortfall.
    spool.exhausted = true;
    for await (const _ of reader.run(size)) {
      // listed, not kept
    }
    return undefined;
  }
  spool.bytesLeft -= size;
  const file = join(spool.dir, String(spool.files++));
  const handle = await open(file, 'wx', 0o600);
  try {
    let batch: Buffer[] = [];
    let batched = 0;
    for await (const piece of reader.run(size)) {
      batch.push(piece);
      batched += piece.length;
      if (batched >= WRITE_BATCH) {
        await handle.write(Buffer.concat(batch));
        batch = [];
        batched = 0;
      }
    }
    if (batched > 0) await handle.write(Buffer.concat(batch));
  } finally {
    await handle.close();
  }
  return file;
}

export async function parseLayerTar(
  source: ByteStream,
  maxEntries: number,
  spool: Spool,
): Promise<LayerParse> {
  const entries: LayerEntry[] = [];
  const problems: string[] = [];
  const reader = new ChunkReader(source);
  // Every exit reads the stream to its end, so the digest check below it sees every byte before any
  // entry is trusted (the decompressed size stays bounded by maxLayerBytes).
  const stop = async (problem?: string) => {
    if (problem) problems.push(problem);
    await reader.drain();
    return { entries, problems };
  };
  try {
    return await parseEntries(
      reader,
      maxEntries,
      spool,
      entries,
      problems,
      stop,
    );
  } catch (error) {
    if (!(error instanceof StreamEnded)) throw error;
    return stop('the layer ends inside a tar entry');
  }
}

async function parseEntries(
  reader: ChunkReader,
  maxEntries: number,
  spool: Spool,
  entries: LayerEntry[],
  problems: string[],
  stop: (problem?: string) => Promise<LayerParse>,
): Promise<LayerParse> {
  let longName: string | undefined;
  let pax: Map<string, string> | undefined;
  for (;;) {
    const at = reader.position;
    const block = await reader.read(BLOCK);
    if (!block) return stop('layer tar ends without its end-of-archive blocks');
    if (isZeroBlock(block)) return stop();
    const header = parseTarHeader(block);
    if (!header.checksumValid || header.size < 0)
      return stop(`bad tar header at offset ${at}`);
    const padding = Math.ceil(header.size / BLOCK) * BLOCK - header.size;
    if (header.type === 'L' || header.type === 'x') {
      if (header.size > MAX_META_BYTES)
        return stop(
          `${header.name} metadata record is larger than ${MAX_META_BYTES} bytes`,
        );
      const data = await reader.read(header.size);
      if (!data)
        return stop(`entry ${header.name} runs past the end of the layer`);
      if (header.type === 'L')
        longName = data.toString('utf8').replace(/\0+$/, '');
      else pax = parsePaxRecords(data);
      await reader.skip(padding);
      continue;
    }
    const rawName = pax?.get('path') ?? longName ?? header.name;
    const linkName = pax?.get('linkpath') ?? header.linkName;
    longName = undefined;
    pax = undefined;
    const path = header.type === 'g' ? '' : normaliseLayerPath(rawName);
    if (path === undefined)
      problems.push(`entry ${shownPath(rawName)} escapes the image root`);
    if (path && entries.length >= maxEntries)
      return stop(`more than ${maxEntries} entries`);
    if (path && isRegularFile(header.type)) {
      const spill = await spoolMember(reader, header.size, spool);
      entries.push({ path, kind: 'file', spill, size: header.size });
      if (!(await reader.skip(padding)))
        return stop('layer tar ends without its end-of-archive blocks');
      continue;
    }
    if (!(await reader.skip(header.size + padding)))
      return stop(`entry ${header.name} runs past the end of the layer`);
    if (!path) continue;
    if (header.type === '5') entries.push({ path, kind: 'dir' });
    else if (header.type === '2')
      entries.push({ path, kind: 'symlink', linkName });
    else if (header.type === '1')
      entries.push({ path, kind: 'hardlink', linkName });
    else entries.push({ path, kind: 'other' });
  }
}
