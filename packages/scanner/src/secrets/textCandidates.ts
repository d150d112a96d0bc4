/** Text files worth searching for credentials, by extension. Notebooks and datasets are searched by their readers. */
const TEXT_EXTENSIONS: ReadonlySet<string> = new Set([
  'env',
  'cfg',
  'ini',
  'conf',
  'toml',
  'yaml',
  'yml',
  'json',
  'jsonc',
  'py',
  'md',
  'txt',
  'sh',
  'bash',
  'properties',
  'tf',
  'tfvars',
  'js',
  'ts',
  'r',
  'sql',
  'xml',
  'netrc',
  'pem',
  'key',
]);
/** Files with no (useful) extension that usually hold credentials. */
const TEXT_NAMES: ReadonlySet<string> = new Set([
  '.env',
  '.netrc',
  '.pypirc',
  '.npmrc',
  'credentials',
  'dockerfile',
  'makefile',
  '.git-credentials',
]);
/** Installed third-party code and lock files: test fixtures and hashes, not the project's secrets. */
const SKIPPED_PATH =
  /(?:^|\/)(?:site-packages|dist-packages|node_modules|\.venv|venv|\.git)\//;
const LOCK_FILES =
  /(?:^|\/)(?:poetry\.lock|uv\.lock|Pipfile\.lock|package-lock\.json|yarn\.lock|pdm\.lock)$/;

/** Whether a file (or archive member) path names a text file the secret search reads. */
export function isSecretTextCandidate(path: string): boolean {
  if (SKIPPED_PATH.test(path) || LOCK_FILES.test(path)) return false;
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (TEXT_NAMES.has(name) || name.startsWith('.env.')) return true;
  const dot = name.lastIndexOf('.');
  return dot > 0 && TEXT_EXTENSIONS.has(name.slice(dot + 1));
}
