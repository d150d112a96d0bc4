import type {
  FormatReader,
  ReaderContext,
  ReaderInput,
} from '../../engine/FormatReader';
import type { Location, Signal } from '../../model/evidence';
import { detectSecrets } from '../../secrets/detectSecrets';
import { secretSignal } from '../../secrets/toSignal';
import { analysePythonText } from '../../source/analysePythonText';
import { snippetOf } from '../models/common/signals';
import { classifyCommand, splitCell } from './cellCode';
import { NOTEBOOK_LIMITS, parseNotebook, type Notebook } from './parseNotebook';

/** Scripts and event handlers in HTML output run in the browser of whoever opens the notebook. */
const ACTIVE_HTML =
  /<script\b|\bon(?:load|error|click|mouseover|focus|animationstart)\s*=|javascript:|<iframe\b[^>]*\bsrcdoc=/i;
const SCRIPT_MIMES = new Set([
  'application/javascript',
  'text/javascript',
  'application/x-javascript',
]);
/** Kernels launched as `python -m ipykernel_launcher -f {connection_file}` (or ipykernel): the usual. */
const STANDARD_KERNEL_ARGV =
  /^(?:\S*\/)?python(?:\d+(?:\.\d+)?)?(?:\.exe)?\s+-m\s+(?:ipykernel_launcher|ipykernel)\s+-f\s+\{connection_file\}$/;

/** `"cells": [` near the top, or a `.ipynb` name whose JSON says so (nbformat may come last). */
function sniff(head: Uint8Array, name: string): boolean {
  const text = Buffer.from(head)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!text.startsWith('{')) return false;
  if (name.toLowerCase().endsWith('.ipynb')) return true;
  return /"cells"\s*:\s*\[/.test(text) && /"(?:cell_type|nbformat)"/.test(text);
}

/**
 * Jupyter notebooks: code cells through the Python source analysis (every SOURCE-* rule), shell
 * and magic lines, outputs (secrets, active HTML/JavaScript), kernelspec commands. Never runs a cell.
 */
export const notebookReader: FormatReader = {
  id: 'notebook',
  priority: 20,
  sniff,
  async read(input: ReaderInput, ctx: ReaderContext) {
    ctx.setFormat('notebook');
    const maxBytes = Math.min(
      NOTEBOOK_LIMITS.maxBytes,
      ctx.limits.maxTextBytes,
    );
    if (input.source.size > maxBytes) {
      ctx.emit({
        ruleId: 'SCAN-LIMIT',
        message: `Notebook of ${input.source.size} bytes is above the ${maxBytes}-byte notebook limit: not analysed`,
        location: input.location,
        evidence: { limit: 'notebook.maxBytes' },
        key: 'notebook:maxBytes',
      });
      return;
    }
    const text = Buffer.from(
      await input.source.read(0, input.source.size),
    ).toString('utf8');
    const parsed = parseNotebook(text);
    if (parsed.kind === 'error') {
      ctx.emit({
        ruleId: 'NOTEBOOK-MALFORMED',
        message: `Notebook does not parse: ${parsed.message}`,
        location: input.location,
        evidence: {},
        key: 'parse',
      });
      return;
    }
    const notebook = parsed.notebook;
    if (notebook.skippedCells > 0)
      ctx.emit({
        ruleId: 'SCAN-LIMIT',
        message: `Notebook has ${notebook.skippedCells} cells beyond the ${NOTEBOOK_LIMITS.maxCells}-cell limit: not analysed`,
        location: input.location,
        evidence: { limit: 'notebook.maxCells' },
        key: 'notebook:maxCells',
      });
    checkKernel(notebook, input.location, ctx);
    await analyseCode(notebook, input.location, ctx);
    for (const cell of notebook.cells) {
      ctx.checkDeadline();
      const at = (line?: number): Location => ({
        ...input.location,
        ...(line ? { line } : {}),
      });
      for (const match of detectSecrets(cell.source))
        ctx.emit(
          secretSignal(match, at(), `cell ${cell.index}, line ${match.line}`, {
            cell: cell.index,
            cellLine: match.line,
          }),
        );
      cell.outputs.forEach((output, outputIndex) => {
        for (const match of detectSecrets(output.text))
          ctx.emit(
            secretSignal(match, at(), `the output of cell ${cell.index}`, {
              cell: cell.index,
              output: outputIndex + 1,
            }),
          );
        const active =
          SCRIPT_MIMES.has(output.mime) ||
          (output.mime === 'text/html' &&
            ACTIVE_HTML.exec(output.text) !== null);
        if (active)
          ctx.emit({
            ruleId: 'NOTEBOOK-ACTIVE-OUTPUT',
            message: `Output ${outputIndex + 1} of cell ${cell.index} is ${
              output.mime
            } with script: it runs in the browser of whoever renders the notebook`,
            location: at(),
            evidence: {
              cell: cell.index,
              output: outputIndex + 1,
              mime: output.mime,
              snippet: snippetOf(output.text),
            },
            key: `${output.mime}|${snippetOf(output.text, 120)}`,
          });
      });
    }
  },
};

function checkKernel(
  notebook: Notebook,
  location: Location,
  ctx: ReaderContext,
) {
  if (!notebook.kernelArgv) return;
  const argv = notebook.kernelArgv.join(' ');
  if (STANDARD_KERNEL_ARGV.test(argv)) return;
  ctx.emit({
    ruleId: 'NOTEBOOK-KERNEL-COMMAND',
    message: `The notebook's kernelspec launches \`${snippetOf(
      argv,
      120,
    )}\` instead of a standard kernel`,
    location,
    evidence: { snippet: snippetOf(argv), kernel: notebook.kernelName },
    key: snippetOf(argv, 160),
  });
}

/**
 * All Python cells as one module, as Jupyter runs them: an import in cell 1 resolves a call in
 * cell 5. Lines map back to (cell, line) for evidence.
 */
async function analyseCode(
  notebook: Notebook,
  location: Location,
  ctx: ReaderContext,
) {
  if (notebook.language && notebook.language !== 'python') return;
  const parts: string[] = [];
  const origin: Array<{ cell: number; line: number }> = [];
  const occurrences = new Map<string, number>();
  const keyed = (base: string) => {
    const count = occurrences.get(base) ?? 0;
    occurrences.set(base, count + 1);
    return count === 0 ? base : `${base}#${count}`;
  };
  for (const cell of notebook.cells) {
    if (cell.type !== 'code') continue;
    const split = splitCell(cell.source);
    for (const command of split.commands) {
      const observation = classifyCommand(command);
      const signal: Signal = {
        ruleId: observation.ruleId,
        message: `Cell ${cell.index}, line ${command.line}: ${observation.message}`,
        location,
        evidence: {
          cell: cell.index,
          cellLine: command.line,
          via: command.via,
          snippet: snippetOf(command.command),
          ...observation.details,
        },
        key: keyed(`${observation.ruleId}|${snippetOf(command.command, 160)}`),
        severity: observation.severity,
      };
      ctx.emit(signal);
    }
    if (split.browserMagic)
      ctx.emit({
        ruleId: 'NOTEBOOK-ACTIVE-OUTPUT',
        message: `Cell ${cell.index} is %%${split.browserMagic}: its body runs in the browser when the cell runs`,
        location,
        evidence: { cell: cell.index, snippet: snippetOf(cell.source) },
        key: keyed(`%%${split.browserMagic}|${snippetOf(cell.source, 120)}`),
      });
    const lines = split.python.split('\n');
    lines.forEach((_, index) =>
      origin.push({ cell: cell.index, line: index + 1 }),
    );
    parts.push(split.python);
  }
  if (parts.length === 0) return;
  const analysis = await analysePythonText(parts.join('\n'));
  if (analysis.kind === 'error') {
    ctx.emit({
      ruleId: 'SOURCE-PARSE-ERROR',
      message: `Notebook code not analysed: ${analysis.reason}`,
      location,
      evidence: {},
      key: 'notebook-parse',
    });
    return;
  }
  for (const { call, observations } of analysis.calls) {
    const from = origin[call.line - 1] ?? { cell: 0, line: call.line };
    for (const observation of observations) {
      ctx.emit({
        ruleId: observation.ruleId,
        message: `Cell ${from.cell}, line ${from.line}: ${observation.message}`,
        location,
        evidence: {
          cell: from.cell,
          cellLine: from.line,
          symbol: observation.symbol,
          snippet: call.snippet,
          guard: call.guard?.text,
          ...observation.details,
        },
        key: keyed(
          `${observation.ruleId}|${observation.symbol}|${call.normalisedText}`,
        ),
        severity: observation.severity,
      });
    }
  }
}
