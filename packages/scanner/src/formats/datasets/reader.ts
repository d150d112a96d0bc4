import { createHash } from 'node:crypto';
import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../engine/FormatReader';
import { detectSecrets } from '../../secrets/detectSecrets';
import { secretSignal } from '../../secrets/toSignal';
import { snippetOf } from '../models/common/signals';
import { analyseCell } from './analyseCell';
import { csvCells, DATASET_LIMITS, jsonlCells, type DatasetCell } from './rows';

/** Findings per file; a poisoned dataset has thousands of rows alike, a reviewer needs the first ones. */
const MAX_FINDINGS_PER_FILE = 200;

type Kind = 'csv' | 'tsv' | 'jsonl';

function looksLikeText(head: Uint8Array): boolean {
  return !head.subarray(0, 1024).includes(0);
}

function kindOf(head: Uint8Array, name: string): Kind | undefined {
  if (!looksLikeText(head)) return undefined;
  const lower = name.toLowerCase();
  const text = Buffer.from(head)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const lines = text.split('\n').slice(0, -1);
  // JSON Lines by content: at least two complete lines, each one JSON object.
  const objectLines = lines.filter(line => line.trim() !== '');
  if (
    objectLines.length >= 2 &&
    objectLines.slice(0, 8).every(line => /^\s*\{.*\}\s*$/.test(line))
  )
    return 'jsonl';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.tsv')) return 'tsv';
  if (lower.endsWith('.csv')) return 'csv';
  return undefined;
}

/** CSV/TSV and JSON Lines datasets: active content, suspicious URLs, prompt injection and secrets in cells. */
export const datasetReader: FormatReader = {
  id: 'dataset',
  priority: 5,
  sniff: (head, name) => kindOf(head, name) !== undefined,
  async read(input: ReaderInput, ctx: ReaderContext) {
    const kind = kindOf(input.head, input.name) ?? 'csv';
    ctx.setFormat(kind);
    const length = Math.min(
      input.source.size,
      DATASET_LIMITS.sampleBytes,
      ctx.limits.maxTextBytes,
    );
    const sampled = length < input.source.size;
    let text = Buffer.from(await input.source.read(0, length)).toString('utf8');
    // A sample ends mid-row: drop the partial last line rather than report it as malformed.
    if (sampled) text = text.slice(0, Math.max(0, text.lastIndexOf('\n')));
    let emitted = 0;
    const occurrences = new Map<string, number>();
    const emit = (
      cell: DatasetCell,
      ruleId: string,
      message: string,
      key: string,
      evidence: Record<string, string | number>,
    ) => {
      if (emitted++ >= MAX_FINDINGS_PER_FILE) return;
      // Key by column, signature and the cell's content hash: re-ordering rows keeps fingerprints.
      const count = occurrences.get(key) ?? 0;
      occurrences.set(key, count + 1);
      ctx.emit({
        ruleId,
        message: `Row ${cell.row}, column ${cell.column}: ${message}`,
        location: input.location,
        evidence: { row: cell.row, column: cell.column, ...evidence },
        key: count === 0 ? key : `${key}#${count}`,
      });
    };
    let malformed = 0;
    let firstMalformed = 0;
    const cells =
      kind === 'jsonl'
        ? jsonlCells(text)
        : csvCells(text, kind === 'tsv' ? '\t' : ',');
    let seen = 0;
    for (const item of cells) {
      if (++seen % 10_000 === 0) ctx.checkDeadline();
      if ('error' in item) {
        if (malformed++ === 0) firstMalformed = item.row;
        continue;
      }
      const digest = createHash('sha256')
        .update(item.value)
        .digest('hex')
        .slice(0, 16);
      for (const finding of analyseCell(item.value, kind !== 'jsonl'))
        emit(
          item,
          finding.ruleId,
          `${finding.reason} (${snippetOf(finding.match, 80)})`,
          `${finding.signature}|${item.column}|${digest}`,
          {
            signature: finding.signature,
            snippet: snippetOf(item.value, 120),
          },
        );
      for (const match of detectSecrets(item.value)) {
        if (emitted++ >= MAX_FINDINGS_PER_FILE) break;
        ctx.emit(
          secretSignal(
            match,
            input.location,
            `row ${item.row}, column ${item.column}`,
            { row: item.row, column: item.column },
          ),
        );
      }
    }
    if (malformed > 0)
      ctx.emit({
        ruleId: 'DATA-MALFORMED',
        message: `${malformed} JSON Lines records do not parse (first at line ${firstMalformed}): they were not analysed`,
        location: input.location,
        evidence: { malformedRows: malformed, firstRow: firstMalformed },
        key: 'jsonl-parse',
      });
    if (emitted > MAX_FINDINGS_PER_FILE)
      ctx.emit({
        ruleId: 'DATA-ACTIVE-CONTENT',
        message: `More than ${MAX_FINDINGS_PER_FILE} suspicious cells: only the first ${MAX_FINDINGS_PER_FILE} are listed`,
        location: input.location,
        evidence: { limit: 'dataset.maxFindings' },
        key: 'dataset:maxFindings',
        severity: 'info',
      });
  },
};
