import type { ByteSource } from '../../../io/ByteSource';
import { Cursor, Hdf5FormatError, UNDEFINED_ADDRESS } from './cursor';

/** Explicit limits of one walk; every one that is hit is reported, never silently absorbed. */
export interface Hdf5Limits {
  /** Metadata bytes the walk may read in total. */
  maxMetadataBytes: number;
  /** Objects (groups, datasets, committed datatypes) visited. */
  maxObjects: number;
  /** Header messages parsed across all objects. */
  maxMessages: number;
  /** Largest single attribute value decoded (a Keras model_config is at most a few MiB). */
  maxAttributeBytes: number;
  checkDeadline: () => void;
}

export const DEFAULT_HDF5_LIMITS: Omit<Hdf5Limits, 'checkDeadline'> = {
  maxMetadataBytes: 64 * 1024 * 1024,
  maxObjects: 100_000,
  maxMessages: 1_000_000,
  maxAttributeBytes: 16 * 1024 * 1024,
};

export class Hdf5LimitError extends Error {
  constructor(readonly limit: keyof Hdf5Limits, message: string) {
    super(message);
  }
}

/** The parts of the superblock every structure needs, and budgeted reads relative to the base. */
export class Hdf5File {
  metadataBytes = 0;
  messages = 0;

  constructor(
    readonly source: ByteSource,
    readonly limits: Hdf5Limits,
    /** Absolute offset that file addresses are relative to (the user block size). */
    readonly baseAddress: number,
    readonly offsetSize: number,
    readonly lengthSize: number,
  ) {}

  /** Reads `length` bytes at file address `address`; the whole range must exist. */
  async read(address: number, length: number, what: string): Promise<Cursor> {
    if (address === UNDEFINED_ADDRESS)
      throw new Hdf5FormatError(`${what} has an undefined address`);
    const absolute = this.baseAddress + address;
    if (
      !Number.isSafeInteger(absolute) ||
      absolute < 0 ||
      length < 0 ||
      absolute + length > this.source.size
    )
      throw new Hdf5FormatError(
        `${what} at ${address} (${length} bytes) lies outside the file of ${this.source.size} bytes`,
      );
    this.metadataBytes += length;
    if (this.metadataBytes > this.limits.maxMetadataBytes)
      throw new Hdf5LimitError(
        'maxMetadataBytes',
        `more than ${this.limits.maxMetadataBytes} bytes of HDF5 metadata`,
      );
    this.limits.checkDeadline();
    const bytes = await this.source.read(absolute, length);
    return new Cursor(bytes, 0, address);
  }

  /** Reads up to `length` bytes (fewer at the end of the file), for structures of unknown size. */
  async readUpTo(
    address: number,
    length: number,
    what: string,
  ): Promise<Cursor> {
    const available = this.source.size - (this.baseAddress + address);
    return this.read(address, Math.max(0, Math.min(length, available)), what);
  }

  countMessage(): void {
    if (++this.messages > this.limits.maxMessages)
      throw new Hdf5LimitError(
        'maxMessages',
        `more than ${this.limits.maxMessages} HDF5 header messages`,
      );
  }
}
