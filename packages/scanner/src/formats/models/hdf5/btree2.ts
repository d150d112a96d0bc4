import { Hdf5FormatError, UNDEFINED_ADDRESS, encodedSize } from './cursor';
import type { Hdf5File } from './hdf5File';

/**
 * Version-2 B-trees: every record of the tree, leaves and internal nodes alike, as raw bytes.
 * Used for dense link and attribute name indexes and for the huge-object index of fractal heaps.
 */
const MAX_DEPTH = 32;
const PREFIX = 10; // signature, version, type, checksum

export interface Btree2 {
  type: number;
  records: Uint8Array[];
}

export async function readBtree2(
  file: Hdf5File,
  address: number,
  maxRecords: number,
): Promise<Btree2> {
  const O = file.offsetSize;
  const L = file.lengthSize;
  const h = await file.read(
    address,
    4 + 1 + 1 + 4 + 2 + 2 + 2 + O + 2 + L + 4,
    'v2 B-tree header',
  );
  h.signature('BTHD');
  h.u8();
  const type = h.u8();
  const nodeSize = h.uint(4, 'B-tree node size');
  const recordSize = h.uint(2, 'B-tree record size');
  const depth = h.uint(2, 'B-tree depth');
  h.skip(2);
  const root = h.address(O);
  const rootRecords = h.uint(2);
  const total = h.uint(L, 'B-tree record count');
  if (
    depth > MAX_DEPTH ||
    recordSize === 0 ||
    nodeSize < PREFIX + recordSize ||
    nodeSize > 16 * 1024 * 1024
  )
    throw new Hdf5FormatError(
      `implausible v2 B-tree at ${address} (depth ${depth}, node ${nodeSize}, record ${recordSize})`,
    );
  if (total > maxRecords)
    throw new Hdf5FormatError(
      `v2 B-tree at ${address} claims ${total} records`,
    );
  const records: Uint8Array[] = [];
  if (root === UNDEFINED_ADDRESS || rootRecords === 0) return { type, records };

  // Field widths of child pointers, as H5B2hdr.c derives them from the node size.
  const maxRecords0 = Math.floor((nodeSize - PREFIX) / recordSize);
  const nrecSize = encodedSize(maxRecords0);
  const cumulative: number[] = [maxRecords0];
  const cumulativeSize: number[] = [nrecSize];
  for (let d = 1; d <= depth; d++) {
    const pointer = O + nrecSize + (d > 1 ? cumulativeSize[d - 1] : 0);
    const max = Math.floor(
      (nodeSize - (PREFIX + pointer)) / (recordSize + pointer),
    );
    if (max < 1)
      throw new Hdf5FormatError(
        `v2 B-tree at ${address} has no room for records at depth ${d}`,
      );
    cumulative[d] = (max + 1) * cumulative[d - 1] + max;
    cumulativeSize[d] = encodedSize(cumulative[d]);
  }

  const pending = [{ address: root, count: rootRecords, depth }];
  const seen = new Set<number>();
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (seen.has(node.address))
      throw new Hdf5FormatError(
        `v2 B-tree node at ${node.address} is reached twice`,
      );
    seen.add(node.address);
    const c = await file.read(node.address, nodeSize, 'v2 B-tree node');
    c.signature(node.depth === 0 ? 'BTLF' : 'BTIN');
    c.skip(2);
    for (let i = 0; i < node.count; i++) {
      records.push(c.take(recordSize, 'v2 B-tree record'));
      if (records.length > maxRecords)
        throw new Hdf5FormatError(
          `v2 B-tree at ${address} holds more than ${maxRecords} records`,
        );
    }
    if (node.depth === 0) continue;
    for (let i = 0; i <= node.count; i++) {
      const child = c.address(O);
      const count = c.uint(nrecSize);
      if (node.depth > 1) c.skip(cumulativeSize[node.depth - 1]);
      if (child !== UNDEFINED_ADDRESS)
        pending.push({ address: child, count, depth: node.depth - 1 });
    }
  }
  return { type, records };
}
