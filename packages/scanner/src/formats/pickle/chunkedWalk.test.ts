import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkPickleStreams } from './streams';
import type { ChunkedBytes } from './pickleInput';
import { PickleWriter, concatBytes } from './testing/pickleWriter';
import { REFERENCE_PICKLES } from './testing/referencePickles';
import { renderValue, type CallRef, type GlobalRef } from './values';
import {
  createBudget,
  type StructuralAnomaly,
  type WalkEvents,
} from './walker';

/** Everything a walk reports, as text, so that two walks can be compared whole. */
function transcript(
  data: Uint8Array | ChunkedBytes,
  windowBytes?: number,
): string[] {
  const lines: string[] = [];
  const events: WalkEvents = {
    onGlobal: (ref: GlobalRef) =>
      lines.push(`global ${ref.module}.${ref.name} @${ref.offset}`),
    onCall: (call: CallRef) =>
      lines.push(`call ${renderValue(call, 200)} @${call.offset}`),
    onBuild: (_target, state, offset) =>
      lines.push(`build ${renderValue(state, 200)} @${offset}`),
    onAnomaly: (anomaly: StructuralAnomaly) =>
      lines.push(
        `anomaly ${anomaly.kind} @${anomaly.offset} ${anomaly.message}`,
      ),
  };
  const result = walkPickleStreams(
    data,
    events,
    createBudget(1e7, () => undefined),
    { windowBytes },
  );
  lines.push(
    `end ${result.end} limit ${result.limitReached} streams ${result.streams
      .map(s => `${s.start}-${s.end}:${s.stopped}:${s.broken?.kind ?? ''}`)
      .join(',')}`,
  );
  return lines;
}

/** A chunked view of bytes that counts what it hands out. */
function chunked(bytes: Uint8Array) {
  const source = {
    size: bytes.length,
    reads: 0,
    readSync(offset: number, length: number) {
      source.reads++;
      return bytes.slice(offset, offset + length);
    },
  };
  return source;
}

/** A chunked view that fills the walker's own buffer (window reuse), counting fresh buffers too. */
function fillable(bytes: Uint8Array) {
  const source = {
    size: bytes.length,
    fresh: 0,
    fills: 0,
    readSync(offset: number, length: number) {
      source.fresh++;
      return bytes.slice(offset, offset + length);
    },
    readInto(target: Uint8Array, offset: number) {
      source.fills++;
      const part = bytes.subarray(offset, offset + target.length);
      target.set(part);
      return part.length;
    },
  };
  return source;
}

const fixtures = ['benign', 'malicious'].flatMap(folder =>
  readdirSync(join(__dirname, '__fixtures__', folder)).map(
    name =>
      [
        `${folder}/${name}`,
        readFileSync(join(__dirname, '__fixtures__', folder, name)),
      ] as const,
  ),
);

const hostile: Array<readonly [string, Uint8Array]> = [
  [
    'FRAME that claims more than the data',
    concatBytes(
      Buffer.from('\x80\x04\x95\xff\x00\x00\x00\x00\x00\x00\x00', 'latin1'),
      PickleWriter.create().call('os', 'system', 'id', 'GLOBAL').stop().bytes(),
    ),
  ],
  [
    'two pickles, junk, and a third after the junk',
    concatBytes(
      PickleWriter.create().proto(2).none().stop().bytes(),
      Buffer.from('junk junk junk', 'latin1'),
      PickleWriter.create()
        .proto(4)
        .call('posix', 'system', 'id', 'STACK_GLOBAL')
        .stop()
        .bytes(),
    ),
  ],
  [
    'protocol 0 lines longer than the window',
    PickleWriter.create()
      .call('os', 'system', 'x'.repeat(300), 'GLOBAL')
      .stop()
      .bytes(),
  ],
  [
    'truncated in the middle of an argument',
    Buffer.from('\x80\x04\x8c\x20abc', 'latin1'),
  ],
];

describe('walking a chunked source', () => {
  const cases = [
    ...REFERENCE_PICKLES.map(
      ref =>
        [
          `CPython protocol ${ref.protocol}`,
          Buffer.from(ref.hex, 'hex'),
        ] as const,
    ),
    ...fixtures,
    ...hostile,
  ];

  it.each(cases)(
    'reports exactly what the in-memory walk reports: %s',
    (_name, bytes) => {
      const expected = transcript(bytes);
      for (const window of [1, 7, 64, 4096]) {
        expect(transcript(chunked(bytes), window)).toEqual(expected);
        expect(transcript(fillable(bytes), window)).toEqual(expected);
      }
    },
  );

  it('reads a large stream in windows, not at once', () => {
    const w = PickleWriter.create().proto(4).emptyList().mark();
    for (let i = 0; i < 5000; i++) w.shortUnicode(`item-${i}`);
    const bytes = w.raw('e').stop().bytes();
    const source = chunked(bytes);
    expect(transcript(source, 1024)).toEqual(transcript(bytes));
    expect(source.reads).toBeGreaterThan(bytes.length / 1024 - 1);
  });

  it('reuses one window buffer, and bytes a call keeps survive the windows read after them', () => {
    // pickle.loads(b'<nested os.system pickle>') early on, then enough strings for many windows.
    const nested = PickleWriter.create()
      .proto(2)
      .call('os', 'system', 'echo nested', 'GLOBAL')
      .stop()
      .bytes();
    const w = PickleWriter.create()
      .proto(4)
      .stackGlobal('_pickle', 'loads')
      .shortBinBytes(nested)
      .tuple1()
      .reduce()
      .emptyList()
      .mark();
    for (let i = 0; i < 2000; i++) w.shortUnicode(`item-${i}`);
    const bytes = w.raw('e').pop().stop().bytes();
    const source = fillable(bytes);
    const kept: Uint8Array[] = [];
    const result = walkPickleStreams(
      source,
      {
        onGlobal: () => undefined,
        onCall: call => {
          const args = call.args as { items?: unknown[] };
          const first = args.items?.[0] as { kind?: string; data?: Uint8Array };
          if (first?.kind === 'bytes' && first.data) kept.push(first.data);
        },
        onBuild: () => undefined,
        onAnomaly: () => undefined,
      },
      createBudget(1e7, () => undefined),
      { windowBytes: 256 },
    );
    expect(result.streams[0].stopped).toBe(true);
    expect(source.fills).toBeGreaterThan(bytes.length / 256 - 1);
    expect(source.fresh).toBe(0);
    expect(kept).toHaveLength(1);
    expect(Buffer.from(kept[0]).equals(Buffer.from(nested))).toBe(true);
  });
});
