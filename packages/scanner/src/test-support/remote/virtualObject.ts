import { createHash } from 'node:crypto';
import type { Chunk } from '../../formats/archive/testing/zipWriter';
import {
  buildZipChunks,
  pytorchZipSpec,
} from '../../formats/archive/testing/zipWriter';

/**
 * Content computed on the fly: explicit byte chunks separated by holes of zeros, so a test server can
 * serve a multi-GB checkpoint without holding or writing it. `read` materialises only the range asked for.
 */
export class VirtualObject {
  readonly size: number;
  readonly etag: string;
  private readonly pieces: { offset: number; bytes: Uint8Array }[] = [];

  constructor(chunks: Chunk[]) {
    let offset = 0;
    const hash = createHash('md5');
    for (const chunk of chunks) {
      if (chunk instanceof Uint8Array) {
        this.pieces.push({ offset, bytes: chunk });
        hash.update(chunk);
        offset += chunk.length;
      } else {
        hash.update(`hole:${chunk.hole}`);
        offset += chunk.hole;
      }
    }
    this.size = offset;
    this.etag = `"${hash.digest('hex')}"`;
  }

  static of(bytes: Uint8Array | string): VirtualObject {
    return new VirtualObject([
      typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
    ]);
  }

  read(offset: number, length: number): Buffer {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(offset + length, this.size));
    const out = Buffer.alloc(end - start);
    for (const piece of this.pieces) {
      const from = Math.max(start, piece.offset);
      const to = Math.min(end, piece.offset + piece.bytes.length);
      if (from < to)
        out.set(
          piece.bytes.subarray(from - piece.offset, to - piece.offset),
          from - start,
        );
    }
    return out;
  }
}

/** A safetensors file with `tensors` F32 tensors whose data region totals about `dataBytes` (zeros). */
export function sparseSafetensors(
  dataBytes: number,
  tensors = 256,
  prefix = 'layers',
): VirtualObject {
  const per = Math.floor(dataBytes / tensors / 4) * 4;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  for (let i = 0; i < tensors; i++) {
    header[`${prefix}.${i}.weight`] = {
      dtype: 'F32',
      shape: [per / 4],
      data_offsets: [i * per, (i + 1) * per],
    };
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return new VirtualObject([length, json, { hole: per * tensors }]);
}

/** A PyTorch zip checkpoint (`archive/data.pkl`, storages of zeros, `archive/version`) of about `bytes`. */
export function sparseTorchZip(
  pickle: Uint8Array,
  bytes: number,
  storages = 1,
): VirtualObject {
  const per = Math.floor(bytes / storages);
  return new VirtualObject(
    buildZipChunks(
      pytorchZipSpec(
        pickle,
        Array.from({ length: storages }, (_, i) => ({
          name: String(i),
          hole: per,
          crc: 0,
        })),
      ),
    ),
  );
}
