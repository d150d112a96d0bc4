import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { CellSink } from '../cellSink';
import { describeSchema, reportSampled } from '../datasetSignals';
import { datasetMode, leavesOf } from '../options';
import { DATASET_LIMITS } from '../rows';
import { collectNames, Cursor, ValueDecoder } from './avroBinary';
import { AVRO_MAGIC, readAvroBlock, readAvroHeader } from './avroContainer';
import { avroColumns } from './avroSchema';

/**
 * Avro object container files: our bounded header and block reader, our schema-driven value decoder
 * (see avroBinary.ts for why not avsc's), then the same cell checks as every dataset.
 */
export const avroReader: FormatReader = {
  id: 'avro',
  priority: 40,
  sniff: head => AVRO_MAGIC.every((byte, i) => head[i] === byte),
  async read(input: ReaderInput, ctx: ReaderContext) {
    const { source, location } = input;
    const malformed = (message: string, key: string) =>
      ctx.emit({
        ruleId: 'DATA-MALFORMED',
        message: `Avro: ${message}; what follows was not analysed`,
        location,
        evidence: {},
        key: `avro:${key}`,
      });
    let header;
    let names;
    try {
      header = await readAvroHeader(source, ctx.limits.maxHeaderBytes);
      names = collectNames(header.schema);
    } catch (error) {
      // A hostile schema (fields that are not a list, names that are not strings) fails here too.
      malformed(`header: ${(error as Error).message}`, 'header');
      return;
    }
    ctx.setFormat('avro');
    describeSchema(input, ctx, {
      format: 'avro',
      source: 'declared',
      columns: avroColumns(header.schema, names),
    });
    const full = datasetMode(ctx.options) === 'full';
    const decoder = new ValueDecoder(names);
    const sink = new CellSink(input, ctx, false);
    let offset = header.dataOffset;
    let row = 0;
    let blocks = 0;
    while (offset < source.size) {
      if (
        !full &&
        (offset >= DATASET_LIMITS.sampleBytes || row >= DATASET_LIMITS.maxRows)
      ) {
        reportSampled(input, ctx, {
          bytesRead: source.bytesRead,
          rowsRead: row,
        });
        break;
      }
      ctx.checkDeadline();
      let block;
      try {
        block = await readAvroBlock(source, header, offset);
      } catch (error) {
        // Framing, sync and codec errors alike (zlib throws its own): the rest cannot be located.
        malformed(
          `block ${blocks + 1}: ${(error as Error).message}`,
          `block:${offset}`,
        );
        break;
      }
      blocks++;
      const cursor = new Cursor(block.data);
      for (let i = 0; i < block.objectCount; i++) {
        if (!full && row >= DATASET_LIMITS.maxRows) break;
        if (i % 1000 === 0) ctx.checkDeadline();
        let record: unknown;
        try {
          record = decoder.decode(header.schema, cursor);
        } catch (error) {
          // Malformed data, or a schema the decoder cannot follow (a field whose type is a number).
          malformed(
            `record ${row + 1} (block ${blocks}) does not decode: ${
              (error as Error).message
            }`,
            `record:${offset}`,
          );
          break;
        }
        row++;
        for (const [column, value] of leavesOf(record, '')) {
          if (typeof value === 'string')
            await sink.text(
              row,
              column,
              value.slice(0, DATASET_LIMITS.maxCellChars),
            );
          else await sink.binary(row, column, value);
        }
      }
      offset = block.next;
    }
    sink.finish();
  },
};
