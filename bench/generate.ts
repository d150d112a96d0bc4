import { open, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports -- the scanner's own zip test writer
import {
  pytorchZipSpec,
  writeSparseZip,
} from '../packages/scanner/src/formats/archive/testing/zipWriter';

/**
 * Generators for benchmark inputs. Large files are sparse where the format allows (a stored zip member
 * of zeros, a safetensors data region), so a 2 GB checkpoint costs no disk and no time to make.
 */

function u16(n: number) {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

/**
 * The opcode-dense shape that costs established scanners a minute: `pickle.dumps([(i, -i) for i in
 * range(tuples)], protocol=4)`, byte for byte as CPython writes it (64 KiB frames, appends in batches of
 * 1000, every tuple memoised; frame boundaries can differ from CPython's by a few bytes), written in pieces so that a 96 MB file needs no 96 MB buffer here.
 */
export async function writeDenseTuplePickle(
  path: string,
  tuples: number,
): Promise<number> {
  const FRAME_TARGET = 64 * 1024;
  const handle = await open(path, 'w');
  let written = 0;
  let frame = Buffer.alloc(FRAME_TARGET + 64);
  let used = 0;
  const int = (value: number) => {
    if (value >= 0 && value <= 0xff) {
      frame[used++] = 0x4b; // BININT1
      frame[used++] = value;
    } else if (value >= 0 && value <= 0xffff) {
      frame[used++] = 0x4d; // BININT2
      frame.writeUInt16LE(value, used);
      used += 2;
    } else {
      frame[used++] = 0x4a; // BININT
      frame.writeInt32LE(value, used);
      used += 4;
    }
  };
  const flush = async (last: boolean) => {
    // CPython frames what it has once a frame reaches the target; STOP goes in the last frame.
    if (last) frame[used++] = 0x2e; // STOP
    const head = Buffer.alloc(written === 0 ? 11 : 9);
    let at = 0;
    if (written === 0) {
      head[at++] = 0x80; // PROTO 4
      head[at++] = 4;
    }
    head[at++] = 0x95; // FRAME
    head.writeBigUInt64LE(BigInt(used), at);
    await handle.write(head);
    await handle.write(frame, 0, used);
    written += head.length + used;
    frame = Buffer.alloc(FRAME_TARGET + 64);
    used = 0;
  };
  try {
    frame[used++] = 0x5d; // EMPTY_LIST
    frame[used++] = 0x94; // MEMOIZE
    // CPython commits a frame at object boundaries: after each int and after each memoised tuple.
    const boundary = async () => {
      if (used >= FRAME_TARGET) await flush(false);
    };
    const batched = tuples !== 1;
    for (let start = 0; start < tuples; start += 1000) {
      const end = Math.min(start + 1000, tuples);
      if (batched) frame[used++] = 0x28; // MARK
      for (let i = start; i < end; i++) {
        int(i);
        await boundary();
        int(-i);
        await boundary();
        frame[used++] = 0x86; // TUPLE2
        frame[used++] = 0x94; // MEMOIZE
        await boundary();
      }
      frame[used++] = batched ? 0x65 : 0x61; // APPENDS or APPEND
    }
    await flush(true);
  } finally {
    await handle.close();
  }
  return written;
}

/**
 * A realistic PyTorch state-dict pickle (protocol 2): `OrderedDict(weight=_rebuild_tensor_v2(...))` whose
 * tensor refers to storage `storageKey` through BINPERSID, as torch.save writes it.
 */
export function torchStateDictPickle(storageKey = '0', numel = 1): Buffer {
  const parts: Buffer[] = [];
  const op = (s: string) => parts.push(Buffer.from(s, 'latin1'));
  const text = (s: string) => {
    const b = Buffer.from(s);
    parts.push(Buffer.from([0x58]), u32(b.length), b); // BINUNICODE
  };
  const int = (n: number) => parts.push(Buffer.from([0x4a]), u32(n)); // BININT
  op('\x80\x02'); // PROTO 2
  op('ccollections\nOrderedDict\n)R'); // GLOBAL, EMPTY_TUPLE, REDUCE
  op('q\x00'); // BINPUT 0
  text('weight');
  op('ctorch._utils\n_rebuild_tensor_v2\n(('); // GLOBAL, MARK (args), MARK (persistent id)
  text('storage');
  op('ctorch\nFloatStorage\n');
  text(storageKey);
  text('cpu');
  int(numel);
  op('tQ'); // TUPLE, BINPERSID
  op('K\x00'); // storage offset
  int(numel);
  op('\x85'); // size (numel,)
  op('K\x01\x85'); // stride (1,)
  op('\x89'); // requires_grad False
  op('ccollections\nOrderedDict\n)R'); // backward hooks
  op('tR'); // TUPLE the args, REDUCE
  op('s.'); // SETITEM, STOP
  return Buffer.concat(parts);
}

/** A PyTorch-layout checkpoint whose single storage is `bytes` long, written sparse. */
export async function writeSparseTorchCheckpoint(
  path: string,
  bytes: number,
): Promise<number> {
  const numel = Math.floor(bytes / 4);
  // Storage CRCs are never checked by the scanner (storages are not read), so the hole needs none.
  return writeSparseZip(
    path,
    pytorchZipSpec(torchStateDictPickle('0', Math.min(numel, 0x7fffffff)), [
      { name: '0', hole: bytes, crc: 0 },
    ]),
  );
}

/**
 * A PyTorch-layout zip checkpoint with `members` storages of 4 bytes each (a sharded state dict taken
 * to the extreme): what costs is the central directory, one record per member.
 */
export async function writeManyMemberCheckpoint(
  path: string,
  members: number,
): Promise<number> {
  const storages = Array.from({ length: members }, (_, i) => ({
    name: String(i),
    data: Buffer.alloc(4),
  }));
  return writeSparseZip(
    path,
    pytorchZipSpec(torchStateDictPickle('0', 1), storages),
  );
}

/** A tree of `count` small artifacts of mixed formats (pickles, npy, safetensors, text). */
export async function writeSmallArtifactTree(
  dir: string,
  count: number,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const pickle = Buffer.from(
    '\x80\x04\x95\x0b\x00\x00\x00\x00\x00\x00\x00]\x94(K\x01K\x02K\x03e.',
    'latin1',
  );
  const npyHeader = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }";
  const padded = npyHeader.padEnd(118, ' ') + '\n';
  const npy = Buffer.concat([
    Buffer.from('\x93NUMPY\x01\x00', 'latin1'),
    u16(padded.length),
    Buffer.from(padded),
    Buffer.alloc(16),
  ]);
  const stHeader = Buffer.from(
    JSON.stringify({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }),
  );
  const st = Buffer.concat([
    Buffer.from(new BigUint64Array([BigInt(stHeader.length)]).buffer),
    stHeader,
    Buffer.alloc(16),
  ]);
  const kinds: [string, Buffer][] = [
    ['pkl', pickle],
    ['npy', npy],
    ['safetensors', st],
    ['txt', Buffer.from('notes\n')],
  ];
  for (let i = 0; i < count; i++) {
    const [ext, data] = kinds[i % kinds.length];
    const sub = join(dir, `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) await mkdir(sub, { recursive: true });
    await writeFile(join(sub, `f${i}.${ext}`), data);
  }
}

function ggufString(s: string): Buffer {
  const b = Buffer.from(s);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(b.length));
  return Buffer.concat([len, b]);
}

/** A GGUF v3 file with a chat template and one tensor whose data region (sparse) is `dataBytes` long. */
export async function writeSparseGguf(
  path: string,
  dataBytes: number,
): Promise<number> {
  const kv = (key: string, value: string) =>
    Buffer.concat([ggufString(key), u32(8), ggufString(value)]);
  const counts = Buffer.alloc(16);
  counts.writeBigUInt64LE(1n, 0); // tensors
  counts.writeBigUInt64LE(3n, 8); // metadata entries
  const dims = Buffer.alloc(8);
  dims.writeBigUInt64LE(BigInt(Math.floor(dataBytes / 4)));
  const header = Buffer.concat([
    Buffer.from('GGUF'),
    u32(3),
    counts,
    kv('general.architecture', 'llama'),
    kv('general.license', 'apache-2.0'),
    kv(
      'tokenizer.chat_template',
      "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}",
    ),
    ggufString('token_embd.weight'),
    u32(1),
    dims,
    u32(0),
    Buffer.alloc(8),
  ]);
  const aligned = Math.ceil(header.length / 32) * 32;
  const handle = await open(path, 'w');
  try {
    await handle.write(header, 0, header.length, 0);
    await handle.truncate(aligned + dataBytes);
  } finally {
    await handle.close();
  }
  return aligned + dataBytes;
}

/** A safetensors file with `tensors` entries whose data region (sparse) totals `dataBytes`. */
export async function writeSparseSafetensors(
  path: string,
  dataBytes: number,
  tensors = 256,
): Promise<number> {
  const per = Math.floor(dataBytes / tensors / 4) * 4;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  for (let i = 0; i < tensors; i++) {
    header[`layers.${i}.weight`] = {
      dtype: 'F32',
      shape: [per / 4],
      data_offsets: [i * per, (i + 1) * per],
    };
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const handle = await open(path, 'w');
  try {
    await handle.write(Buffer.concat([len, json]), 0, 8 + json.length, 0);
    await handle.truncate(8 + json.length + per * tensors);
  } finally {
    await handle.close();
  }
  return 8 + json.length + per * tensors;
}

/** A uv.lock with `count` packages in a dependency chain fan-out, plus its pyproject. */
export async function writeLargeUvProject(
  dir: string,
  count: number,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const lines: string[] = ['version = 1', 'requires-python = ">=3.11"', ''];
  lines.push(
    '[[package]]',
    'name = "bench-app"',
    'version = "0.1.0"',
    'source = { editable = "." }',
  );
  lines.push(
    'dependencies = [',
    ...Array.from(
      { length: Math.min(count, 50) },
      (_, i) => `  { name = "pkg-${i}" },`,
    ),
    ']',
    '',
  );
  for (let i = 0; i < count; i++) {
    lines.push(
      '[[package]]',
      `name = "pkg-${i}"`,
      `version = "1.${i % 50}.${i % 7}"`,
    );
    lines.push('source = { registry = "https://pypi.org/simple" }');
    const deps = [i * 2 + 50, i * 2 + 51].filter(d => d < count);
    if (deps.length)
      lines.push(
        `dependencies = [${deps.map(d => `{ name = "pkg-${d}" }`).join(', ')}]`,
      );
    lines.push(
      `sdist = { url = "https://files.example/pkg-${i}.tar.gz", hash = "sha256:${'a'.repeat(
        64,
      )}", size = 1000 }`,
      '',
    );
  }
  await writeFile(join(dir, 'uv.lock'), lines.join('\n'));
  await writeFile(
    join(dir, 'pyproject.toml'),
    `[project]\nname = "bench-app"\nversion = "0.1.0"\ndependencies = [${Array.from(
      { length: Math.min(count, 50) },
      (_, i) => `"pkg-${i}"`,
    ).join(', ')}]\n`,
  );
}

/**
 * A Python source tree of `files` modules, one in ten with a risky call. `nonAscii` adds a German and
 * Japanese comment to every method.
 */
export async function writePythonTree(
  dir: string,
  files: number,
  nonAscii = false,
): Promise<number> {
  // Fullwidth parentheses, as Japanese text writes them, are NFKC compatibility characters: the
  // slower token pass runs on every module (German alone is already NFKC and skips it).
  const comment = nonAscii ? '  # Größe prüfen（サイズを確認）' : '';
  let lines = 0;
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `pkg${Math.floor(i / 50)}`);
    if (i % 50 === 0) await mkdir(sub, { recursive: true });
    const body: string[] = [
      'import os',
      'import json',
      '',
      `class Handler${i}:`,
      '    def __init__(self):',
      '        self.path = os.environ.get("P", "/tmp")',
      '',
    ];
    for (let f = 0; f < 20; f++) {
      body.push(
        `    def method_${f}(self, value):${comment}`,
        `        data = json.loads(value)`,
        `        return {k: v * ${f} for k, v in data.items()}`,
        '',
      );
    }
    if (i % 10 === 0)
      body.push(
        'import pickle',
        '',
        'def load(path):',
        '    with open(path, "rb") as fh:',
        '        return pickle.load(fh)',
        '',
      );
    lines += body.length;
    await writeFile(join(sub, `mod${i}.py`), body.join('\n'));
  }
  return lines;
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = BigInt(value);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return Buffer.from(bytes);
}
const field = (number: number, wireType: number) =>
  varint((number << 3) | wireType);
const lengthDelimited = (number: number, body: Buffer) =>
  Buffer.concat([field(number, 2), varint(body.length), body]);

/**
 * An ONNX model (one Relu node) whose single initializer carries `rawBytes` of raw_data, written sparse:
 * the protobuf lengths are real, the tensor bytes are a hole.
 */
export async function writeSparseOnnx(
  path: string,
  rawBytes: number,
): Promise<number> {
  const node = lengthDelimited(
    1,
    Buffer.concat([
      lengthDelimited(1, Buffer.from('x')), // input
      lengthDelimited(2, Buffer.from('y')), // output
      lengthDelimited(4, Buffer.from('Relu')), // op_type
    ]),
  );
  const tensorHead = Buffer.concat([
    field(1, 0),
    varint(Math.floor(rawBytes / 4)), // dims
    field(2, 0),
    varint(1), // data_type FLOAT
    lengthDelimited(8, Buffer.from('w')), // name
    field(9, 2),
    varint(rawBytes), // raw_data, bytes follow
  ]);
  const initializerLength = tensorHead.length + rawBytes;
  const initializerHead = Buffer.concat([
    field(5, 2),
    varint(initializerLength),
    tensorHead,
  ]);
  const graphLength = node.length + initializerHead.length + rawBytes;
  const head = Buffer.concat([
    field(1, 0),
    varint(8), // ir_version
    lengthDelimited(8, Buffer.concat([field(2, 0), varint(17)])), // opset_import { version: 17 }
    field(7, 2),
    varint(graphLength),
    node,
    initializerHead,
  ]);
  const handle = await open(path, 'w');
  try {
    await handle.write(head, 0, head.length, 0);
    await handle.truncate(head.length + rawBytes);
  } finally {
    await handle.close();
  }
  return head.length + rawBytes;
}

/**
 * An HDF5-signed Keras `.h5` whose `model_config` attribute (a Dense model) sits near the start and whose
 * dataset region (sparse) makes the file `bytes` long. Not a full HDF5 structure: the scanner's `.h5`
 * reader searches bounded windows for the config, which is what this measures.
 */
export async function writeSparseKerasH5(
  path: string,
  bytes: number,
): Promise<number> {
  const config = JSON.stringify({
    class_name: 'Sequential',
    config: {
      name: 'dense_model',
      layers: [{ class_name: 'Dense', config: { name: 'dense', units: 8 } }],
    },
  });
  const head = Buffer.concat([
    Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'),
    Buffer.alloc(504),
    Buffer.from('model_config'),
    Buffer.alloc(20),
    Buffer.from(config),
  ]);
  const handle = await open(path, 'w');
  try {
    await handle.write(head, 0, head.length, 0);
    await handle.truncate(bytes);
  } finally {
    await handle.close();
  }
  return bytes;
}
