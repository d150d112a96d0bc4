import type { Rule } from '../model/rule';

/** Rules about the scan itself: what could not be analysed is never a silent pass. */
export const SCAN_RULES: Rule[] = [
  {
    id: 'SCAN-ERROR',
    title: 'Input could not be analysed',
    category: 'scan',
    severity: 'high',
    cwe: ['CWE-20'],
    owaspLlm: ['LLM03:2025'],
    description:
      'A reader failed on this input (malformed, truncated or deliberately confusing). Loaders are often more lenient than parsers, so a file we cannot parse may still load and run code. Treated as blocking until someone looks.',
    fix: 'Re-export the artifact with its library, preferably to safetensors, or remove it. If the file is legitimate, report the parse failure with the file attached.',
    docsAnchor: 'scan-error',
  },
  {
    id: 'SCAN-LIMIT',
    title: 'Scan limit reached: part of the input was not analysed',
    category: 'scan',
    severity: 'high',
    cwe: ['CWE-400'],
    owaspLlm: ['LLM03:2025', 'LLM10:2025'],
    description:
      'A size, depth, entry-count, compression-ratio or time limit stopped the analysis. Hostile files use bombs and deep nesting to hide payloads past scanner limits, so what was not read cannot pass.',
    fix: 'Check that the artifact is what it claims to be. If it is legitimately this large or deep, raise the named limit in the policy (`limits:`), or scan that artifact on its own with a policy that allows it.',
    docsAnchor: 'scan-limit',
  },
  {
    id: 'SCAN-UNSUPPORTED',
    title: 'Model-like file in an unrecognised format',
    category: 'scan',
    severity: 'medium',
    cwe: ['CWE-20'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The file has a model or archive extension but its content matches no format the scanner reads, so nothing in it was checked.',
    fix: 'Convert the model to a supported format (safetensors preferred), or add a path ignore with a justification if the file is not a model.',
    docsAnchor: 'scan-unsupported',
  },
  {
    id: 'SCAN-PATH-ESCAPE',
    title: 'A path in the scanned tree leads outside it',
    category: 'scan',
    severity: 'high',
    cwe: ['CWE-22', 'CWE-59'],
    owaspLlm: ['LLM03:2025'],
    description:
      'A file the scanner would open (a requirements `-r`/`-c` include, a dist-info file, a config, a model card, a file or folder in the tree) is an absolute path, climbs out with `..`, or is a symbolic link resolving outside the scanned tree or nowhere. The scanner refused to read it, so whatever a loader or pip would find there was not checked; the finding deliberately names neither the target nor its content. Loaders do follow such links (ONNX external data, shards, tokenizer files, pip includes), which makes a harmless-looking relative name read host files.',
    fix: 'Replace the link or the path with the real file inside the project or model folder, or remove it.',
    docsAnchor: 'scan-path-escape',
  },
  {
    id: 'SCAN-REMOTE-INCOMPLETE',
    title: 'Remote source could not be read completely',
    category: 'scan',
    severity: 'high',
    cwe: ['CWE-20'],
    owaspLlm: ['LLM03:2025'],
    description:
      'A file of a remote source (Hugging Face Hub, S3, MLflow registry) could not be listed or read in full: the server refused, timed out after retries, answered with fewer or other bytes than asked, or pointed somewhere configuration does not allow. What was not read cannot pass.',
    fix: 'Check the source configuration (endpoint, token, allowed hosts) and that the server is reachable, then scan again. A redirect or artifact location outside the configured hosts is refused on purpose: add the host to the source configuration only if you trust it.',
    docsAnchor: 'scan-remote-incomplete',
  },
];
