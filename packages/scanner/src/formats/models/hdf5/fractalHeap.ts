import {
  Cursor,
  Hdf5FormatError,
  UNDEFINED_ADDRESS,
  bytesForBits,
  encodedSize,
} from './cursor';
import type { Hdf5File } from './hdf5File';
import { readBtree2 } from './btree2';

/**
 * Fractal heaps (dense link and attribute storage, HDF5 1.8+): resolves heap IDs to object bytes.
 * Managed objects live in direct blocks reached from the root (direct or indirect) block; huge
 * objects sit elsewhere in the file, indexed by a v2 B-tree; tiny ones are inside the ID.
 * Filtered (compressed) heaps are refused: their blocks cannot be read without inflating.
 */
const MAX_DIRECT_BLOCKS = 65_536;
const MAX_ROWS = 64;

interface DirectBlock {
  address: number;
  size: number;
  offset: number;
}

export class FractalHeap {
  private blocks?: DirectBlock[];
  private huge?: Map<number, { address: number; length: number }>;

  private constructor(
    private readonly file: Hdf5File,
    readonly address: number,
    private readonly h: {
      idLength: number;
      filterLength: number;
      flags: number;
      maxManagedSize: number;
      hugeBtree: number;
      tableWidth: number;
      startBlockSize: number;
      maxDirectBlockSize: number;
      maxHeapSizeBits: number;
      rootBlock: number;
      rootRows: number;
    },
  ) {}

  static async open(file: Hdf5File, address: number): Promise<FractalHeap> {
    const O = file.offsetSize;
    const L = file.lengthSize;
    const c = await file.read(
      address,
      4 + 1 + 2 + 2 + 1 + 4 + L + O + L + O + 8 * L + 2 + L + L + 2 + 2 + O + 2,
      'fractal heap header',
    );
    c.signature('FRHP');
    c.u8();
    const idLength = c.uint(2);
    const filterLength = c.uint(2);
    const flags = c.u8();
    const maxManagedSize = c.uint(4);
    c.skip(L); // next huge ID
    const hugeBtree = c.address(O);
    c.skip(L); // free space
    c.skip(O); // free space manager
    c.skip(L * 3); // managed space, allocated, iterator offset
    c.skip(L * 5); // object counts and sizes
    const tableWidth = c.uint(2);
    const startBlockSize = c.uint(L);
    const maxDirectBlockSize = c.uint(L);
    const maxHeapSizeBits = c.uint(2);
    c.skip(2); // starting rows of the root indirect block
    const rootBlock = c.address(O);
    const rootRows = c.uint(2);
    if (
      tableWidth === 0 ||
      tableWidth > 65_536 ||
      startBlockSize === 0 ||
      maxDirectBlockSize < startBlockSize ||
      maxHeapSizeBits === 0 ||
      maxHeapSizeBits > 64 ||
      idLength === 0 ||
      idLength > 4096 ||
      rootRows > MAX_ROWS
    )
      throw new Hdf5FormatError(
        `implausible fractal heap header at ${address}`,
      );
    return new FractalHeap(file, address, {
      idLength,
      filterLength,
      flags,
      maxManagedSize,
      hugeBtree,
      tableWidth,
      startBlockSize,
      maxDirectBlockSize,
      maxHeapSizeBits,
      rootBlock,
      rootRows,
    });
  }

  get idLength(): number {
    return this.h.idLength;
  }

  /** The bytes of the object a heap ID names. */
  async object(id: Uint8Array): Promise<Uint8Array> {
    const c = new Cursor(id);
    const first = c.u8();
    const kind = (first >> 4) & 0x03;
    if (kind === 2) return id.subarray(1, 1 + (first & 0x0f) + 1); // tiny (short form)
    if (kind === 1) return this.hugeObject(c);
    if (kind !== 0)
      throw new Hdf5FormatError(`unknown fractal heap ID type ${kind}`);
    if (this.h.filterLength > 0)
      throw new Hdf5FormatError(
        'filtered fractal heap (compressed dense storage) is not supported',
      );
    const offset = c.uint(bytesForBits(this.h.maxHeapSizeBits), 'heap offset');
    const lengthSize = Math.min(
      bytesForBits(Math.log2(this.h.maxDirectBlockSize)),
      encodedSize(this.h.maxManagedSize),
    );
    const length = c.uint(lengthSize, 'heap object length');
    const block = (await this.directBlocks()).find(
      b => offset >= b.offset && offset + length <= b.offset + b.size,
    );
    if (!block)
      throw new Hdf5FormatError(
        `heap offset ${offset} is in no direct block of the heap at ${this.address}`,
      );
    if (length > this.file.limits.maxAttributeBytes)
      throw new Hdf5FormatError(`heap object of ${length} bytes`);
    return (
      await this.file.read(
        block.address + (offset - block.offset),
        length,
        'heap object',
      )
    ).bytes;
  }

  private async hugeObject(c: Cursor): Promise<Uint8Array> {
    const O = this.file.offsetSize;
    const L = this.file.lengthSize;
    let address: number;
    let length: number;
    if (this.h.idLength - 1 >= O + L && this.h.filterLength === 0) {
      address = c.uint(O);
      length = c.uint(L);
    } else {
      const key = c.uint(Math.min(this.h.idLength - 1, L));
      this.huge ??= await this.readHugeIndex();
      const entry = this.huge.get(key);
      if (!entry)
        throw new Hdf5FormatError(
          `huge heap object ${key} is not in the heap's index`,
        );
      ({ address, length } = entry);
    }
    if (this.h.filterLength > 0)
      throw new Hdf5FormatError('filtered huge heap object is not supported');
    if (length > this.file.limits.maxAttributeBytes)
      throw new Hdf5FormatError(
        `huge heap object of ${length} bytes exceeds maxAttributeBytes`,
      );
    return (await this.file.read(address, length, 'huge heap object')).bytes;
  }

  private async readHugeIndex() {
    const index = new Map<number, { address: number; length: number }>();
    if (this.h.hugeBtree === UNDEFINED_ADDRESS) return index;
    const tree = await readBtree2(this.file, this.h.hugeBtree, 1_000_000);
    const O = this.file.offsetSize;
    const L = this.file.lengthSize;
    for (const record of tree.records) {
      const r = new Cursor(record);
      if (tree.type === 1) {
        const address = r.uint(O);
        const length = r.uint(L);
        index.set(r.uint(L), { address, length });
      } else
        throw new Hdf5FormatError(
          `huge object index of type ${tree.type} (filtered) is not supported`,
        );
    }
    return index;
  }

  /** Every direct block with the heap offset range it covers, from the root down. */
  private async directBlocks(): Promise<DirectBlock[]> {
    if (this.blocks) return this.blocks;
    const blocks: DirectBlock[] = [];
    const { rootBlock, rootRows, startBlockSize } = this.h;
    if (rootBlock === UNDEFINED_ADDRESS) return (this.blocks = blocks);
    if (rootRows === 0)
      blocks.push({ address: rootBlock, size: startBlockSize, offset: 0 });
    else await this.walkIndirect(rootBlock, rootRows, blocks, 0);
    // Direct blocks record their own heap offset: trust it only if it matches the table's layout.
    return (this.blocks = blocks);
  }

  private rowBlockSize(row: number): number {
    return row === 0
      ? this.h.startBlockSize
      : this.h.startBlockSize * 2 ** (row - 1);
  }

  private async walkIndirect(
    address: number,
    rows: number,
    blocks: DirectBlock[],
    depth: number,
  ): Promise<void> {
    if (depth > 16)
      throw new Hdf5FormatError('fractal heap indirect blocks nest too deep');
    const O = this.file.offsetSize;
    const { tableWidth: width, maxDirectBlockSize } = this.h;
    const maxDirectRows =
      Math.log2(maxDirectBlockSize) - Math.log2(this.h.startBlockSize) + 2;
    const directRows = Math.min(rows, maxDirectRows);
    const indirectRows = rows - directRows;
    const offsetBytes = bytesForBits(this.h.maxHeapSizeBits);
    const size =
      4 + 1 + O + offsetBytes + (directRows * width + indirectRows * width) * O;
    const c = await this.file.read(
      address,
      size,
      'fractal heap indirect block',
    );
    c.signature('FHIB');
    c.u8();
    c.skip(O);
    let offset = c.uint(offsetBytes, 'indirect block offset');
    for (let row = 0; row < rows; row++) {
      const rowSize = this.rowBlockSize(row);
      for (let column = 0; column < width; column++) {
        const child = c.address(O);
        if (row < maxDirectRows) {
          if (child !== UNDEFINED_ADDRESS)
            blocks.push({ address: child, size: rowSize, offset });
        } else if (child !== UNDEFINED_ADDRESS) {
          const childRows =
            Math.log2(rowSize) - Math.log2(this.h.startBlockSize * width) + 1;
          await this.walkIndirect(child, childRows, blocks, depth + 1);
        }
        if (blocks.length > MAX_DIRECT_BLOCKS)
          throw new Hdf5FormatError('fractal heap has too many direct blocks');
        offset += rowSize;
      }
    }
  }
}
