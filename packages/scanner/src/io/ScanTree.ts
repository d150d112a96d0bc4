import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readlinkSync,
  readSync,
} from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import type { Location, Signal } from '../model/evidence';
import { FileSource } from './ByteSource';

/** Why a path was refused. None of them names where the path actually leads. */
export type EscapeReason = 'absolute' | 'parent' | 'symlink' | 'dangling';

const REASON_TEXT: Record<EscapeReason, string> = {
  absolute: 'is an absolute path, outside the scanned tree',
  parent: 'climbs out of the scanned tree with ..',
  symlink:
    'resolves through a symbolic link to a place outside the scanned tree',
  dangling: 'is a symbolic link that resolves nowhere',
};

const OUT_OF_TREE = new Set<EscapeReason>(['absolute', 'parent']);

/**
 * Who asked for a path: the finding points there (e.g. the requirements line with `-r`).
 *
 * @public
 */
export interface PathRequest {
  from?: Location;
}

/** What `openOrRead` gives: a small file's bytes (already closed), or an open source for a larger one. */
export type OpenedFile = { bytes: Uint8Array } | { source: FileSource };

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Thrown when a path given to the scan tree leads outside it. The message names only the path as
 * it was asked for (relative to the root), never the resolved target: a finding built from it is
 * published to every reader of the entity.
 */
export class PathEscapeError extends Error {
  constructor(readonly path: string, readonly reason: EscapeReason) {
    // An absolute or climbing path is not a place in the tree: it is not repeated either.
    super(
      `${OUT_OF_TREE.has(reason) ? 'a path' : path} ${
        REASON_TEXT[reason]
      }; it was not read`,
    );
    this.name = 'PathEscapeError';
  }
}

/**
 * Node's fs errors name the absolute path; findings built from them go to every reader of the
 * entity, so they are rewritten to name the path in the tree and keep only the error code.
 */
function inTree(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (!code) return error as Error;
  return Object.assign(new Error(`${posix.normalize(path)}: ${code}`), {
    code,
  });
}

function isInside(root: string, target: string): boolean {
  const fromRoot = relative(root, target);
  return (
    fromRoot === '' ||
    (fromRoot !== '..' &&
      !fromRoot.startsWith(`..${sep}`) &&
      !isAbsolute(fromRoot))
  );
}

/**
 * The one way the scanner opens files by path. Every path is relative to the scanned root; it is
 * refused when it is absolute, climbs out with `..`, or resolves (through a symlink anywhere along
 * it) outside the real path of the root. Refusals are reported once per path as SCAN-PATH-ESCAPE
 * through `onEscape` and thrown as PathEscapeError, so callers skip the file and add nothing of
 * their own. The target's content and resolved location never reach a finding.
 *
 * Between the check and the open a hostile tree could swap a file for a link; the open refuses a
 * final-component link (O_NOFOLLOW) and compares device and inode with what was checked.
 */
export class ScanTree {
  private readonly reported = new Set<string>();
  /** Whether /proc/self/fd names opened files (Linux); cleared the first time it does not. */
  private procFd = process.platform === 'linux';

  private constructor(
    /** Real path of the scanned root. */
    readonly root: string,
    private readonly onEscape: (signal: Signal) => void,
  ) {}

  static async open(
    root: string,
    onEscape: (signal: Signal) => void,
  ): Promise<ScanTree> {
    return new ScanTree(await realpath(root), onEscape);
  }

  /** The real absolute path of `path`, inside the root; throws PathEscapeError otherwise. */
  async resolve(path: string, request: PathRequest = {}): Promise<string> {
    const normalised = posix.normalize(path.replace(/\\/g, '/'));
    if (posix.isAbsolute(normalised) || /^[A-Za-z]:/.test(normalised))
      throw this.refuse(path, 'absolute', request);
    if (normalised === '..' || normalised.startsWith('../'))
      throw this.refuse(path, 'parent', request);
    const lexical = join(this.root, normalised);
    let real: string;
    try {
      real = await realpath(lexical);
    } catch (error) {
      // A link whose target does not exist: say so without following it further.
      const link = await lstat(lexical).catch(() => undefined);
      if (link?.isSymbolicLink())
        throw this.refuse(normalised, 'dangling', request);
      throw inTree(normalised, error);
    }
    if (!isInside(this.root, real))
      throw this.refuse(normalised, 'symlink', request);
    return real;
  }

  /**
   * Where a symbolic link found by the walk leads, without reporting it: `inside` links are
   * skipped (their target is scanned at its own path), the others are reported by the caller.
   */
  async linkStatus(path: string): Promise<'inside' | 'outside' | 'dangling'> {
    try {
      return isInside(this.root, await realpath(join(this.root, path)))
        ? 'inside'
        : 'outside';
    } catch {
      return 'dangling';
    }
  }

  /** Opens a regular file of the tree for random access. */
  async openSource(
    path: string,
    request: PathRequest = {},
  ): Promise<FileSource> {
    const real = await this.resolve(path, request);
    const checked = await stat(real).catch(error => {
      throw inTree(path, error);
    });
    // A named pipe or device would block the open (or never end): only regular files are read.
    if (!checked.isFile())
      throw new Error(`${posix.normalize(path)} is not a regular file`);
    const handle = await open(
      real,
      constants.O_RDONLY | NO_FOLLOW | NON_BLOCK,
    ).catch(error => {
      // ELOOP: the last component became a link after the check.
      if ((error as NodeJS.ErrnoException).code === 'ELOOP')
        throw this.refuse(posix.normalize(path), 'symlink', request);
      throw inTree(path, error);
    });
    try {
      const opened = await handle.stat();
      if (opened.ino !== checked.ino || opened.dev !== checked.dev) {
        throw this.refuse(posix.normalize(path), 'symlink', request);
      }
      if (!opened.isFile()) throw new Error(`${path} is not a regular file`);
      return FileSource.fromHandle(handle, opened.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Opens a regular file of the tree like `openSource`, but a file of at most `smallBytes` is read
   * whole and closed at once. On Linux that takes five synchronous calls (open without following a
   * final link, where the descriptor really leads per /proc/self/fd, fstat, read, close) instead of
   * six trips through the thread pool: the check is made on the opened file itself, so no swap
   * between check and open can go unnoticed. Anything unusual (an error, a link, a larger file, no
   * /proc) takes the `openSource` route, which reports and refuses exactly as before.
   */
  async openOrRead(path: string, smallBytes: number): Promise<OpenedFile> {
    const small = this.procFd
      ? this.readSmallSync(path, smallBytes)
      : undefined;
    return small ? { bytes: small } : { source: await this.openSource(path) };
  }

  private readSmallSync(
    path: string,
    smallBytes: number,
  ): Uint8Array | undefined {
    const normalised = posix.normalize(path.replace(/\\/g, '/'));
    if (
      posix.isAbsolute(normalised) ||
      /^[A-Za-z]:/.test(normalised) ||
      normalised === '..' ||
      normalised.startsWith('../')
    )
      return undefined;
    let fd: number;
    try {
      fd = openSync(
        join(this.root, normalised),
        constants.O_RDONLY | NO_FOLLOW | NON_BLOCK,
      );
    } catch {
      return undefined; // reported (or refused) by the openSource route
    }
    try {
      let real: string;
      try {
        real = readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        this.procFd = false;
        return undefined;
      }
      if (!isInside(this.root, real)) return undefined;
      const opened = fstatSync(fd);
      if (!opened.isFile() || opened.size > smallBytes) return undefined;
      const bytes = Buffer.allocUnsafe(opened.size);
      let filled = 0;
      while (filled < bytes.length) {
        const read = readSync(fd, bytes, filled, bytes.length - filled, filled);
        if (read === 0) break;
        filled += read;
      }
      return filled === bytes.length ? bytes : bytes.subarray(0, filled);
    } finally {
      closeSync(fd);
    }
  }

  /** Reads a file of the tree as UTF-8; `tooLarge` builds the error thrown above `maxBytes`. */
  async readText(
    path: string,
    maxBytes: number,
    tooLarge: (size: number) => Error,
    request: PathRequest = {},
  ): Promise<string> {
    const source = await this.openSource(path, request);
    try {
      if (source.size > maxBytes) throw tooLarge(source.size);
      return Buffer.from(await source.read(0, source.size)).toString('utf8');
    } finally {
      await source.close();
    }
  }

  /** Reports a link found by the walk that leads outside the tree (or nowhere). */
  reportLink(path: string, status: 'outside' | 'dangling'): void {
    this.refuse(path, status === 'outside' ? 'symlink' : 'dangling');
  }

  private refuse(
    path: string,
    reason: EscapeReason,
    request: PathRequest = {},
  ): PathEscapeError {
    const error = new PathEscapeError(path, reason);
    // Absolute and climbing paths are not places in the tree: they are reported where they were
    // asked for, or against the root.
    const location = request.from ?? {
      path: OUT_OF_TREE.has(reason) ? '.' : path,
    };
    const asked = request.from
      ? `${request.from.path}${
          request.from.line ? `:${request.from.line}` : ''
        } names `
      : '';
    if (!this.reported.has(path)) {
      this.reported.add(path);
      this.onEscape({
        ruleId: 'SCAN-PATH-ESCAPE',
        message: `${asked}${error.message}`,
        location,
        evidence: { reason },
        key: `${reason}:${path}`,
      });
    }
    return error;
  }
}
