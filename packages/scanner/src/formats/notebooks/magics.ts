/**
 * IPython's non-Python lines, as data: which cell magics hand the cell to another interpreter,
 * which line magics run commands, and how a shell command is graded.
 */

/** Cell magics whose body is a shell script. */
export const SHELL_CELL_MAGICS: ReadonlySet<string> = new Set([
  'bash',
  'sh',
  'script',
  'system',
  '!',
  'zsh',
]);
/** Cell magics whose body is Python (timing, capture): analysed as code. */
export const PYTHON_CELL_MAGICS: ReadonlySet<string> = new Set([
  'capture',
  'time',
  'timeit',
  'prun',
  'debug',
]);
/** Cell magics whose body runs in the viewer's browser when the notebook is trusted. */
export const BROWSER_CELL_MAGICS: ReadonlySet<string> = new Set([
  'javascript',
  'js',
  'html',
]);
/** Line magics that run a shell command. */
export const SHELL_LINE_MAGICS: ReadonlySet<string> = new Set([
  'sx',
  'system',
  'bash',
  'sh',
]);
/** Line magics that install packages into the running kernel. */
export const INSTALL_LINE_MAGICS: ReadonlySet<string> = new Set([
  'pip',
  'conda',
  'mamba',
  'uv',
]);
/** Line magics that run or load code from another file or URL. */
export const RUN_LINE_MAGICS: ReadonlySet<string> = new Set([
  'run',
  'load',
  'loadpy',
  'load_ext',
  'aimport',
]);

/** Package indexes that are the ordinary public ones; any other index decides what gets installed. */
export const KNOWN_INDEX_HOSTS: readonly string[] = [
  'pypi.org',
  'files.pythonhosted.org',
  'download.pytorch.org',
  'conda.anaconda.org',
  'repo.anaconda.com',
];

/** `curl … | sh`, `wget -O- … | bash`, `… | python`: a downloaded script runs unreviewed. */
export const PIPE_TO_SHELL =
  /\b(?:curl|wget|fetch|iwr|invoke-webrequest)\b[^|;&]*\|\s*(?:sudo\s+)?(?:(?:ba|z|da|k)?sh|python\d?(?:\.\d+)?|perl|ruby|node)\b/i;
/** `pip install`, `python -m pip install`, `conda install`, `apt-get install`, `npm install`. */
export const INSTALL_COMMAND =
  /(?:^|[\s;&|(])(?:pip\d?(?:\.\d+)?|python\d?(?:\.\d+)?\s+-m\s+pip|uv\s+pip|conda|mamba|micromamba|apt(?:-get)?|npm|yarn|gem)\s+(?:-[\w-]+\s+)*(?:install|add)\b/i;
/** Index options of pip/conda: `--index-url`, `--extra-index-url`, `-i`, `-c channel URL`. */
export const INDEX_OPTION =
  /(?:--(?:extra-)?index-url|--find-links|-i|-f)[=\s]+(?<url>\S+)/g;
/** Installing straight from a URL or VCS (`git+https://…`, `https://…/x.whl`). */
export const URL_REQUIREMENT =
  /(?:^|\s)(?:git\+|hg\+|svn\+)?(?<url>https?:\/\/\S+)/g;

export function hostOf(url: string): string | undefined {
  try {
    return new URL(url.replace(/^['"]|['"]$/g, '')).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export function isKnownIndex(host: string): boolean {
  return KNOWN_INDEX_HOSTS.some(
    known => host === known || host.endsWith(`.${known}`),
  );
}
