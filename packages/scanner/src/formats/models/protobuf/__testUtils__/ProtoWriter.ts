/**
 * Test helper: builds protobuf messages field by field, so fixtures for ONNX and TensorFlow are
 * readable code instead of opaque bytes.
 */
export type ProtoValue = number | bigint | string | Uint8Array | ProtoMessage;

export class ProtoMessage {
  private readonly parts: Buffer[] = [];

  varint(field: number, value: number | bigint): this {
    this.parts.push(
      encodeVarint(BigInt(field) * 8n),
      encodeVarint(BigInt(value)),
    );
    return this;
  }

  bytes(field: number, value: string | Uint8Array | ProtoMessage): this {
    let payload: Buffer;
    if (value instanceof ProtoMessage) payload = value.toBytes();
    else
      payload =
        typeof value === 'string'
          ? Buffer.from(value, 'utf8')
          : Buffer.from(value);
    this.parts.push(
      encodeVarint(BigInt(field) * 8n + 2n),
      encodeVarint(BigInt(payload.length)),
      payload,
    );
    return this;
  }

  /** Appends raw bytes (for malformed fixtures). */
  raw(bytes: Uint8Array): this {
    this.parts.push(Buffer.from(bytes));
    return this;
  }

  toBytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export function message(): ProtoMessage {
  return new ProtoMessage();
}

function encodeVarint(value: bigint): Buffer {
  let v = value < 0n ? value + (1n << 64n) : value;
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}
