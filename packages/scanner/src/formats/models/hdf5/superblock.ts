import { Cursor, Hdf5FormatError } from './cursor';

/** What the walk needs from the superblock (versions 0–3). */
export interface Superblock {
  version: number;
  signatureOffset: number;
  baseAddress: number;
  offsetSize: number;
  lengthSize: number;
  /** Root group object header address. */
  rootObjectHeader: number;
  /** v0/v1 only: the root symbol table entry's cached B-tree and local heap (may be absent). */
  rootSymbolTable?: { btree: number; heap: number };
}

/**
 * Parses the superblock that follows the signature at `signatureOffset`. `bytes` must start at
 * the signature and hold at least 128 bytes (or the rest of the file).
 */
export function parseSuperblock(
  bytes: Uint8Array,
  signatureOffset: number,
): Superblock {
  const c = new Cursor(bytes, 8, signatureOffset);
  const version = c.u8();
  if (version === 0 || version === 1) {
    c.skip(3); // free-space, root symbol table entry and reserved versions
    c.skip(1); // shared header message format version
    const offsetSize = c.u8();
    const lengthSize = c.u8();
    checkSizes(offsetSize, lengthSize);
    c.skip(1);
    c.skip(4); // group leaf and internal node K
    c.skip(4); // file consistency flags
    if (version === 1) c.skip(4); // indexed storage K + reserved
    const baseAddress = c.uint(offsetSize, 'base address');
    c.skip(offsetSize * 3); // free space, end of file, driver info addresses
    // Root group symbol table entry.
    c.skip(offsetSize); // link name offset
    const rootObjectHeader = c.uint(offsetSize, 'root object header address');
    const cacheType = c.uint(4);
    c.skip(4);
    let rootSymbolTable: Superblock['rootSymbolTable'];
    if (cacheType === 1) {
      const btree = c.address(offsetSize);
      const heap = c.address(offsetSize);
      rootSymbolTable = { btree, heap };
    }
    return {
      version,
      signatureOffset,
      baseAddress:
        baseAddress === signatureOffset ? baseAddress : signatureOffset,
      offsetSize,
      lengthSize,
      rootObjectHeader,
      rootSymbolTable,
    };
  }
  if (version === 2 || version === 3) {
    const offsetSize = c.u8();
    const lengthSize = c.u8();
    checkSizes(offsetSize, lengthSize);
    c.skip(1); // file consistency flags
    const baseAddress = c.uint(offsetSize, 'base address');
    c.skip(offsetSize * 2); // superblock extension, end of file
    const rootObjectHeader = c.uint(offsetSize, 'root object header address');
    return {
      version,
      signatureOffset,
      baseAddress:
        baseAddress === signatureOffset ? baseAddress : signatureOffset,
      offsetSize,
      lengthSize,
      rootObjectHeader,
    };
  }
  throw new Hdf5FormatError(`unknown HDF5 superblock version ${version}`);
}

function checkSizes(offsetSize: number, lengthSize: number) {
  for (const size of [offsetSize, lengthSize]) {
    if (![2, 4, 8].includes(size))
      throw new Hdf5FormatError(`invalid HDF5 offset/length size ${size}`);
  }
}
