import type { Rule } from '../model/rule';

/**
 * Rules about dataset files (CSV/TSV, JSON Lines, Parquet, Avro). Evidence carries row and column; fingerprints
 * use the column, signature and a hash of the cell, not the row, so re-ordered data keeps them.
 */
export const DATASET_RULES: Rule[] = [
  {
    id: 'DATA-ACTIVE-CONTENT',
    title: 'Dataset cell with active content',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-79', 'CWE-1236'],
    owaspLlm: ['LLM04:2025', 'LLM05:2025'],
    description:
      'A cell holds `<script>`, an HTML event handler, a `javascript:` or `data:text/html` URL, or (CSV/TSV) a spreadsheet formula at its start (`=`, or `+ - @` followed by a function call, DDE `cmd|`). It runs in the browser of a data viewer or labelling tool, or in the spreadsheet that opens the file. Signed numbers (`-3.5`) are not formulas.',
    fix: "Remove or escape the cells; prefix formula-like cells with `'` for spreadsheet export; render dataset text as plain text.",
    docsAnchor: 'data-active-content',
  },
  {
    id: 'DATA-SUSPICIOUS-URL',
    title: 'Dataset cell links to a suspicious host',
    category: 'artifact',
    severity: 'medium',
    cwe: ['CWE-601'],
    owaspLlm: ['LLM04:2025'],
    description:
      'A URL with an IP-literal host, a punycode (`xn--`) label, a paste or anonymous file host, a request catcher or tunnel, or a URL shortener. Such links in training or retrieval data teach a model to emit them, or stage payloads. Lists are data with reasons in `formats/datasets/signatures.ts`.',
    fix: 'Drop or rewrite the rows; keep links to domains you can name and vet.',
    docsAnchor: 'data-suspicious-url',
  },
  {
    id: 'DATA-PROMPT-INJECTION',
    title: 'Dataset cell with a prompt-injection signature',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-77'],
    owaspLlm: ['LLM01:2025', 'LLM04:2025'],
    description:
      'Instruction overrides ("ignore previous instructions"), fake system turns, jailbreak personas (DAN, "developer mode"), requests to reveal the system prompt, invisible Unicode tag characters or runs of zero-width/bidi controls. In fine-tuning data they become behaviour; in retrieval data they hijack the model at answer time.',
    fix: 'Remove the rows, or keep them only in a red-team set that is labelled as such and never trained on as instructions.',
    docsAnchor: 'data-prompt-injection',
  },
  {
    id: 'DATA-MALFORMED',
    title: 'Dataset records that do not parse',
    category: 'artifact',
    severity: 'medium',
    cwe: ['CWE-20'],
    owaspLlm: [],
    description:
      'JSON Lines records that are not valid JSON, a Parquet footer, metadata or page that does not decode (or uses a codec the scanner lacks: LZ4, LZO), an Avro header, block or record that does not decode: what follows could not be analysed. A scan that cannot read data does not pass it.',
    fix: 'Fix or drop the records; validate the file with the loader that will read it.',
    docsAnchor: 'data-malformed',
  },
  {
    id: 'DATA-EMBEDDED-PAYLOAD',
    title: 'Serialised object hidden in a dataset cell',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-502'],
    owaspLlm: ['LLM03:2025', 'LLM04:2025'],
    description:
      'A binary cell (Parquet BYTE_ARRAY, Avro bytes/fixed) or a base64 text cell (CSV/TSV, JSON Lines) holds a pickle, zip or gzip stream. Whoever reads the column with `pickle.loads` (or `torch.load`) runs it. The payload is analysed like a model file: its PICKLE-* findings follow, located at `<file> › <column>[row N]`. At most 50 payloads per file are analysed; more are reported.',
    fix: 'Store tensors and features as typed columns (lists of floats, safetensors bytes), never pickled objects; drop the rows if you did not put them there.',
    docsAnchor: 'data-embedded-payload',
  },
  {
    id: 'DATA-SCHEMA-DRIFT',
    title: 'Dataset schema differs from its pinned schema',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-20'],
    owaspLlm: ['LLM04:2025'],
    description:
      "The dataset has a pinned schema (`<file>.schema.json` beside it, or the policy's `datasets.schemas`) and its columns differ: a removed or retyped column is high, an added column medium. Parquet and Avro schemas are the declared ones; CSV/TSV and JSON Lines types are inferred from the sampled values (a column seen only empty is not called retyped). A pin that cannot be read, or a pinned dataset that was not read, is high.",
    fix: 'If the change is intended, update the pinned schema in the same review; otherwise find out who changed the export.',
    docsAnchor: 'data-schema-drift',
  },
  {
    id: 'DATA-SAMPLED',
    title: 'Dataset only partly read (sampled)',
    category: 'artifact',
    severity: 'info',
    cwe: [],
    owaspLlm: [],
    description:
      "Datasets are sampled by default: the first 8 MiB (CSV/TSV, JSON Lines), the first row groups or blocks up to 8 MiB (Parquet, Avro), at most 100,000 rows. The finding says how many rows and bytes were read. Set the policy's `datasets.mode: full` to read every row (bounded by the per-file time budget).",
    fix: 'Nothing, if sampling is your policy; `datasets: { mode: full }` for a gate that must see every row.',
    docsAnchor: 'data-sampled',
  },
];
