// Generated inputs for bench/datasets.bench.ts: datasets of a target size in four formats with the
// same rows, notebooks, and lines of Python source. Nothing here is committed data.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const WORDS = (
  'the kettle boils fast strap broke after two weeks support replaced it works with every ' +
  'charger battery lasts all day screen scratches easily shipping was quick price fair ' +
  'manual unclear setup took ten minutes colour matches photos would buy again returned ' +
  'mine noisy fan quiet mode great value sturdy handle lid leaks slightly'
).split(' ');
const URLS = [
  'https://docs.python.org/3/',
  'https://pytorch.org/docs/stable/',
  'https://developer.mozilla.org/en-US/docs/Web',
];

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ReviewRow {
  id: number;
  text: string;
  rating: number;
  url: string;
}

/** Rows of product reviews, ~200 bytes each, deterministic. */
function* reviewRows(): Generator<ReviewRow> {
  const next = random(42);
  for (let id = 0; ; id++) {
    const words: string[] = [];
    const count = 20 + Math.floor(next() * 20);
    for (let i = 0; i < count; i++)
      words.push(WORDS[Math.floor(next() * WORDS.length)]);
    yield {
      id,
      text: words.join(' '),
      rating: Math.round(next() * 50) / 10,
      url: URLS[id % URLS.length],
    };
  }
}

async function writeStreamed(
  path: string,
  target: number,
  line: (row: ReviewRow) => string,
  header = '',
): Promise<number> {
  const out = createWriteStream(path);
  let size = 0;
  let rows = 0;
  out.write(header);
  size += header.length;
  let batch: string[] = [];
  for (const row of reviewRows()) {
    if (size >= target) break;
    const text = line(row);
    size += Buffer.byteLength(text);
    rows++;
    batch.push(text);
    if (batch.length === 10_000) {
      if (!out.write(batch.join(''))) await once(out, 'drain');
      batch = [];
    }
  }
  out.write(batch.join(''));
  out.end();
  await once(out, 'finish');
  return rows;
}

export const writeCsv = (path: string, target: number) =>
  writeStreamed(
    path,
    target,
    r => `${r.id},"${r.text}",${r.rating},${r.url}\n`,
    'id,text,rating,url\n',
  );

export const writeJsonl = (path: string, target: number) =>
  writeStreamed(path, target, r => `${JSON.stringify(r)}\n`);

/** Parquet through hyparquet-writer's incremental writer: one row group per 100k rows, snappy. */
export async function writeParquetFile(
  path: string,
  target: number,
): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const writer: typeof import('hyparquet-writer') = require('hyparquet-writer');
  const rows = reviewRows();
  const take = (n: number) =>
    Array.from({ length: n }, () => rows.next().value as ReviewRow);
  const batch = (items: ReviewRow[]) => [
    { name: 'id', data: items.map(r => r.id), type: 'INT32' as const },
    { name: 'text', data: items.map(r => r.text), type: 'STRING' as const },
    { name: 'rating', data: items.map(r => r.rating), type: 'DOUBLE' as const },
    { name: 'url', data: items.map(r => r.url), type: 'STRING' as const },
  ];
  const first = take(100_000);
  const out = writer.fileWriter(path);
  const parquet = new writer.ParquetWriter({
    writer: out,
    schema: writer.schemaFromColumnData({ columnData: batch(first) as never }),
  });
  let count = 0;
  let items = first;
  let written = 0;
  for (;;) {
    parquet.write({ columnData: batch(items) as never, rowGroupSize: 100_000 });
    count += items.length;
    written += items.reduce((sum, r) => sum + r.text.length + 40, 0);
    // Snappy and dictionaries shrink this text ~3.3x (measured): write until the file reaches the target.
    if (written / 3.3 >= target) break;
    items = take(100_000);
  }
  parquet.finish();
  return count;
}

/** Avro object container through avsc's block encoder, deflate-compressed blocks. */
export async function writeAvroFile(
  path: string,
  target: number,
): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const avro: typeof import('avsc') = require('avsc');
  const type = avro.Type.forSchema({
    type: 'record',
    name: 'Review',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'text', type: 'string' },
      { name: 'rating', type: 'double' },
      { name: 'url', type: 'string' },
    ],
  });
  const encoder = new avro.streams.BlockEncoder(type, { codec: 'null' });
  const out = createWriteStream(path);
  encoder.pipe(out);
  let size = 0;
  let count = 0;
  for (const row of reviewRows()) {
    if (size >= target) break;
    size += row.text.length + 60;
    count++;
    if (!encoder.write(row)) await once(encoder, 'drain');
  }
  encoder.end();
  await once(out, 'finish');
  return count;
}

/** Notebooks like a research repository's: imports, a magic line, outputs with a base64 image. */
export async function writeNotebooks(
  dir: string,
  count: number,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const cells = [
      [
        'import pandas as pd',
        'import numpy as np',
        `df = pd.read_csv("data/part-${i}.csv")`,
      ],
      ['%matplotlib inline', 'df.describe()'],
      [
        'features = df.select_dtypes("number").fillna(0)',
        'model = fit(features, df["label"])',
      ],
      ['for column in features:', '    print(column, features[column].mean())'],
    ].map(source => ({
      cell_type: 'code',
      execution_count: i,
      metadata: {},
      source: source.map(line => `${line}\n`),
      outputs: [
        {
          output_type: 'display_data',
          data: {
            'image/png': 'iVBORw0KGgo'.padEnd(2000, 'A'),
            'text/plain': ['<Figure>'],
          },
          metadata: {},
        },
      ],
    }));
    await writeFile(
      join(dir, `analysis-${i}.ipynb`),
      JSON.stringify({
        cells,
        metadata: {
          kernelspec: {
            name: 'python3',
            display_name: 'Python 3',
            language: 'python',
          },
        },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
  }
}

/** Lines of ordinary Python source with digests, URLs and environment lookups; no secret. */
export function sourceLines(count: number): string[] {
  const shapes = [
    (i: number) =>
      `    total_${
        i % 97
      } = compute(batch[${i}], "see https://docs.python.org/3/")`,
    (i: number) =>
      `EXPECTED_SHA256_${i} = "${(i * 2654435761)
        .toString(16)
        .padStart(16, '0')
        .repeat(4)}"`,
    (i: number) => `token = os.environ.get("HF_TOKEN")  # line ${i}`,
    (i: number) => `def handler_${i}(request, *args, **kwargs):`,
    (i: number) =>
      `        logger.info("processed %d rows in %.2fs", rows_${
        i % 13
      }, elapsed)`,
    () => '',
    (i: number) => `password = getpass.getpass()  # prompt ${i}`,
  ];
  return Array.from({ length: count }, (_, i) => shapes[i % shapes.length](i));
}
