import type { BufferedSource } from '../common/BufferedSource';
import { LimitExceededError } from '../../../engine/errors';

/**
 * A protobuf wire-format walker over a ByteSource, for schemas we know by field number (ONNX,
 * TensorFlow). It yields field headers and value ranges; length-delimited payloads (tensor data)
 * are skipped by offset, never read, unless a caller asks for their bytes with a cap.
 */
export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  Fixed32: 5,
} as const;

export interface ProtoField {
  field: number;
  wireType: number;
  /** Offset of the tag. */
  offset: number;
  /** Varint payload (lossy above 2^53); 0 for other wire types. */
  value: number;
  /** Payload range, absolute: the bytes of a length-delimited field, or of a fixed-size value. */
  start: number;
  end: number;
}

export class ProtoError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'ProtoError';
  }
}

export interface ProtoWalkOptions {
  /** Maximum fields visited in total; protects against billions of tiny fields. */
  maxFields: number;
  /** Called every few thousand fields (deadline checks). */
  onProgress?: () => void;
}

export class ProtoReader {
  private fieldsVisited = 0;
  readonly input: BufferedSource;

  constructor(
    input: BufferedSource,
    private readonly options: ProtoWalkOptions,
  ) {
    this.input = input;
  }

  get size(): number {
    return this.input.size;
  }

  /** Fields of the message occupying [start, end). Throws ProtoError on invalid wire data. */
  async *fields(start: number, end: number): AsyncGenerator<ProtoField> {
    let pos = start;
    while (pos < end) {
      if (++this.fieldsVisited > this.options.maxFields) {
        throw new LimitExceededError(
          'protobufFields',
          `more than ${this.options.maxFields} protobuf fields`,
        );
      }
      if ((this.fieldsVisited & 0xfff) === 0) this.options.onProgress?.();
      const offset = pos;
      const [tag, afterTag] = await this.varint(pos, end);
      const field = Math.floor(tag / 8);
      const wireType = tag % 8;
      if (field === 0) throw new ProtoError('field number 0', offset);
      pos = afterTag;
      let value = 0;
      let valueStart = pos;
      switch (wireType) {
        case WireType.Varint:
          [value, pos] = await this.varint(pos, end);
          break;
        case WireType.Fixed64:
          pos += 8;
          break;
        case WireType.Fixed32:
          pos += 4;
          break;
        case WireType.LengthDelimited: {
          const [length, afterLength] = await this.varint(pos, end);
          valueStart = afterLength;
          pos = afterLength + length;
          break;
        }
        default:
          throw new ProtoError(`unsupported wire type ${wireType}`, offset);
      }
      if (pos > end)
        throw new ProtoError(
          `field ${field} runs past the end of its message`,
          offset,
        );
      yield { field, wireType, offset, value, start: valueStart, end: pos };
    }
  }

  /** The payload of a length-delimited field, at most `max` bytes (longer payloads are cut). */
  async bytes(field: ProtoField, max: number): Promise<Uint8Array> {
    return this.input.bytes(
      field.start,
      Math.min(field.end - field.start, max),
    );
  }

  async string(field: ProtoField, max = 4096): Promise<string> {
    return Buffer.from(await this.bytes(field, max)).toString('utf8');
  }

  private async varint(pos: number, end: number): Promise<[number, number]> {
    const bytes = await this.input.bytes(pos, Math.min(10, end - pos));
    let value = 0;
    let scale = 1;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      value += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return [value, pos + i + 1];
    }
    throw new ProtoError('truncated or overlong varint', pos);
  }
}
