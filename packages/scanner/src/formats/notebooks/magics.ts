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

/** `curl … | sh`, `wget -O- … | bash`, `… | python`: a downloaded script runs unreviewed. */
export const PIPE_TO_SHELL =
  /\b(?:curl|wget|fetch|iwr|invoke-webrequest)\b[^|;&]*\|\s*(?:sudo\s+)?(?:(?:ba|z|da|k)?sh|python\d?(?:\.\d+)?|perl|ruby|node)\b/i;
