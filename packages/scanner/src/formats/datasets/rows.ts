/** Limits of the dataset readers. Datasets are sampled: only the first `sampleBytes` are read. */
export const DATASET_LIMITS = {
  /** Bytes read from the start of the file (sampling by default; the rest is not read). */
  sampleBytes: 8 * 1024 * 1024,
  /** Rows analysed. */
  maxRows: 100_000,
  /** Characters of one cell analysed. */
  maxCellChars: 64 * 1024,
  /** Cells of one JSONL record analysed (nested values flattened). */
  maxCellsPerRow: 1_000,
};

export interface DatasetCell {
  /** 1-based data row (CSV: the header is row 0; JSONL: line). */
  row: number;
  /** Header name or JSON path (`messages[1].content`), else a 1-based column number. */
  column: string;
  value: string;
}

/** RFC 4180 fields: quotes, doubled quotes, delimiters and newlines inside quotes. Slices, not per-char concatenation. */
export function* csvRecords(
  text: string,
  delimiter: string,
): Generator<string[]> {
  let record: string[] = [];
  let i = 0;
  const length = text.length;
  while (i <= length) {
    if (i === length) {
      if (record.length > 0) yield record;
      return;
    }
    let field: string;
    if (text[i] === '"') {
      const parts: string[] = [];
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) {
          parts.push(text.slice(from));
          i = length;
          break;
        }
        parts.push(text.slice(from, quote));
        if (text[quote + 1] === '"') {
          parts.push('"');
          from = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      field = parts.join('');
      // Text after the closing quote up to the delimiter is kept, as lenient readers do.
      let end = i;
      while (
        end < length &&
        text[end] !== delimiter &&
        text[end] !== '\n' &&
        text[end] !== '\r'
      )
        end++;
      field += text.slice(i, end);
      i = end;
    } else {
      let end = i;
      while (
        end < length &&
        text[end] !== delimiter &&
        text[end] !== '\n' &&
        text[end] !== '\r'
      )
        end++;
      field = text.slice(i, end);
      i = end;
    }
    record.push(field);
    if (i >= length) {
      yield record;
      return;
    }
    const char = text[i];
    i++;
    if (char !== delimiter) {
      if (char === '\r' && text[i] === '\n') i++;
      yield record;
      record = [];
      if (i === length) return;
    } else if (i === length) {
      record.push('');
      yield record;
      return;
    }
  }
}

/** Where a chunked read is: the header seen in the first chunk and the rows so far. */
export interface CsvState {
  header?: string[];
  row: number;
}

export function* csvCells(
  text: string,
  delimiter: string,
  limits = DATASET_LIMITS,
  state: CsvState = { row: 0 },
): Generator<DatasetCell> {
  for (const record of csvRecords(text, delimiter)) {
    if (!state.header) {
      state.header = record;
      continue;
    }
    const header = state.header;
    const row = ++state.row;
    if (row > limits.maxRows) return;
    for (let index = 0; index < record.length; index++)
      yield {
        row,
        column: header[index] || String(index + 1),
        value: record[index].slice(0, limits.maxCellChars),
      };
  }
}

/** String values of one JSON record, with their paths. Depth-limited: hostile nesting is not followed. */
function* stringsOf(
  value: unknown,
  path: string,
  depth: number,
): Generator<[string, string]> {
  if (typeof value === 'string') yield [path || '$', value];
  else if (depth > 32 || value === null || typeof value !== 'object') return;
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      yield* stringsOf(value[i], `${path}[${i}]`, depth + 1);
  } else
    for (const [key, child] of Object.entries(value))
      yield* stringsOf(child, path ? `${path}.${key}` : key, depth + 1);
}

export type JsonlItem =
  | DatasetCell
  | { row: number; error: string }
  | { row: number; record: unknown };

/** Cells of JSON Lines text; each parsed record is also yielded once (for schema inference). */
export function* jsonlCells(
  text: string,
  limits = DATASET_LIMITS,
  firstRow = 1,
): Generator<JsonlItem> {
  let row = firstRow - 1;
  for (const line of text.split('\n')) {
    row++;
    if (row > limits.maxRows) return;
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      yield { row, error: (error as Error).message };
      continue;
    }
    yield { row, record };
    let count = 0;
    for (const [column, value] of stringsOf(record, '', 0)) {
      if (++count > limits.maxCellsPerRow) break;
      yield { row, column, value: value.slice(0, limits.maxCellChars) };
    }
  }
}
