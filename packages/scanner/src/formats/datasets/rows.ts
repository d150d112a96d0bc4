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

/** RFC 4180 fields: quotes, doubled quotes, delimiters and newlines inside quotes. */
export function* csvRecords(
  text: string,
  delimiter: string,
): Generator<string[]> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      yield record;
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    yield record;
  }
}

export function* csvCells(
  text: string,
  delimiter: string,
  limits = DATASET_LIMITS,
): Generator<DatasetCell> {
  let header: string[] | undefined;
  let row = 0;
  for (const record of csvRecords(text, delimiter)) {
    if (!header) {
      header = record;
      continue;
    }
    row++;
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

export type JsonlItem = DatasetCell | { row: number; error: string };

export function* jsonlCells(
  text: string,
  limits = DATASET_LIMITS,
): Generator<JsonlItem> {
  let row = 0;
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
    let count = 0;
    for (const [column, value] of stringsOf(record, '', 0)) {
      if (++count > limits.maxCellsPerRow) break;
      yield { row, column, value: value.slice(0, limits.maxCellChars) };
    }
  }
}
