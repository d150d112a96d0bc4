import type { Rule } from '../model/rule';

/**
 * Rules about dataset files (CSV/TSV, JSON Lines). Evidence carries row and column; fingerprints
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
      'JSON Lines records that are not valid JSON could not be analysed. A scan that cannot read them does not pass them.',
    fix: 'Fix or drop the records; validate the file with the loader that will read it.',
    docsAnchor: 'data-malformed',
  },
];
