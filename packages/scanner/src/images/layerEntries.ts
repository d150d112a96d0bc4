/**
 * The entries of one uncompressed layer tar (ustar, GNU long names, pax paths), as a pure function
 * over bytes. Structural problems are returned, never thrown: an unreadable layer is a finding.
 */
import {
  BLOCK,
  isRegularFile,
  isZeroBlock,
  parsePaxRecords,
  parseTarHeader,
} from '../formats/archive/tar/tarHeader';

export interface LayerEntry {
  /** Normalised path without a leading `./` or `/`. */
  path: string;
  /** 'file' | 'dir' | 'symlink' | 'hardlink' | 'other' */
  kind: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';
  data?: Uint8Array;
  linkName?: string;
}

export interface LayerParse {
  entries: LayerEntry[];
  problems: string[];
}

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

export function parseLayerTar(
  bytes: Uint8Array,
  maxEntries: number,
): LayerParse {
  const entries: LayerEntry[] = [];
  const problems: string[] = [];
  let at = 0;
  let longName: string | undefined;
  let pax: Map<string, string> | undefined;
  while (at + BLOCK <= bytes.length) {
    const block = bytes.subarray(at, at + BLOCK);
    if (isZeroBlock(block)) return { entries, problems };
    const header = parseTarHeader(block);
    if (!header.checksumValid || header.size < 0) {
      problems.push(`bad tar header at offset ${at}`);
      return { entries, problems };
    }
    const dataStart = at + BLOCK;
    const dataEnd = dataStart + header.size;
    if (dataEnd > bytes.length) {
      problems.push(`entry ${header.name} runs past the end of the layer`);
      return { entries, problems };
    }
    const data = bytes.subarray(dataStart, dataEnd);
    at = dataStart + Math.ceil(header.size / BLOCK) * BLOCK;
    if (header.type === 'L') {
      longName = Buffer.from(data).toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (header.type === 'x') {
      pax = parsePaxRecords(data);
      continue;
    }
    if (header.type === 'g') continue;
    const rawName = pax?.get('path') ?? longName ?? header.name;
    const linkName = pax?.get('linkpath') ?? header.linkName;
    longName = undefined;
    pax = undefined;
    const path = normaliseLayerPath(rawName);
    if (path === undefined) {
      problems.push(`entry ${rawName} escapes the image root`);
      continue;
    }
    if (path === '') continue;
    if (entries.length >= maxEntries) {
      problems.push(`more than ${maxEntries} entries`);
      return { entries, problems };
    }
    if (isRegularFile(header.type)) entries.push({ path, kind: 'file', data });
    else if (header.type === '5') entries.push({ path, kind: 'dir' });
    else if (header.type === '2')
      entries.push({ path, kind: 'symlink', linkName });
    else if (header.type === '1')
      entries.push({ path, kind: 'hardlink', linkName });
    else entries.push({ path, kind: 'other' });
  }
  problems.push('layer tar ends without its end-of-archive blocks');
  return { entries, problems };
}
