import type { Signal } from '../../model/evidence';
import type { DeclaredRequirement, ManifestResult } from '../model';

/** Files an installer consumes as-is: unpinned lines there install whatever is newest on the day. */
function installsDirectly(manifest: ManifestResult): boolean {
  return manifest.kind === 'requirements' && !manifest.file.endsWith('.in');
}

function isLocal(requirement: DeclaredRequirement): boolean {
  return Boolean(
    requirement.url &&
      !/^[a-z][a-z0-9+.-]*:\/\//i.test(
        requirement.url.replace(/^(git|hg|svn|bzr)\+/, ''),
      ),
  );
}

/**
 * Unpinned requirements in files pip installs directly (low), VCS requirements on a mutable ref
 * (medium), and, once a file uses hashes, every requirement without one (medium): pip's hash mode
 * is all-or-nothing.
 */
export function checkPinning(manifests: readonly ManifestResult[]): Signal[] {
  const signals: Signal[] = [];
  for (const manifest of manifests) {
    if (!installsDirectly(manifest) && manifest.kind !== 'conda-environment')
      continue;
    const installable = manifest.requirements.filter(
      r => !r.constraintOnly && !isLocal(r),
    );
    for (const requirement of installable) {
      const label = requirement.name ?? requirement.url ?? '?';
      if (
        requirement.url &&
        !requirement.urlPinnedToCommit &&
        /^(git|hg|svn|bzr)\+/.test(requirement.url)
      ) {
        signals.push({
          ruleId: 'DEP-UNPINNED',
          message: `${label} is installed from a VCS branch or tag (${requirement.url.slice(
            0,
            120,
          )}), which can change under you; pin a full commit hash`,
          location: { path: requirement.file, line: requirement.line },
          evidence: { package: requirement.name, snippet: requirement.snippet },
          key: `vcs:${label}`,
          severity: 'medium',
        });
      } else if (
        !requirement.url &&
        !requirement.pinned &&
        requirement.group !== 'conda'
      ) {
        signals.push({
          ruleId: 'DEP-UNPINNED',
          message: `${label}${
            requirement.specifier ? ` ${requirement.specifier}` : ''
          } is not pinned: every install may resolve a different version`,
          location: { path: requirement.file, line: requirement.line },
          evidence: { package: requirement.name, snippet: requirement.snippet },
          key: label,
        });
      }
    }
    const hashMode =
      manifest.indexes.requireHashes ||
      installable.some(r => r.hashes.length > 0);
    if (!hashMode) continue;
    for (const requirement of installable) {
      if (requirement.hashes.length > 0 || requirement.group === 'conda')
        continue;
      const label = requirement.name ?? requirement.url ?? '?';
      signals.push({
        ruleId: 'DEP-UNHASHED',
        message: `${label} has no --hash while other requirements in ${manifest.file} do: pip refuses the file in hash-checking mode, and the line is not protected against substitution`,
        location: { path: requirement.file, line: requirement.line },
        evidence: { package: requirement.name, snippet: requirement.snippet },
        key: label,
      });
    }
  }
  return signals;
}
