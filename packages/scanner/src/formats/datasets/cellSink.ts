import { createHash } from 'node:crypto';
import type { ReaderContext, ReaderInput } from '../../engine/FormatReader';
import { BufferSource } from '../../io/ByteSource';
import { detectSecrets } from '../../secrets/detectSecrets';
import { secretSignal } from '../../secrets/toSignal';
import { snippetOf } from '../models/common/signals';
import { analyseCell } from './analyseCell';
import {
  base64Payload,
  payloadKind,
  type PayloadKind,
} from './embeddedPayload';

/** Findings per file; a poisoned dataset has thousands of rows alike, a reviewer needs the first ones. */
const MAX_FINDINGS_PER_FILE = 200;
/** Embedded payloads handed to the engine per file (each is analysed like a model file). */
const MAX_EMBEDDED_PAYLOADS = 50;

const digestOf = (value: string | Uint8Array) =>
  createHash('sha256').update(value).digest('hex').slice(0, 16);

/**
 * What every dataset reader does with a cell, whatever the format: signatures (active content,
 * suspicious URLs, prompt injection), secrets, and payloads hidden in binary or base64 cells, which
 * go to the engine so that the pickle walker grades them as it grades a file.
 */
export class CellSink {
  private emitted = 0;
  private payloads = 0;
  private payloadsSkipped = 0;
  private readonly occurrences = new Map<string, number>();

  constructor(
    private readonly input: ReaderInput,
    private readonly ctx: ReaderContext,
    /** CSV/TSV: spreadsheet formulas at a cell's start are active content. */
    private readonly spreadsheet: boolean,
  ) {}

  private emit(
    row: number,
    column: string,
    ruleId: string,
    message: string,
    key: string,
    evidence: Record<string, string | number>,
  ) {
    if (this.emitted++ >= MAX_FINDINGS_PER_FILE) return;
    // Key by column, signature and the cell's content hash: re-ordering rows keeps fingerprints.
    const count = this.occurrences.get(key) ?? 0;
    this.occurrences.set(key, count + 1);
    this.ctx.emit({
      ruleId,
      message: `Row ${row}, column ${column}: ${message}`,
      location: this.input.location,
      evidence: { row, column, ...evidence },
      key: count === 0 ? key : `${key}#${count}`,
    });
  }

  async text(row: number, column: string, value: string): Promise<void> {
    const findings = analyseCell(value, this.spreadsheet);
    if (findings.length > 0) {
      const digest = digestOf(value);
      for (const finding of findings)
        this.emit(
          row,
          column,
          finding.ruleId,
          `${finding.reason} (${snippetOf(finding.match, 80)})`,
          `${finding.signature}|${column}|${digest}`,
          { signature: finding.signature, snippet: snippetOf(value, 120) },
        );
    }
    for (const match of detectSecrets(value)) {
      if (this.emitted++ >= MAX_FINDINGS_PER_FILE) break;
      this.ctx.emit(
        secretSignal(
          match,
          this.input.location,
          `row ${row}, column ${column}`,
          { row, column },
        ),
      );
    }
    const encoded = base64Payload(value);
    if (encoded)
      await this.payload(row, column, encoded.kind, encoded.bytes, 'base64');
  }

  async binary(row: number, column: string, bytes: Uint8Array): Promise<void> {
    const kind = payloadKind(bytes);
    if (kind) await this.payload(row, column, kind, bytes, 'binary');
  }

  private async payload(
    row: number,
    column: string,
    kind: PayloadKind,
    bytes: Uint8Array,
    encoding: 'binary' | 'base64',
  ) {
    if (this.payloads >= MAX_EMBEDDED_PAYLOADS) {
      this.payloadsSkipped++;
      return;
    }
    this.payloads++;
    const digest = digestOf(bytes);
    this.emit(
      row,
      column,
      'DATA-EMBEDDED-PAYLOAD',
      `a ${kind} stream (${bytes.length} bytes, ${encoding}) hidden in the cell; whoever reads the column deserialises it. Analysed as a file: see the findings of ${this.input.name} › ${column}[row ${row}]`,
      `payload|${column}|${digest}`,
      { payload: kind, encoding, bytes: bytes.length, sha256: digest },
    );
    // The engine sniffs the bytes like any file and applies its depth and size limits.
    await this.ctx.scanChild({
      name: `${column}[row ${row}]`,
      source: new BufferSource(bytes),
    });
  }

  /** Reports what the caps left out. */
  finish(): void {
    const { location } = this.input;
    if (this.emitted > MAX_FINDINGS_PER_FILE)
      this.ctx.emit({
        ruleId: 'DATA-ACTIVE-CONTENT',
        message: `More than ${MAX_FINDINGS_PER_FILE} suspicious cells: only the first ${MAX_FINDINGS_PER_FILE} are listed`,
        location,
        evidence: { limit: 'dataset.maxFindings' },
        key: 'dataset:maxFindings',
        severity: 'info',
      });
    if (this.payloadsSkipped > 0)
      this.ctx.emit({
        ruleId: 'DATA-EMBEDDED-PAYLOAD',
        message: `${this.payloadsSkipped} more cells hold serialised payloads beyond the ${MAX_EMBEDDED_PAYLOADS} analysed: they were not analysed`,
        location,
        evidence: {
          limit: 'dataset.maxEmbeddedPayloads',
          skipped: this.payloadsSkipped,
        },
        key: 'dataset:maxEmbeddedPayloads',
      });
  }
}
