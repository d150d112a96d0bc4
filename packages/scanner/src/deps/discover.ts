import { posix } from 'node:path';
import type { ManifestKind } from './model';

/** What kind of manifest a path is, by name; undefined for everything else. */
export function manifestKindOf(path: string): ManifestKind | undefined {
  const base = posix.basename(path);
  const lower = base.toLowerCase();
  const inEnvironment = /(^|\/)(site|dist)-packages\//.test(path);
  if (base === 'METADATA' && /\.dist-info\/METADATA$/.test(path))
    return 'installed';
  // Installed packages ship their own build files; those are not the project's manifests.
  if (inEnvironment) return undefined;
  if (
    /^(requirements|constraints)[\w.-]*\.(txt|in)$/.test(lower) ||
    /(^|\/)requirements\/[\w.-]+\.(txt|in)$/.test(path)
  )
    return 'requirements';
  if (base === 'pyproject.toml') return 'pyproject';
  if (base === 'uv.lock') return 'uv-lock';
  if (base === 'poetry.lock') return 'poetry-lock';
  if (base === 'pdm.lock') return 'pdm-lock';
  if (/^pylock(\.[\w-]+)?\.toml$/.test(base)) return 'pylock';
  if (base === 'Pipfile.lock') return 'pipfile-lock';
  if (base === 'Pipfile') return 'pipfile';
  if (/^(environment|conda)[\w.-]*\.ya?ml$/.test(lower))
    return 'conda-environment';
  if (base === 'setup.cfg') return 'setup-cfg';
  if (base === 'setup.py') return 'setup-py';
  return undefined;
}

export function isConstraintsFile(path: string): boolean {
  return /^constraints[\w.-]*\.(txt|in)$/i.test(posix.basename(path));
}
