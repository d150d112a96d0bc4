import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../../engine/FormatReader';
import { CellSink } from '../cellSink';
import { DATASET_LIMITS } from '../rows';
import { datasetMode, leavesOf } from '../options';
import { describeSchema, reportSampled } from '../datasetSignals';
import { parquetDecompressors } from './decompressors';
import { loadHyparquet } from './loadHyparquet';
import { cachedAsyncBuffer, checkColumnChunk } from './pageCheck';
import { parquetColumns, type ParquetSchemaElement } from './parquetSchema';

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // PAR1

function startsWithMagic(bytes: Uint8Array): boolean {
  return MAGIC.every((byte, i) => bytes[i] === byte);
}

/**
 * Parquet: footer first (bounded by `maxHeaderBytes`), then whole row groups in order while they fit
 * the sample budget (the first one always), through hyparquet with our bounded decompressors.
 * Byte columns without a string annotation stay bytes, so a pickle in a cell is found.
 */
export const parquetReader: FormatReader = {
  id: 'parquet',
  priority: 40,
  sniff: (head, _name, size) => size >= 12 && startsWithMagic(head),
  async read(input: ReaderInput, ctx: ReaderContext) {
    const { source, location } = input;
    const malformed = (message: string, key: string) =>
      ctx.emit({
        ruleId: 'DATA-MALFORMED',
        message: `Parquet: ${message}; the data was not analysed`,
        location,
        evidence: {},
        key: `parquet:${key}`,
      });
    const tail = await source.read(source.size - 8, 8);
    if (!startsWithMagic(tail.subarray(4))) {
      malformed(
        'no PAR1 magic at the end (truncated or not Parquet)',
        'footer',
      );
      return;
    }
    const metadataLength = new DataView(
      tail.buffer,
      tail.byteOffset,
      8,
    ).getUint32(0, true);
    if (
      metadataLength > Math.min(ctx.limits.maxHeaderBytes, source.size - 12)
    ) {
      malformed(
        `footer claims ${metadataLength} bytes of metadata (file ${source.size} bytes, limit ${ctx.limits.maxHeaderBytes})`,
        'footer-size',
      );
      return;
    }
    const hyparquet = loadHyparquet();
    const footer = await source.read(
      source.size - 8 - metadataLength,
      metadataLength + 8,
    );
    let metadata;
    try {
      metadata = hyparquet.parquetMetadata(
        footer.buffer.slice(
          footer.byteOffset,
          footer.byteOffset + footer.byteLength,
        ) as ArrayBuffer,
      );
    } catch (error) {
      malformed(
        `metadata does not parse (${(error as Error).message})`,
        'metadata',
      );
      return;
    }
    ctx.setFormat('parquet');
    let columns;
    try {
      columns = parquetColumns(
        metadata.schema as unknown as ParquetSchemaElement[],
      );
    } catch (error) {
      malformed(
        `schema does not parse (${(error as Error).message})`,
        'schema',
      );
      return;
    }
    describeSchema(input, ctx, {
      format: 'parquet',
      source: 'declared',
      columns,
    });

    const full = datasetMode(ctx.options) === 'full';
    const compressors = parquetDecompressors(hyparquet.snappyUncompress);
    const supportedCodecs = new Set([
      'UNCOMPRESSED',
      ...Object.keys(compressors),
    ]);
    const sink = new CellSink(input, ctx, false);
    const totalRows = Number(metadata.num_rows);
    let rowStart = 0;
    let bytesPlanned = 0;
    let rowsRead = 0;
    for (const group of metadata.row_groups) {
      const groupRows = Number(group.num_rows);
      const groupBytes = group.columns.reduce(
        (sum, chunk) =>
          sum + Number(chunk.meta_data?.total_compressed_size ?? 0),
        0,
      );
      if (
        !full &&
        rowsRead > 0 &&
        (bytesPlanned + groupBytes > DATASET_LIMITS.sampleBytes ||
          rowsRead >= DATASET_LIMITS.maxRows)
      )
        break;
      bytesPlanned += groupBytes;
      const rowEnd = full
        ? rowStart + groupRows
        : rowStart + Math.min(groupRows, DATASET_LIMITS.maxRows - rowsRead);
      let rows: Record<string, unknown>[] = [];
      try {
        const chunks = [];
        for (const chunk of group.columns) {
          if (!chunk.meta_data)
            throw new Error('a column chunk has no metadata');
          chunks.push(
            await checkColumnChunk(source, chunk.meta_data, supportedCodecs),
          );
        }
        const file = cachedAsyncBuffer(source, chunks);
        await hyparquet.parquetRead({
          file,
          metadata,
          rowStart,
          rowEnd,
          rowFormat: 'object',
          utf8: false,
          compressors,
          onComplete: (result: Record<string, unknown>[]) => {
            rows = result;
          },
        });
      } catch (error) {
        malformed(
          `rows ${rowStart + 1}–${rowEnd} do not decode (${
            (error as Error).message
          })`,
          `rows:${rowStart}`,
        );
        return;
      }
      for (let i = 0; i < rows.length; i++) {
        if (i % 1000 === 0) ctx.checkDeadline();
        const row = rowStart + i + 1;
        for (const [column, value] of leavesOf(rows[i], '')) {
          if (typeof value === 'string')
            await sink.text(
              row,
              column,
              value.slice(0, DATASET_LIMITS.maxCellChars),
            );
          else await sink.binary(row, column, value);
        }
      }
      rowsRead += rowEnd - rowStart;
      rowStart += groupRows;
    }
    sink.finish();
    if (rowsRead < totalRows)
      reportSampled(input, ctx, {
        bytesRead: source.bytesRead,
        rowsRead,
        totalRows,
      });
  },
};
