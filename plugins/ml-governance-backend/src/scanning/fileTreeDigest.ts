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
const SLASH = Buffer.from('/');

function stampOf(stat: import('node:fs').BigIntStats): Stamp {
  return `${stat.mode}:${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

function childPath(parent: Buffer, name: Buffer): Buffer {
  return parent.length === 0 ? name : Buffer.concat([parent, SLASH, name]);
}

/** The tree's entries in byte order of their relative paths, depth first, with their lstat. */
async function* walk(
  root: string,
  maxFiles: number,
): AsyncGenerator<{
  rel: Buffer;
  absolute: Buffer;
  stat: import('node:fs').BigIntStats;
}> {
  const rootBytes = Buffer.from(root);
  let count = 0;
  const visit = async function* (
    rel: Buffer,
  ): AsyncGenerator<{
    rel: Buffer;
    absolute: Buffer;
    stat: import('node:fs').BigIntStats;
  }> {
    const absolute = rel.length === 0 ? rootBytes : childPath(rootBytes, rel);
    const stat = await lstat(absolute, { bigint: true });
    if (rel.length > 0 && ++count > maxFiles)
      throw new Error(
        `${root} holds more than ${maxFiles} entries; its content digest was not computed`,
      );
    yield { rel, absolute, stat };
    if (!stat.isDirectory()) return;
    const names = await readdir(absolute, { encoding: 'buffer' });
    names.sort(Buffer.compare);
    for (const name of names) yield* visit(childPath(rel, name));
  };
  yield* visit(Buffer.alloc(0));
}

async function hashFile(
  absolute: Buffer,
  expected: import('node:fs').BigIntStats,
  buffer: Buffer,
): Promise<{ sha256: string; size: number }> {
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
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}

/** Computes the content digest of `root` (a folder or one file), `files:<sha256 hex>`. */
export async function digestFileTree(
  root: string,
  limits: FileTreeDigestLimits = DEFAULT_FILE_TREE_DIGEST_LIMITS,
): Promise<FileTreeDigest> {
  const tree = createHash('sha256');
  const stamps: Array<readonly [Buffer, Stamp]> = [];
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  let bytes = 0;
  for await (const { rel, absolute, stat } of walk(root, limits.maxFiles)) {
    stamps.push([rel, stampOf(stat)]);
    // Names cannot hold NUL or (within a segment) `/`: NUL-terminated records cannot be confused.
    if (stat.isFile()) {
      bytes += Number(stat.size);
      if (bytes > limits.maxBytes)
        throw new Error(
          `${root} holds more than ${limits.maxBytes} bytes; its content digest was not computed`,
        );
      const file = await hashFile(absolute, stat, buffer);
      if (BigInt(file.size) !== stat.size)
        throw new Error(
          `${absolute.toString()} changed size while its digest was computed`,
        );
      tree.update('f\0');
      tree.update(rel);
      tree.update(`\0${file.size}\0${file.sha256}\n`);
    } else if (stat.isSymbolicLink()) {
      tree.update('l\0');
      tree.update(rel);
      tree.update('\0');
      tree.update(await readlink(absolute, { encoding: 'buffer' }));
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
  }
  return { digest: `files:${tree.digest('hex')}`, stamps };
}

/**
 * The first entry that differs from the stamps taken while digesting (changed, replaced, added or
 * removed), or undefined when the tree is as it was. Cheap: one lstat per entry, no content read.
 */
export async function changedEntry(
  root: string,
  before: FileTreeDigest['stamps'],
): Promise<string | undefined> {
  let index = 0;
  try {
    for await (const { rel, stat } of walk(root, before.length)) {
      const expected = before[index++];
      if (
        !expected ||
        !expected[0].equals(rel) ||
        expected[1] !== stampOf(stat)
      )
        return rel.length === 0 ? '.' : rel.toString();
    }
  } catch (error) {
    // More entries than before, or one vanished mid-walk: changed either way.
    return error instanceof Error ? error.message : String(error);
  }
  return index === before.length ? undefined : before[index][0].toString();
}
