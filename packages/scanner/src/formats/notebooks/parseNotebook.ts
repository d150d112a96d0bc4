/** Limits of the notebook reader: a notebook past them is a SCAN-LIMIT finding, not a pass. */
export const NOTEBOOK_LIMITS = {
  /** Bytes of a notebook read and parsed as JSON. */
  maxBytes: 32 * 1024 * 1024,
  /** Cells analysed; the rest are reported as not analysed. */
  maxCells: 10_000,
  /** Characters of one output (text or HTML) searched for secrets and active content. */
  maxOutputChars: 1024 * 1024,
};

export interface NotebookOutput {
  /** MIME type (`text/plain`, `text/html`, `application/javascript`), or `stream`/`error`. */
  mime: string;
  text: string;
}

export interface NotebookCell {
  /** 1-based, as Jupyter shows them in order. */
  index: number;
  type: string;
  source: string;
  outputs: NotebookOutput[];
}

export interface Notebook {
  nbformat: number;
  cells: NotebookCell[];
  /** Cells beyond `maxCells`, not analysed. */
  skippedCells: number;
  kernelName?: string;
  kernelArgv?: string[];
  language?: string;
}

export type ParsedNotebook =
  | { kind: 'ok'; notebook: Notebook }
  | { kind: 'error'; message: string };

function joinText(value: unknown, max = Number.POSITIVE_INFINITY): string {
  let text = '';
  if (Array.isArray(value))
    text = value.filter(part => typeof part === 'string').join('');
  else if (typeof value === 'string') text = value;
  return text.length > max ? text.slice(0, max) : text;
}

function outputsOf(value: unknown, maxChars: number): NotebookOutput[] {
  if (!Array.isArray(value)) return [];
  const outputs: NotebookOutput[] = [];
  for (const output of value) {
    if (!output || typeof output !== 'object') continue;
    const record = output as Record<string, unknown>;
    if (record.output_type === 'stream')
      outputs.push({ mime: 'stream', text: joinText(record.text, maxChars) });
    else if (record.output_type === 'error')
      outputs.push({
        mime: 'error',
        text: joinText(record.traceback, maxChars),
      });
    if (record.data && typeof record.data === 'object') {
      for (const [mime, data] of Object.entries(
        record.data as Record<string, unknown>,
      )) {
        // Images are base64 of pixels: neither secrets nor scripts worth the time.
        if (mime.startsWith('image/')) continue;
        const text =
          typeof data === 'object' && !Array.isArray(data)
            ? JSON.stringify(data)
            : joinText(data, maxChars);
        outputs.push({ mime, text: text.slice(0, maxChars) });
      }
    }
  }
  return outputs;
}

/**
 * Reads a Jupyter notebook (nbformat 4, and the cell list of 3 under `worksheets`) from its JSON
 * text. Pure; never runs anything. A document without `cells` and `nbformat` is not a notebook.
 */
export function parseNotebook(
  text: string,
  limits = NOTEBOOK_LIMITS,
): ParsedNotebook {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return {
      kind: 'error',
      message: `not valid JSON: ${(error as Error).message}`,
    };
  }
  if (!document || typeof document !== 'object' || Array.isArray(document))
    return { kind: 'error', message: 'the top level is not a JSON object' };
  const root = document as Record<string, unknown>;
  if (typeof root.nbformat !== 'number')
    return { kind: 'error', message: 'no numeric nbformat' };
  const worksheets = Array.isArray(root.worksheets) ? root.worksheets : [];
  const rawCells: unknown[] = Array.isArray(root.cells)
    ? root.cells
    : worksheets.flatMap(sheet =>
        sheet && Array.isArray(sheet.cells) ? sheet.cells : [],
      );
  if (!Array.isArray(root.cells) && worksheets.length === 0)
    return { kind: 'error', message: 'no cells array' };
  const cells: NotebookCell[] = [];
  rawCells.slice(0, limits.maxCells).forEach((raw, position) => {
    if (!raw || typeof raw !== 'object') return;
    const cell = raw as Record<string, unknown>;
    cells.push({
      index: position + 1,
      type: typeof cell.cell_type === 'string' ? cell.cell_type : 'unknown',
      // nbformat 3 called it `input`.
      source: joinText(cell.source ?? cell.input),
      outputs: outputsOf(cell.outputs, limits.maxOutputChars),
    });
  });
  const metadata = (
    root.metadata && typeof root.metadata === 'object' ? root.metadata : {}
  ) as Record<string, unknown>;
  const kernelspec = (
    metadata.kernelspec && typeof metadata.kernelspec === 'object'
      ? metadata.kernelspec
      : {}
  ) as Record<string, unknown>;
  const language = (
    metadata.language_info as Record<string, unknown> | undefined
  )?.name;
  return {
    kind: 'ok',
    notebook: {
      nbformat: root.nbformat,
      cells,
      skippedCells: Math.max(0, rawCells.length - limits.maxCells),
      kernelName:
        typeof kernelspec.name === 'string' ? kernelspec.name : undefined,
      kernelArgv: Array.isArray(kernelspec.argv)
        ? kernelspec.argv.map(String)
        : undefined,
      language: typeof language === 'string' ? language : undefined,
    },
  };
}
