import { Hdf5FormatError } from './cursor';
import type { Hdf5File } from './hdf5File';

/**
 * Global heap collections hold variable-length data (h5py's `str` attributes). Collections are
 * cached per walk: Keras puts all its strings in one.
 */
export class GlobalHeaps {
  private readonly collections = new Map<number, Map<number, Uint8Array>>();
  constructor(private readonly file: Hdf5File) {}

  async object(collection: number, index: number): Promise<Uint8Array> {
    let objects = this.collections.get(collection);
    if (!objects) {
      objects = await this.readCollection(collection);
      this.collections.set(collection, objects);
    }
    const object = objects.get(index);
    if (!object)
      throw new Hdf5FormatError(
        `global heap object ${index} missing from collection at ${collection}`,
      );
    return object;
  }

  private async readCollection(
    address: number,
  ): Promise<Map<number, Uint8Array>> {
    const L = this.file.lengthSize;
    const head = await this.file.read(address, 8 + L, 'global heap collection');
    head.signature('GCOL');
    head.skip(4);
    const size = head.uint(L, 'global heap collection size');
    if (size > this.file.limits.maxAttributeBytes + 4096)
      throw new Hdf5FormatError(
        `global heap collection of ${size} bytes exceeds maxAttributeBytes`,
      );
    const c = await this.file.read(address, size, 'global heap collection');
    c.skip(8 + L);
    const objects = new Map<number, Uint8Array>();
    while (c.remaining >= 8 + L) {
      const index = c.uint(2);
      c.skip(6); // reference count, reserved
      const length = c.uint(L, 'global heap object size');
      if (index === 0) break; // free space runs to the end of the collection
      objects.set(index, c.take(length, 'global heap object'));
      c.skip(Math.min(c.remaining, (8 - (length % 8)) % 8));
    }
    return objects;
  }
}
