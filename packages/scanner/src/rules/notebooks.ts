import type { Rule } from '../model/rule';

/**
 * Rules about Jupyter notebooks. Python in code cells is graded by the SOURCE-* rules; these cover
 * what a notebook does besides Python: shell and magic lines, run-time installs, active outputs and
 * kernels. Evidence carries the cell number and the line in the cell.
 */
export const NOTEBOOK_RULES: Rule[] = [
  {
    id: 'NOTEBOOK-PIPE-TO-SHELL',
    title: 'Notebook pipes a downloaded script into a shell',
    category: 'source',
    severity: 'high',
    cwe: ['CWE-494', 'CWE-78'],
    owaspLlm: ['LLM03:2025'],
    description:
      "A shell line (`!curl … | sh`, `%%bash` with `wget -O- … | bash`) runs whatever the server returns at that moment, with the kernel's rights: nothing of it was reviewed or pinned.",
    fix: 'Download the script once, review it, pin its SHA-256 and commit it (or a container image built from it); never pipe a download into an interpreter.',
    docsAnchor: 'notebook-pipe-to-shell',
  },
  {
    id: 'NOTEBOOK-RUNTIME-INSTALL',
    title: 'Notebook installs packages at run time',
    category: 'source',
    severity: 'medium',
    cwe: ['CWE-829', 'CWE-1357'],
    owaspLlm: ['LLM03:2025'],
    description:
      '`!pip install`, `%pip install`, `conda install` in a cell install packages outside the locked, reviewed dependency set, at whatever version the index serves that day. From an index or URL other than the public ones (`--index-url`, `git+https://…`) it is high: that host decides what code runs.',
    fix: "Declare the packages in the project's requirements/lock file and install them in the image; remove install lines from notebooks that reach production.",
    docsAnchor: 'notebook-runtime-install',
  },
  {
    id: 'NOTEBOOK-SHELL',
    title: 'Shell command in a notebook cell',
    category: 'source',
    severity: 'low',
    cwe: ['CWE-78'],
    owaspLlm: [],
    description:
      "A `!command`, `%sx`, `%system` or `%%bash` cell runs a shell command with the kernel's rights when the notebook runs. Recorded so a reviewer sees everything the notebook does outside Python.",
    fix: 'Move setup commands to the image build or a reviewed script; keep notebooks to Python.',
    docsAnchor: 'notebook-shell',
  },
  {
    id: 'NOTEBOOK-RUN-EXTERNAL',
    title: 'Notebook runs or loads code from elsewhere',
    category: 'source',
    severity: 'low',
    cwe: ['CWE-829'],
    owaspLlm: ['LLM03:2025'],
    description:
      "`%run`, `%load`, `%load_ext` bring code from another file or module into the kernel; that code is not part of this notebook's scan. From a URL (`%load https://…`) it is high.",
    fix: 'Import first-party modules (which the source analysis scans) instead; never load code from a URL.',
    docsAnchor: 'notebook-run-external',
  },
  {
    id: 'NOTEBOOK-ACTIVE-OUTPUT',
    title: 'Notebook output or cell runs script in the browser',
    category: 'source',
    severity: 'high',
    cwe: ['CWE-79'],
    owaspLlm: ['LLM05:2025'],
    description:
      'A stored output of type `application/javascript`, or `text/html` with `<script>`, event handlers or `javascript:` URLs, or a `%%javascript`/`%%html` cell, runs in the browser of whoever renders the notebook (a trusted Jupyter, a portal preview): session theft, actions as the viewer.',
    fix: 'Clear outputs before committing (`jupyter nbconvert --clear-output` or nbstripout) and render notebooks untrusted.',
    docsAnchor: 'notebook-active-output',
  },
  {
    id: 'NOTEBOOK-KERNEL-COMMAND',
    title: 'Notebook kernelspec launches a non-standard command',
    category: 'source',
    severity: 'high',
    cwe: ['CWE-78'],
    owaspLlm: ['LLM03:2025'],
    description:
      "The notebook's `metadata.kernelspec.argv` is not the usual `python -m ipykernel_launcher -f {connection_file}`: tools that honour an embedded kernelspec run that command when the notebook is opened.",
    fix: 'Remove `argv` from the notebook metadata; kernels are configured on the host, not in the document.',
    docsAnchor: 'notebook-kernel-command',
  },
  {
    id: 'NOTEBOOK-MALFORMED',
    title: 'Notebook that does not parse',
    category: 'source',
    severity: 'medium',
    cwe: ['CWE-20'],
    owaspLlm: [],
    description:
      'A file claimed as a notebook (`.ipynb`, or JSON with `cells`) is not valid notebook JSON, so its cells could not be analysed. A scan that cannot read it does not pass it.',
    fix: 'Re-save the notebook with Jupyter, or remove it from the artifact.',
    docsAnchor: 'notebook-malformed',
  },
];
