import type {
  ProjectAnalyzer,
  ProjectContext,
} from '../engine/ProjectAnalyzer';
import { detectSecrets } from './detectSecrets';
import { isSecretTextCandidate } from './textCandidates';
import { secretSignal } from './toSignal';

/** Files searched per scan; the rest are reported as one SCAN-LIMIT. */
export const MAX_SECRET_FILES = 20_000;

/**
 * Searches the project's text files (configs, source, model cards, READMEs) for credentials.
 * Findings carry a redacted preview and the SHA-256, never the secret.
 */
export class SecretsAnalyzer implements ProjectAnalyzer {
  readonly id = 'secrets';

  async analyze(ctx: ProjectContext): Promise<void> {
    const candidates = ctx.files.filter(isSecretTextCandidate);
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
