import { Cursor, Hdf5FormatError, cString } from './cursor';

/** Decoders for the header messages the walk needs (HDF5 file format spec, section IV.A.2). */

export interface Datatype {
  /** 0 fixed-point, 1 float, 3 string, 6 compound, 9 variable-length... */
  typeClass: number;
  size: number;
  /** Variable-length string (class 9, type 1). */
  vlenString: boolean;
}

export function parseDatatype(c: Cursor): Datatype {
  const classAndVersion = c.u8();
  const typeClass = classAndVersion & 0x0f;
  const bits0 = c.u8();
  c.skip(2);
  const size = c.uint(4, 'datatype size');
  return {
    typeClass,
    size,
    vlenString: typeClass === 9 && (bits0 & 0x0f) === 1,
  };
}

/** Number of elements in a dataspace (scalar = 1, null = 0). */
export function parseDataspace(c: Cursor, lengthSize: number): number {
  const version = c.u8();
  const rank = c.u8();
  const flags = c.u8();
  let isNull = false;
  if (version === 1) c.skip(5);
  else if (version === 2) isNull = c.u8() === 2;
  else throw new Hdf5FormatError(`unknown dataspace version ${version}`);
  if (rank > 32) throw new Hdf5FormatError(`dataspace rank ${rank}`);
  let elements = 1;
  for (let i = 0; i < rank; i++) {
    elements *= c.uint(lengthSize, 'dimension');
    if (!Number.isSafeInteger(elements))
      throw new Hdf5FormatError('dataspace too large');
  }
  void flags; // maximum dimensions follow; not needed
  return isNull ? 0 : elements;
}

export interface RawAttribute {
  name: string;
  datatype?: Datatype;
  elements: number;
  data: Uint8Array;
  /** Why the value cannot be decoded, when it cannot. */
  undecodable?: string;
}

/** Attribute message, versions 1–3. */
export function parseAttribute(
  body: Uint8Array,
  lengthSize: number,
  address = 0,
): RawAttribute {
  const c = new Cursor(body, 0, address);
  const version = c.u8();
  if (version < 1 || version > 3)
    throw new Hdf5FormatError(`unknown attribute message version ${version}`);
  const flags = version === 1 ? (c.skip(1), 0) : c.u8();
  const nameSize = c.uint(2);
  const datatypeSize = c.uint(2);
  const dataspaceSize = c.uint(2);
  if (version === 3) c.skip(1); // name character set
  const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  const name = cString(c.take(nameSize, 'attribute name'));
  c.skip(pad(nameSize) - nameSize);
  const datatypeBytes = c.take(datatypeSize, 'attribute datatype');
  c.skip(pad(datatypeSize) - datatypeSize);
  const dataspaceBytes = c.take(dataspaceSize, 'attribute dataspace');
  c.skip(pad(dataspaceSize) - dataspaceSize);
  if (flags & 0x03)
    return {
      name,
      elements: 0,
      data: new Uint8Array(),
      undecodable: 'shared datatype or dataspace',
    };
  const datatype = parseDatatype(new Cursor(datatypeBytes));
  const elements = parseDataspace(new Cursor(dataspaceBytes), lengthSize);
  return { name, datatype, elements, data: c.bytes.subarray(c.pos) };
}

export interface Link {
  name: string;
  /** Object header address of a hard link; undefined for soft and external links. */
  address?: number;
}

/** Link message (version 1). */
export function parseLink(body: Uint8Array, offsetSize: number): Link {
  const c = new Cursor(body);
  const version = c.u8();
  if (version !== 1)
    throw new Hdf5FormatError(`unknown link message version ${version}`);
  const flags = c.u8();
  const type = flags & 0x08 ? c.u8() : 0;
  if (flags & 0x04) c.skip(8);
  if (flags & 0x10) c.skip(1);
  const nameLength = c.uint(1 << (flags & 0x03), 'link name length');
  const name = Buffer.from(c.take(nameLength, 'link name')).toString('utf8');
  return type === 0
    ? { name, address: c.uint(offsetSize, 'link address') }
    : { name };
}

/** Link info and attribute info messages: where dense storage (fractal heap + name index) lives. */
export interface DenseStorage {
  heap: number;
  nameIndex: number;
}

/**
 * Link info (0x0002) and attribute info (0x0015) share a layout: version, flags, an optional
 * creation-order field (8 bytes for links, 2 for attributes), then the heap and name index.
 */
export function parseDenseStorageInfo(
  body: Uint8Array,
  offsetSize: number,
  kind: 'links' | 'attributes',
): DenseStorage {
  const c = new Cursor(body);
  c.u8(); // version 0
  const flags = c.u8();
  if (flags & 0x01) c.skip(kind === 'links' ? 8 : 2);
  return { heap: c.address(offsetSize), nameIndex: c.address(offsetSize) };
}

export function parseSymbolTableMessage(body: Uint8Array, offsetSize: number) {
  const c = new Cursor(body);
  return { btree: c.address(offsetSize), heap: c.address(offsetSize) };
}
