/**
 * Where an image's blobs come from: an OCI image layout folder, or a tarball (`docker save` or an OCI
 * archive) indexed header by header and read member by member. Every blob is checked against its
 * sha256 digest before use, so what is scanned is exactly what the manifest digest pins; layers are
 * streamed (checked as they end) rather than read whole.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BLOCK,
  isRegularFile,
  isZeroBlock,
  parsePaxRecords,
  parseTarHeader,
} from '../formats/archive/tar/tarHeader';
import { bounded, verified, type ByteStream } from './byteStreams';
import { normaliseLayerPath } from './layerEntries';
import { ImageReadError, type ImageLimits } from './limits';

export interface ImageStore {
  /** A top-level file of the layout (`index.json`, `manifest.json`, `oci-layout`), or undefined. */
  topFile(name: string): Promise<Uint8Array | undefined>;
  /** A blob by digest, verified (manifests and configs: small, bounded by maxBlobBytes). */
  blob(digest: string): Promise<Uint8Array>;
  /** A blob by digest as a stream that fails at its end unless the digest matches (layers). */
  blobStream(digest: string): Promise<ByteStream>;
  /** `docker save` names layers by path rather than digest. */
  path(path: string): Promise<Uint8Array | undefined>;
  pathStream(path: string): Promise<ByteStream | undefined>;
  bytesRead: number;
  /** HTTP requests made (registry stores). */
  requests?: number;
  /** The digest the target resolved to (a registry tag to its index or manifest), to pin the scan. */
  resolvedDigest?: string;
}

const DIGEST = /^sha256:([a-f0-9]{64})$/;

export function verifyDigest(digest: string, bytes: Uint8Array): void {
  const match = DIGEST.exec(digest);
  if (!match)
    throw new ImageReadError(
      `unsupported or malformed digest ${JSON.stringify(digest).slice(0, 80)}`,
    );
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== match[1])
    throw new ImageReadError(
      `blob ${digest} does not match its content (sha256:${actual})`,
    );
}

export function blobPath(digest: string): string {
  const match = DIGEST.exec(digest);
  if (!match)
    throw new ImageReadError(
      `unsupported or malformed digest ${JSON.stringify(digest).slice(0, 80)}`,
    );
  return `blobs/sha256/${match[1]}`;
}

/** Counts what a stream delivers into the store's bytesRead. */
async function* counted(
  source: AsyncIterable<Uint8Array>,
  store: { bytesRead: number },
): ByteStream {
  for await (const chunk of source) {
    store.bytesRead += chunk.length;
    yield chunk;
  }
}

/** A byte range of a local file, read in chunks. */
function fileRange(file: string, start: number, length: number): ByteStream {
  if (length === 0) return (async function* empty() {})();
  return createReadStream(file, {
    start,
    end: start + length - 1,
    highWaterMark: 256 * 1024,
  });
}

export function layoutStore(root: string, limits: ImageLimits): ImageStore {
  async function sized(path: string): Promise<number | undefined> {
    const info = await stat(join(root, path)).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    if (info.size > limits.maxBlobBytes)
      throw new ImageReadError(
        `${path} is larger than maxBlobBytes (${limits.maxBlobBytes})`,
      );
    return info.size;
  }
  const store: ImageStore = {
    bytesRead: 0,
    async topFile(name) {
      return store.path(name);
    },
    async path(path) {
      if ((await sized(path)) === undefined) return undefined;
      const bytes = await readFile(join(root, path));
      store.bytesRead += bytes.length;
      return bytes;
    },
    async pathStream(path) {
      const size = await sized(path);
      if (size === undefined) return undefined;
      // The size was checked before opening; the bound also covers a file growing meanwhile.
      return counted(
        bounded(
          fileRange(join(root, path), 0, size + 1),
          limits.maxBlobBytes,
          path,
        ),
        store,
      );
    },
    async blob(digest) {
      const bytes = await store.path(blobPath(digest));
      if (!bytes)
        throw new ImageReadError(`blob ${digest} is missing from the layout`);
      verifyDigest(digest, bytes);
      return bytes;
    },
    async blobStream(digest) {
      const stream = await store.pathStream(blobPath(digest));
      if (!stream)
        throw new ImageReadError(`blob ${digest} is missing from the layout`);
      return verified(stream, digest);
    },
  };
  return store;
}

interface Member {
  offset: number;
  size: number;
}

async function readAt(
  handle: FileHandle,
  position: number,
  length: number,
): Promise<Buffer | undefined> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return bytesRead === length ? buffer : undefined;
}

const MAX_META_BYTES = 1024 * 1024;

/** Offsets of the regular files of a tarball, read header by header (data is never loaded). */
async function indexArchive(
  file: string,
  size: number,
  maxEntries: number,
): Promise<Map<string, Member>> {
  const members = new Map<string, Member>();
  const handle = await open(file, 'r');
  try {
    let at = 0;
    let longName: string | undefined;
    let pax: Map<string, string> | undefined;
    while (at + BLOCK <= size) {
      const block = await readAt(handle, at, BLOCK);
      if (!block || isZeroBlock(block)) break;
      const header = parseTarHeader(block);
      if (!header.checksumValid || header.size < 0)
        throw new ImageReadError(
          `not an image archive: bad tar header at offset ${at}`,
        );
      const offset = at + BLOCK;
      if (offset + header.size > size)
        throw new ImageReadError(
          `not an image archive: entry ${header.name} runs past the end`,
        );
      at = offset + Math.ceil(header.size / BLOCK) * BLOCK;
      if (header.type === 'L' || header.type === 'x') {
        if (header.size > MAX_META_BYTES)
          throw new ImageReadError(
            'not an image archive: oversized metadata record',
          );
        const data = (await readAt(handle, offset, header.size))!;
        if (header.type === 'L')
          longName = data.toString('utf8').replace(/\0+$/, '');
        else pax = parsePaxRecords(data);
        continue;
      }
      const path = normaliseLayerPath(
        pax?.get('path') ?? longName ?? header.name,
      );
      longName = undefined;
      pax = undefined;
      if (!path || !isRegularFile(header.type)) continue;
      if (members.size >= maxEntries)
        throw new ImageReadError(
          `the archive has more than ${maxEntries} entries`,
        );
      members.set(path, { offset, size: header.size });
    }
  } finally {
    await handle.close();
  }
  if (members.size === 0)
    throw new ImageReadError('not an image archive: no members found');
  return members;
}

/** A tarball holding a layout (OCI archive) or a `docker save` export. */
export async function archiveStore(
  file: string,
  limits: ImageLimits,
): Promise<ImageStore> {
  const info = await stat(file);
  const members = await indexArchive(file, info.size, limits.maxEntries);
  const counter = { bytesRead: 0 };
  const member = (path: string) => {
    const found = members.get(path.replace(/^\.?\//, ''));
    if (found && found.size > limits.maxBlobBytes)
      throw new ImageReadError(
        `${path} is larger than maxBlobBytes (${limits.maxBlobBytes})`,
      );
    return found;
  };
  const read = async (path: string) => {
    const found = member(path);
    if (!found) return undefined;
    const handle = await open(file, 'r');
    try {
      const bytes = (await readAt(handle, found.offset, found.size))!;
      counter.bytesRead += bytes.length;
      return bytes;
    } finally {
      await handle.close();
    }
  };
  const stream = async (path: string) => {
    const found = member(path);
    if (!found) return undefined;
    return counted(fileRange(file, found.offset, found.size), counter);
  };
  return {
    get bytesRead() {
      return counter.bytesRead;
    },
    topFile: read,
    path: read,
    pathStream: stream,
    async blob(digest) {
      const blob = await read(blobPath(digest));
      if (!blob)
        throw new ImageReadError(`blob ${digest} is missing from the archive`);
      verifyDigest(digest, blob);
      return blob;
    },
    async blobStream(digest) {
      const blob = await stream(blobPath(digest));
      if (!blob)
        throw new ImageReadError(`blob ${digest} is missing from the archive`);
      return verified(blob, digest);
    },
  };
}
