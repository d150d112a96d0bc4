import type { Severity } from '../model/severity';

/** Package indexes that are the ordinary public ones; any other index decides what gets installed. */
export const KNOWN_INDEX_HOSTS: readonly string[] = [
  'pypi.org',
  'files.pythonhosted.org',
  'download.pytorch.org',
  'conda.anaconda.org',
  'repo.anaconda.com',
];

/** `pip install`, `python -m pip install`, `conda install`, `apt-get install`, `npm install`. */
export const INSTALL_COMMAND =
  /(?:^|[\s;&|(,'"[])(?:pip\d?(?:\.\d+)?|python\d?(?:\.\d+)?\s+-m\s+pip|uv\s+pip|conda|mamba|micromamba|apt(?:-get)?|npm|yarn|gem)['"]?\s*,?\s*(?:['"]?-[\w-]+['"]?\s*,?\s*)*['"]?(?:install|add)\b/i;
/** Index options of pip/conda: `--index-url`, `--extra-index-url`, `-i`, `--find-links`. */
const INDEX_OPTION =
  /(?:--(?:extra-)?index-url|--find-links|-i|-f)['"]?[=\s,]+['"]?(?<url>[^\s'",\]]+)/g;
/** Installing straight from a URL or VCS (`git+https://…`, `https://…/x.whl`). */
const URL_REQUIREMENT = /(?:git\+|hg\+|svn\+)?(?<url>https?:\/\/[^\s'",\]]+)/g;

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function isKnownIndex(host: string): boolean {
  return KNOWN_INDEX_HOSTS.some(
    known => host === known || host.endsWith(`.${known}`),
  );
}

export interface InstallGrade {
  severity: Severity;
  /** Hosts other than the public indexes that the install fetches from. */
  unknownHosts: string[];
}

/**
 * Grades a package install run from code or a notebook: medium (outside the reviewed dependencies),
 * high when an index or URL other than the public ones decides what is installed.
 */
export function gradeInstall(text: string): InstallGrade {
  const hosts = new Set<string>();
  for (const pattern of [INDEX_OPTION, URL_REQUIREMENT]) {
    for (const match of text.matchAll(pattern)) {
      const host = hostOf(match.groups!.url);
      if (host && !isKnownIndex(host)) hosts.add(host);
    }
  }
  const unknownHosts = [...hosts];
  return {
    severity: unknownHosts.length > 0 ? 'high' : 'medium',
    unknownHosts,
  };
}
