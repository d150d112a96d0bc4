import type { ByteSource } from '../../../io/ByteSource';
import { Cursor, Hdf5FormatError, UNDEFINED_ADDRESS } from './cursor';
import { FractalHeap } from './fractalHeap';
import { readBtree2 } from './btree2';
import { GlobalHeaps } from './globalHeap';
import { Hdf5File, Hdf5LimitError, type Hdf5Limits } from './hdf5File';
import {
  parseAttribute,
  parseDataspace,
  parseDatatype,
  parseLink,
  parseDenseStorageInfo,
  parseSymbolTableMessage,
  type Link,
  type RawAttribute,
} from './messages';
import { MSG, readObjectHeader, type HeaderMessage } from './objectHeader';
import { parseSuperblock } from './superblock';
import { readSymbolTable } from './symbolTable';

/**
 * Walks an HDF5 file's metadata — superblock, every object header reachable from the root group
 * (old-style symbol tables and new-style links, compact or dense), every attribute (compact or in
 * dense storage) — and returns all attributes with their string values decoded. Never reads
 * dataset data. A pure function over a random-access source with explicit limits.
 */
export interface Hdf5Attribute {
  /** Path of the object holding it (`/` for the root group). */
  objectPath: string;
  name: string;
  storage: 'compact' | 'dense';
  /** Decoded string elements, when the attribute is a (fixed or variable-length) string. */
  strings?: string[];
  /** Datatype class (HDF5 numbering), when known. */
  typeClass?: number;
  /** Why the value was not decoded. */
  undecodable?: string;
}

export interface Hdf5Walk {
  superblockVersion?: number;
  attributes: Hdf5Attribute[];
  objects: number;
  /** Structural problems; a non-empty list means parts of the file were not walked. */
  problems: string[];
  /** A limit that stopped the walk. */
  limit?: string;
  metadataBytes: number;
  /** Datasets seen (objects with a dataspace and a datatype) and the bytes their shapes declare. */
  datasets: number;
  declaredDataBytes: number;
  largestDataset?: { path: string; bytes: number };
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_PROBLEMS = 20;

export async function walkHdf5(
  source: ByteSource,
  limits: Hdf5Limits,
): Promise<Hdf5Walk> {
  const result: Hdf5Walk = {
    attributes: [],
    objects: 0,
    problems: [],
    metadataBytes: 0,
    datasets: 0,
    declaredDataBytes: 0,
  };
  const problem = (message: string) => {
    if (result.problems.length < MAX_PROBLEMS) result.problems.push(message);
  };
  const signatureOffset = await findSignature(source);
  if (signatureOffset === undefined) {
    problem('no HDF5 signature at 0, 512, 1024, ... ');
    return result;
  }
  let file: Hdf5File | undefined;
  try {
    const head = await source.read(signatureOffset, 256);
    result.metadataBytes += head.length;
    const superblock = parseSuperblock(head, signatureOffset);
    result.superblockVersion = superblock.version;
    file = new Hdf5File(
      source,
      limits,
      superblock.baseAddress,
      superblock.offsetSize,
      superblock.lengthSize,
    );
    const globalHeaps = new GlobalHeaps(file);
    const visited = new Set<number>();
    const queue: {
      address: number;
      path: string;
      symbolTable?: { btree: number; heap: number };
    }[] = [
      {
        address: superblock.rootObjectHeader,
        path: '/',
        symbolTable: superblock.rootSymbolTable,
      },
    ];
    while (queue.length > 0) {
      const object = queue.shift()!;
      if (visited.has(object.address)) continue; // hard links to one object, or a cycle
      visited.add(object.address);
      if (++result.objects > limits.maxObjects)
        throw new Hdf5LimitError(
          'maxObjects',
          `more than ${limits.maxObjects} HDF5 objects`,
        );
      try {
        const children = await walkObject(
          file,
          globalHeaps,
          object.address,
          object.path,
          result,
          problem,
        );
        for (const link of children) {
          if (link.address === undefined) continue;
          queue.push({
            address: link.address,
            path: `${object.path === '/' ? '' : object.path}/${link.name}`,
          });
        }
      } catch (error) {
        if (error instanceof Hdf5LimitError) throw error;
        if (!(error instanceof Hdf5FormatError)) throw error;
        problem(`${object.path}: ${error.message}`);
      }
    }
  } catch (error) {
    if (error instanceof Hdf5LimitError) result.limit = error.message;
    else if (error instanceof Hdf5FormatError) problem(error.message);
    else throw error;
  }
  result.metadataBytes += file?.metadataBytes ?? 0;
  return result;
}

async function findSignature(source: ByteSource): Promise<number | undefined> {
  // The superblock may follow a user block of 512 × 2^n bytes.
  for (let at = 0; at + 8 <= source.size; at = at === 0 ? 512 : at * 2) {
    const bytes = await source.read(at, 8);
    if (SIGNATURE.every((b, i) => bytes[i] === b)) return at;
    if (at > 1 << 30) break;
  }
  return undefined;
}

/** Collects one object's attributes and returns the links of a group. */
async function walkObject(
  file: Hdf5File,
  globalHeaps: GlobalHeaps,
  address: number,
  path: string,
  result: Hdf5Walk,
  problem: (message: string) => void,
): Promise<Link[]> {
  const messages = await readObjectHeader(file, address);
  const links: Link[] = [];
  for (const message of messages) {
    try {
      await handleMessage(file, globalHeaps, message, path, result, links);
    } catch (error) {
      if (!(error instanceof Hdf5FormatError)) throw error;
      problem(`${path}: ${error.message}`);
    }
  }
  try {
    recordDataset(file, messages, path, result);
  } catch (error) {
    if (!(error instanceof Hdf5FormatError)) throw error;
    problem(`${path}: ${error.message}`);
  }
  return links;
}

/**
 * A dataset's shape times its element size is what a loader allocates to read it (Keras reads
 * every weight into memory): a crafted file can declare far more than it holds (CVE-2026-12570).
 */
function recordDataset(
  file: Hdf5File,
  messages: HeaderMessage[],
  path: string,
  result: Hdf5Walk,
) {
  const space = messages.find(m => m.type === MSG.dataspace);
  const type = messages.find(m => m.type === MSG.datatype);
  if (!space || !type) return;
  const elements = parseDataspace(new Cursor(space.body), file.lengthSize);
  const bytes = elements * parseDatatype(new Cursor(type.body)).size;
  result.datasets++;
  result.declaredDataBytes += bytes;
  if (bytes > (result.largestDataset?.bytes ?? -1))
    result.largestDataset = { path, bytes };
}

async function handleMessage(
  file: Hdf5File,
  globalHeaps: GlobalHeaps,
  message: HeaderMessage,
  path: string,
  result: Hdf5Walk,
  links: Link[],
) {
  const O = file.offsetSize;
  switch (message.type) {
    case MSG.attribute: {
      if (message.flags & 0x02) {
        result.attributes.push({
          objectPath: path,
          name: '?',
          storage: 'compact',
          undecodable: 'shared attribute message',
        });
        return;
      }
      const raw = parseAttribute(
        message.body,
        file.lengthSize,
        message.address,
      );
      result.attributes.push(
        await decodeAttribute(file, globalHeaps, raw, path, 'compact'),
      );
      return;
    }
    case MSG.attributeInfo: {
      // Type 8 (name index) and type 9 (creation order) records start with the heap ID.
      for (const body of await denseObjects(
        file,
        message,
        'attributes',
        () => 0,
      )) {
        const raw = parseAttribute(body, file.lengthSize);
        file.countMessage();
        result.attributes.push(
          await decodeAttribute(file, globalHeaps, raw, path, 'dense'),
        );
      }
      return;
    }
    case MSG.symbolTable: {
      const { btree, heap } = parseSymbolTableMessage(message.body, O);
      links.push(...(await readSymbolTable(file, btree, heap)));
      return;
    }
    case MSG.link:
      links.push(parseLink(message.body, O));
      return;
    case MSG.linkInfo: {
      // Type 5 (name index): a 4-byte hash, then the heap ID; type 6 (creation order): 8 bytes first.
      const skip = (type: number) => (type === 6 ? 8 : 4);
      for (const body of await denseObjects(file, message, 'links', skip))
        links.push(parseLink(body, O));
      return;
    }
    default:
      return;
  }
}

/** The heap objects a dense-storage message indexes (links or attribute messages). */
async function denseObjects(
  file: Hdf5File,
  message: HeaderMessage,
  kind: 'links' | 'attributes',
  idOffset: (recordType: number) => number,
): Promise<Uint8Array[]> {
  const dense = parseDenseStorageInfo(message.body, file.offsetSize, kind);
  if (dense.heap === UNDEFINED_ADDRESS || dense.nameIndex === UNDEFINED_ADDRESS)
    return [];
  const heap = await FractalHeap.open(file, dense.heap);
  const maxRecords =
    kind === 'links' ? file.limits.maxObjects : file.limits.maxMessages;
  const tree = await readBtree2(file, dense.nameIndex, maxRecords);
  const objects: Uint8Array[] = [];
  for (const record of tree.records) {
    const at = idOffset(tree.type);
    objects.push(await heap.object(record.subarray(at, at + heap.idLength)));
  }
  return objects;
}

async function decodeAttribute(
  file: Hdf5File,
  globalHeaps: GlobalHeaps,
  raw: RawAttribute,
  path: string,
  storage: 'compact' | 'dense',
): Promise<Hdf5Attribute> {
  const attribute: Hdf5Attribute = {
    objectPath: path,
    name: raw.name,
    storage,
    typeClass: raw.datatype?.typeClass,
  };
  if (raw.undecodable || !raw.datatype)
    return { ...attribute, undecodable: raw.undecodable ?? 'no datatype' };
  const { datatype, elements } = raw;
  const count = Math.min(elements, 100_000);
  if (datatype.typeClass === 3) {
    if (datatype.size * count > file.limits.maxAttributeBytes)
      return { ...attribute, undecodable: 'larger than maxAttributeBytes' };
    const strings: string[] = [];
    const c = new Cursor(raw.data);
    for (let i = 0; i < count; i++)
      strings.push(trimString(c.take(datatype.size, 'string attribute value')));
    return { ...attribute, strings };
  }
  if (datatype.vlenString) {
    const strings: string[] = [];
    const c = new Cursor(raw.data);
    let total = 0;
    for (let i = 0; i < count; i++) {
      const length = c.uint(4);
      const collection = c.address(file.offsetSize);
      const index = c.uint(4);
      if (collection === UNDEFINED_ADDRESS || length === 0) {
        strings.push('');
        continue;
      }
      const bytes = await globalHeaps.object(collection, index);
      total += bytes.length;
      if (total > file.limits.maxAttributeBytes)
        return {
          ...attribute,
          strings,
          undecodable: 'larger than maxAttributeBytes',
        };
      strings.push(trimString(bytes.subarray(0, length)));
    }
    return { ...attribute, strings };
  }
  return attribute;
}

function trimString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return Buffer.from(nul === -1 ? bytes : bytes.subarray(0, nul)).toString(
    'utf8',
  );
}
