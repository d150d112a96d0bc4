import { Hdf5FormatError, UNDEFINED_ADDRESS, cString } from './cursor';
import type { Hdf5File } from './hdf5File';
import type { Link } from './messages';

/**
 * Old-style groups (what h5py writes by default): a version-1 B-tree of group nodes whose leaves
 * point at symbol table nodes (SNOD); names live in the group's local heap.
 */
const MAX_BTREE_DEPTH = 64;
const MAX_LOCAL_HEAP = 64 * 1024 * 1024;

export async function readSymbolTable(
  file: Hdf5File,
  btree: number,
  heap: number,
): Promise<Link[]> {
  const names = await readLocalHeap(file, heap);
  const links: Link[] = [];
  const pending: { address: number; depth: number }[] = [
    { address: btree, depth: 0 },
  ];
  const seen = new Set<number>();
  while (pending.length > 0) {
    const { address, depth } = pending.pop()!;
    if (address === UNDEFINED_ADDRESS) continue;
    if (seen.has(address) || depth > MAX_BTREE_DEPTH)
      throw new Hdf5FormatError(
        `group B-tree at ${address} loops or is too deep`,
      );
    seen.add(address);
    const O = file.offsetSize;
    const L = file.lengthSize;
    const head = await file.read(address, 8 + 2 * O, 'group B-tree node');
    head.signature('TREE');
    const nodeType = head.u8();
    if (nodeType !== 0)
      throw new Hdf5FormatError(
        `B-tree at ${address} is not a group node (type ${nodeType})`,
      );
    const level = head.u8();
    const entries = head.uint(2);
    const body = await file.read(
      address + 8 + 2 * O,
      entries * (L + O) + L,
      'group B-tree entries',
    );
    for (let i = 0; i < entries; i++) {
      body.skip(L); // key: heap offset of the first name
      const child = body.address(O);
      if (level > 0) pending.push({ address: child, depth: depth + 1 });
      else links.push(...(await readSymbolNode(file, child, names)));
    }
  }
  return links;
}

async function readSymbolNode(
  file: Hdf5File,
  address: number,
  names: Uint8Array,
): Promise<Link[]> {
  const O = file.offsetSize;
  const head = await file.read(address, 8, 'symbol table node');
  head.signature('SNOD');
  head.skip(2);
  const count = head.uint(2);
  const entrySize = 2 * O + 24;
  const c = await file.read(
    address + 8,
    count * entrySize,
    'symbol table entries',
  );
  const links: Link[] = [];
  for (let i = 0; i < count; i++) {
    const nameOffset = c.uint(O, 'link name offset');
    const objectAddress = c.address(O);
    c.skip(24); // cache type, reserved, scratch pad
    if (nameOffset >= names.length)
      throw new Hdf5FormatError(
        `symbol name offset ${nameOffset} outside the local heap`,
      );
    links.push({
      name: cString(names.subarray(nameOffset, nameOffset + 4096)),
      address: objectAddress === UNDEFINED_ADDRESS ? undefined : objectAddress,
    });
  }
  return links;
}

/** The data segment of a local heap (group member names). */
async function readLocalHeap(
  file: Hdf5File,
  address: number,
): Promise<Uint8Array> {
  const O = file.offsetSize;
  const L = file.lengthSize;
  const c = await file.read(address, 8 + 2 * L + O, 'local heap');
  c.signature('HEAP');
  c.skip(4);
  const size = c.uint(L, 'local heap size');
  c.skip(L);
  const data = c.address(O);
  if (size > MAX_LOCAL_HEAP)
    throw new Hdf5FormatError(`local heap of ${size} bytes`);
  return (await file.read(data, size, 'local heap data')).bytes;
}
