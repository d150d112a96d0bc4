/**
 * The content digest of a `file:` target: sha256 over the sorted relative paths of everything in
 * the tree with, per regular file, its size and the sha256 of its bytes (streamed), per symlink its
 * target text. Promotion keys versions by this digest and the rejected-artifact log refuses it, so
 * it must change when any byte changes and must not change when only timestamps do: a digest over
 * path, size and mtime let an attacker swap bytes under a kept mtime (the old PASS stayed) and
 * `touch` a rejected artifact into a fresh version.
 *
 * Names are handled as raw bytes (a name that is not UTF-8 is its own entry, not U+FFFD), nothing
 * is skipped (the scanner reads model files inside `.git/` and `node_modules/` too), and files are
 * opened without following links and without blocking on a FIFO swapped in after the listing.
 *
 * Hashing reads every byte, which the scan itself does not (a checkpoint costs its headers), so it
 * is bounded: more than `maxFiles` entries or `maxBytes` of file content is an error the scan
 * records, never a digest over part of the tree.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';

export interface FileTreeDigestLimits {
  /** Entries (files, links, folders) in the tree. */
  maxFiles: number;
  /** Bytes of regular-file content hashed. */
  maxBytes: number;
}

export const DEFAULT_FILE_TREE_DIGEST_LIMITS: FileTreeDigestLimits = {
  maxFiles: 100_000,
  maxBytes: 256 * 1024 ** 3,
};

/** lstat fields that change whenever content or identity does; ctime cannot be set back by a user. */
type Stamp = string;

export interface FileTreeDigest {
  digest: string;
  /** Every entry in walk order with its stamp: compared after the scan (see {@link changedEntry}). */
  stamps: ReadonlyArray<readonly [path: Buffer, stamp: Stamp]>;
}

const READ_CHUNK = 1024 * 1024;
/** lstat and file reads in flight: per-file cost is syscall round trips, not hashing, for small files. */
const CONCURRENCY = 16;
const SLASH = Buffer.from('/');

type Stats = import('node:fs').BigIntStats;
interface Entry {
  rel: Buffer;
  absolute: Buffer;
  stat: Stats;
}

function stampOf(stat: Stats): Stamp {
  return `${stat.mode}:${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

function childPath(parent: Buffer, name: Buffer): Buffer {
  return parent.length === 0 ? name : Buffer.concat([parent, SLASH, name]);
}

/** `work` over `items`, at most `limit` at once, results in item order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

/** The tree's entries, each folder before its children, children in byte order of their names. */
async function listTree(root: string, maxFiles: number): Promise<Entry[]> {
  const rootBytes = Buffer.from(root);
  const entries: Entry[] = [];
  const visit = async (entry: Entry): Promise<void> => {
    entries.push(entry);
    if (!entry.stat.isDirectory()) return;
    const names = await readdir(entry.absolute, { encoding: 'buffer' });
    if (entries.length + names.length > maxFiles + 1)
      throw new Error(
        `${root} holds more than ${maxFiles} entries; its content digest was not computed`,
      );
    names.sort(Buffer.compare);
    const children = await mapLimited(names, CONCURRENCY, async name => {
      const rel = childPath(entry.rel, name);
      const absolute = childPath(rootBytes, rel);
      return { rel, absolute, stat: await lstat(absolute, { bigint: true }) };
    });
    for (const child of children) await visit(child);
  };
  await visit({
    rel: Buffer.alloc(0),
    absolute: rootBytes,
    stat: await lstat(root, { bigint: true }),
  });
  return entries;
}

/** sha256 of a regular file's `expected.size` bytes, from the inode that was listed. */
async function hashFile(absolute: Buffer, expected: Stats): Promise<string> {
  // O_NOFOLLOW: a file replaced by a link after the listing is not followed out of the tree;
  // O_NONBLOCK: one replaced by a FIFO does not hang the scan.
  const handle = await open(
    absolute,
    constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
  );
  try {
    const opened = await handle.stat({ bigint: true });
    if (!opened.isFile() || opened.ino !== expected.ino)
      throw new Error(
        `${absolute.toString()} was replaced while its digest was computed`,
      );
    const size = Number(expected.size);
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(Math.min(size, READ_CHUNK));
    // Exactly the listed size: bytes appended later change ctime, which changedEntry sees.
    for (let at = 0; at < size; ) {
      const want = Math.min(buffer.length, size - at);
      const { bytesRead } = await handle.read(buffer, 0, want, at);
      if (bytesRead === 0)
        throw new Error(
          `${absolute.toString()} shrank while its digest was computed`,
        );
      hash.update(buffer.subarray(0, bytesRead));
      at += bytesRead;
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/** Computes the content digest of `root` (a folder or one file), `files:<sha256 hex>`. */
export async function digestFileTree(
  root: string,
  limits: FileTreeDigestLimits = DEFAULT_FILE_TREE_DIGEST_LIMITS,
): Promise<FileTreeDigest> {
  const entries = await listTree(root, limits.maxFiles);
  let bytes = 0;
  for (const { stat } of entries) {
    if (stat.isFile()) bytes += Number(stat.size);
    if (bytes > limits.maxBytes)
      throw new Error(
        `${root} holds more than ${limits.maxBytes} bytes; its content digest was not computed`,
      );
  }
  const contents = await mapLimited(entries, CONCURRENCY, async entry =>
    entry.stat.isFile() ? hashFile(entry.absolute, entry.stat) : undefined,
  );
  const links = await mapLimited(entries, CONCURRENCY, async entry =>
    entry.stat.isSymbolicLink()
      ? readlink(entry.absolute, { encoding: 'buffer' })
      : undefined,
  );
  const tree = createHash('sha256');
  // Names cannot hold NUL or (within a segment) `/`: NUL-terminated records cannot be confused.
  entries.forEach(({ rel, stat }, index) => {
    if (stat.isFile()) {
      tree.update('f\0');
      tree.update(rel);
      tree.update(`\0${stat.size}\0${contents[index]}\n`);
    } else if (stat.isSymbolicLink()) {
      tree.update('l\0');
      tree.update(rel);
      tree.update('\0');
      tree.update(links[index]!);
      tree.update('\n');
    } else if (stat.isDirectory()) {
      tree.update('d\0');
      tree.update(rel);
      tree.update('\n');
    } else {
      // FIFOs, sockets, devices: never opened; their presence and type are part of the tree.
      tree.update('o\0');
      tree.update(rel);
      tree.update(`\0${stat.mode}\n`);
    }
  });
  return {
    digest: `files:${tree.digest('hex')}`,
    stamps: entries.map(({ rel, stat }) => [rel, stampOf(stat)] as const),
  };
}

/**
 * The first entry that differs from the stamps taken while digesting (changed, replaced, added or
 * removed), or undefined when the tree is as it was. Cheap: one lstat per entry, no content read.
 */
export async function changedEntry(
  root: string,
  before: FileTreeDigest['stamps'],
): Promise<string | undefined> {
  let now: Entry[];
  try {
    now = await listTree(root, before.length);
  } catch (error) {
    // More entries than before, or one vanished mid-walk: changed either way.
    return error instanceof Error ? error.message : String(error);
  }
  const shown = (rel: Buffer) => (rel.length === 0 ? '.' : rel.toString());
  for (let index = 0; index < Math.max(now.length, before.length); index++) {
    const entry = now[index];
    const expected = before[index];
    if (!entry) return shown(expected[0]);
    if (
      !expected ||
      !expected[0].equals(entry.rel) ||
      expected[1] !== stampOf(entry.stat)
    )
      return shown(entry.rel);
  }
  return undefined;
}
