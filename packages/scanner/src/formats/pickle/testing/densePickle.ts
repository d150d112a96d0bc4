/**
 * The opcode-dense shape of the benchmarks, in memory: `[(i, -i) for i in range(tuples)]` as
 * CPython's protocol 4 writes it (64 KiB frames, every tuple memoised, appends in batches of 1000).
 */
export function denseTuplePickle(tuples: number): Uint8Array {
  const parts: Uint8Array[] = [];
  denseTupleFrames(tuples, part => parts.push(part));
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** The same pickle handed out frame by frame (each part is fresh), to write one without holding it. */
export function denseTupleFrames(
  tuples: number,
  emit: (part: Uint8Array) => void,
): void {
  const FRAME_TARGET = 64 * 1024;
  let frame = new Uint8Array(FRAME_TARGET + 64);
  let used = 0;
  let first = true;
  const flush = (last: boolean) => {
    if (last) frame[used++] = 0x2e; // STOP
    const head = new Uint8Array(first ? 11 : 9);
    let at = 0;
    if (first) {
      head[at++] = 0x80; // PROTO 4
      head[at++] = 4;
    }
    head[at++] = 0x95; // FRAME
    new DataView(head.buffer).setBigUint64(at, BigInt(used), true);
    emit(head);
    emit(frame.subarray(0, used));
    first = false;
    frame = new Uint8Array(FRAME_TARGET + 64);
    used = 0;
  };
  const int = (value: number) => {
    if (value >= 0 && value <= 0xff) {
      frame[used++] = 0x4b; // BININT1
      frame[used++] = value;
    } else if (value >= 0 && value <= 0xffff) {
      frame[used++] = 0x4d; // BININT2
      frame[used++] = value & 0xff;
      frame[used++] = value >> 8;
    } else {
      frame[used++] = 0x4a; // BININT
      new DataView(frame.buffer).setInt32(used, value, true);
      used += 4;
    }
    if (used >= FRAME_TARGET) flush(false);
  };
  frame[used++] = 0x5d; // EMPTY_LIST
  frame[used++] = 0x94; // MEMOIZE
  for (let start = 0; start < tuples; start += 1000) {
    frame[used++] = 0x28; // MARK
    for (let i = start; i < Math.min(start + 1000, tuples); i++) {
      int(i);
      int(-i);
      frame[used++] = 0x86; // TUPLE2
      frame[used++] = 0x94; // MEMOIZE
      if (used >= FRAME_TARGET) flush(false);
    }
    frame[used++] = 0x65; // APPENDS
  }
  flush(true);
}
