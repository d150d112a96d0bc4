import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type SmallFileRead =
  | { kind: 'small'; bytes: Uint8Array }
  | { kind: 'large'; size: number };

/**
 * Reads a file whole when it is at most `maxBytes` long, with synchronous calls: for the thousands of
 * small files of a tree, four system calls on the scanning thread cost far less than four trips
 * through the thread pool each. A larger file is only measured (the caller opens it as a source).
 * The size is checked on the open descriptor and the read never exceeds `maxBytes`, so a file that
 * grows in between cannot make this read more.
 */
export function readSmallFileSync(path: string, maxBytes: number): SmallFileRead {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { kind: 'large', size };
    const buffer = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const read = readSync(fd, buffer, filled, size - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return { kind: 'small', bytes: filled === size ? buffer : buffer.subarray(0, filled) };
  } finally {
    closeSync(fd);
  }
}
