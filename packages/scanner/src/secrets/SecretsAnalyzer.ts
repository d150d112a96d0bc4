import type {
  ProjectAnalyzer,
  ProjectContext,
} from '../engine/ProjectAnalyzer';
import { detectSecrets } from './detectSecrets';
import { secretSignal } from './toSignal';

/** Text files worth searching for credentials, by extension. Notebooks are searched by their reader. */
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
/** Files searched per scan; the rest are reported as one SCAN-LIMIT. */
export const MAX_SECRET_FILES = 20_000;

function isTextCandidate(path: string): boolean {
  if (SKIPPED_PATH.test(path) || LOCK_FILES.test(path)) return false;
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (TEXT_NAMES.has(name) || name.startsWith('.env.')) return true;
  const dot = name.lastIndexOf('.');
  return dot > 0 && TEXT_EXTENSIONS.has(name.slice(dot + 1));
}

/**
 * Searches the project's text files (configs, source, model cards, READMEs) for credentials.
 * Findings carry a redacted preview and the SHA-256, never the secret.
 */
export class SecretsAnalyzer implements ProjectAnalyzer {
  readonly id = 'secrets';

  async analyze(ctx: ProjectContext): Promise<void> {
    const candidates = ctx.files.filter(isTextCandidate);
    for (const path of candidates.slice(0, MAX_SECRET_FILES)) {
      let text: string;
      try {
        text = await ctx.readText(path);
      } catch {
        // Oversized or unreadable text: the files that matter for execution (Python) are reported
        // by the source analyzer; a huge JSON or log is searched by nobody (documented limit).
        continue;
      }
      for (const match of detectSecrets(text))
        ctx.emit(
          secretSignal(match, { path, line: match.line, column: match.column }),
        );
    }
    if (candidates.length > MAX_SECRET_FILES)
      ctx.emit({
        ruleId: 'SCAN-LIMIT',
        message: `${
          candidates.length - MAX_SECRET_FILES
        } text files beyond the ${MAX_SECRET_FILES}-file limit were not searched for secrets`,
        location: { path: candidates[MAX_SECRET_FILES] },
        evidence: { limit: 'secrets.maxFiles' },
        key: 'secrets:maxFiles',
      });
  }
}
