import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../engine/FormatReader';
import { CellSink } from './cellSink';
import { describeSchema, reportSampled } from './datasetSignals';
import { datasetMode } from './options';
import { csvCells, DATASET_LIMITS, jsonlCells, type CsvState } from './rows';
import { SchemaInference, typeOfJson, typeOfText } from './schema';
import { textChunks } from './textChunks';

type Kind = 'csv' | 'tsv' | 'jsonl';

function looksLikeText(head: Uint8Array): boolean {
  return !head.subarray(0, 1024).includes(0);
}

function isJsonObjectLine(line: string): boolean {
  if (!/^\s*\{.*\}\s*$/.test(line)) return false;
  try {
    const value = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * False when the first non-blank byte is ASCII and not `{`: then no line can open a JSON object
 * and the head need not be decoded and split (most text files, e.g. every Python module). Blank
 * lines are skipped as the line filter below skips them; a non-ASCII start takes the full path.
 */
function mayOpenWithObject(head: Uint8Array): boolean {
  for (let i = 0; i < head.length; i++) {
    const byte = head[i];
    if (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) continue;
    return byte === 0x7b || byte >= 0x80;
  }
  return false;
}

function kindOf(head: Uint8Array, name: string): Kind | undefined {
  if (!looksLikeText(head)) return undefined;
  const lower = name.toLowerCase();
  if (!mayOpenWithObject(head)) return kindByExtension(lower);
  const text = Buffer.from(head)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const lines = text.split('\n').slice(0, -1);
  // JSON Lines by content: at least two complete lines, each one JSON object (parsed: a Jinja
  // template's `{# … #}` and `{{ … }}` lines look alike but are the config reader's).
  const objectLines = lines.filter(line => line.trim() !== '');
  if (
    objectLines.length >= 2 &&
    objectLines.slice(0, 8).every(isJsonObjectLine)
  )
    return 'jsonl';
  return kindByExtension(lower);
}

function kindByExtension(lower: string): Kind | undefined {
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.tsv')) return 'tsv';
  if (lower.endsWith('.csv')) return 'csv';
  return undefined;
}

/**
 * CSV/TSV and JSON Lines datasets: active content, suspicious URLs, prompt injection, secrets and
 * payloads in cells; the schema (CSV header and inferred types, JSON keys and types) for drift.
 * Sampled by default (the first `sampleBytes`); `datasets.mode: full` reads the file chunk by chunk.
 */
export const datasetReader: FormatReader = {
  id: 'dataset',
  // Above the config reader (5): JSON Lines content is also JSON text, and it is a dataset.
  priority: 6,
  sniff: (head, name) => kindOf(head, name) !== undefined,
  async read(input: ReaderInput, ctx: ReaderContext) {
    const kind = kindOf(input.head, input.name) ?? 'csv';
    ctx.setFormat(kind);
    const full = datasetMode(ctx.options) === 'full';
    const limits = full
      ? { ...DATASET_LIMITS, maxRows: Number.POSITIVE_INFINITY }
      : DATASET_LIMITS;
    const budget = full
      ? input.source.size
      : Math.min(
          input.source.size,
          DATASET_LIMITS.sampleBytes,
          ctx.limits.maxTextBytes,
        );
    const sink = new CellSink(input, ctx, kind !== 'jsonl');
    const schema = new SchemaInference();
    const csv: CsvState = { row: 0 };
    let malformed = 0;
    let firstMalformed = 0;
    let rows = 0;
    let line = 1;
    let seen = 0;
    for await (const chunk of textChunks(
      input.source,
      budget,
      kind !== 'jsonl',
    )) {
      if (kind === 'jsonl') {
        for (const item of jsonlCells(chunk, limits, line)) {
          if (++seen % 10_000 === 0) ctx.checkDeadline();
          if ('error' in item) {
            if (malformed++ === 0) firstMalformed = item.row;
          } else if ('record' in item) {
            rows++;
            if (
              item.record &&
              typeof item.record === 'object' &&
              !Array.isArray(item.record)
            )
              for (const [key, value] of Object.entries(item.record))
                schema.observe(key, typeOfJson(value));
          } else await sink.text(item.row, item.column, item.value);
        }
        line += countLines(chunk);
      } else {
        const before = csv.header;
        for (const item of csvCells(
          chunk,
          kind === 'tsv' ? '\t' : ',',
          limits,
          csv,
        )) {
          if (++seen % 10_000 === 0) ctx.checkDeadline();
          schema.observe(item.column, typeOfText(item.value));
          await sink.text(item.row, item.column, item.value);
        }
        if (!before && csv.header)
          for (const name of csv.header) schema.declare(name);
        rows = Math.min(csv.row, limits.maxRows);
      }
    }
    sink.finish();
    describeSchema(input, ctx, schema.result(kind));
    if (malformed > 0)
      ctx.emit({
        ruleId: 'DATA-MALFORMED',
        message: `${malformed} JSON Lines records do not parse (first at line ${firstMalformed}): they were not analysed`,
        location: input.location,
        evidence: { malformedRows: malformed, firstRow: firstMalformed },
        key: 'jsonl-parse',
      });
    const truncatedByRows = !full && rows >= DATASET_LIMITS.maxRows;
    if (budget < input.source.size || truncatedByRows)
      reportSampled(input, ctx, {
        bytesRead: input.source.bytesRead,
        rowsRead: rows,
      });
  },
};

/** Newlines in a chunk: the next chunk's first line number follows from them. */
function countLines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1))
    count++;
  return count;
}
