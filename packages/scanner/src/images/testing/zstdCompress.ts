/**
 * Zstandard compression for test layers: Debian's `zstd` CLI (what image builders link against)
 * when installed, else Node's own encoder (Node 22.15+). Undefined when neither exists, so tests can
 * skip loudly instead of passing without a zstd layer.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as zlib from 'node:zlib';

const ZSTD_CLI = '/usr/bin/zstd';

type Compress = (bytes: Uint8Array) => Uint8Array;

export function zstdCompressor():
  | { name: string; compress: Compress }
  | undefined {
  if (existsSync(ZSTD_CLI))
    return {
      name: 'zstd CLI',
      compress: bytes =>
        execFileSync(ZSTD_CLI, ['-q', '-c', '-3'], {
          input: bytes,
          maxBuffer: 1024 ** 3,
        }),
    };
  const native = (
    zlib as unknown as { zstdCompressSync?: (b: Uint8Array) => Buffer }
  ).zstdCompressSync;
  return native
    ? { name: 'node:zlib', compress: bytes => native(bytes) }
    : undefined;
}
