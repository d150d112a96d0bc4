import type { VersionClause } from './pep440';

/** Which reader produced a manifest result; also the format label in evidence. */
export type ManifestKind =
  | 'requirements'
  | 'pyproject'
  | 'pipfile'
  | 'setup-cfg'
  | 'setup-py'
  | 'conda-environment'
  | 'uv-lock'
  | 'poetry-lock'
  | 'pdm-lock'
  | 'pylock'
  | 'pipfile-lock'
  | 'installed';

/** A problem found while parsing: always reported (DEP-PARSE-ERROR), never a silent skip. */
export interface ParseProblem {
  message: string;
  line?: number;
  /** `low` for things we merely could not read statically (a computed `install_requires`). */
  severity?: 'medium' | 'low';
}

/** One requirement the project declares (requirements line, PEP 621 entry, Poetry table...). */
export interface DeclaredRequirement {
  /** PEP 503 normalised, or undefined when the line names no distribution (a bare URL or path). */
  name?: string;
  /** As written, for messages. */
  rawName?: string;
  extras: string[];
  /** Specifier text as written, e.g. `>=2.0,<3`. */
  specifier: string;
  clauses: VersionClause[];
  /** Exact version when pinned (`==x` or `===x`). */
  pinned?: string;
  /** `name @ url`, a VCS URL, a wheel URL or a local path. */
  url?: string;
  /** For VCS URLs: whether the ref is an immutable commit hash. */
  urlPinnedToCommit?: boolean;
  editable?: boolean;
  marker?: string;
  hashes: string[];
  /** Dependency group / extra / Poetry group this comes from (`dev`, `optional:gpu`...), undefined for main. */
  group?: string;
  /** A constraints file line restricts versions without installing anything. */
  constraintOnly?: boolean;
  /** File and 1-based line of the declaration (the file may be an included requirements file). */
  file: string;
  line?: number;
  /** The line as written, trimmed to 200 characters, for evidence. */
  snippet?: string;
}

/** One package in a lock file or installed environment, with the packages it depends on. */
export interface LockedPackage {
  name: string;
  version?: string;
  /** Normalised names of its dependencies (extras already expanded where the lock says so). */
  dependencies: string[];
  /** This is a project root (uv workspace member, editable/virtual source). */
  isRoot?: boolean;
  /** Where the distribution comes from (index URL, `git+…`, path), when the lock says. */
  source?: string;
  hashes: string[];
  /** Licence as declared in installed METADATA. */
  licence?: { expression?: string; text?: string; classifiers: string[] };
  file: string;
  line?: number;
}

/** Package-index settings that decide where pip looks for names. */
export interface IndexSettings {
  indexUrls: { url: string; line?: number; file: string }[];
  extraIndexUrls: { url: string; line?: number; file: string }[];
  findLinks: { url: string; line?: number; file: string }[];
  trustedHosts: { host: string; line?: number; file: string }[];
  noIndex: boolean;
  requireHashes: boolean;
}

export function emptyIndexSettings(): IndexSettings {
  return {
    indexUrls: [],
    extraIndexUrls: [],
    findLinks: [],
    trustedHosts: [],
    noIndex: false,
    requireHashes: false,
  };
}

/** What every manifest/lock parser returns. */
export interface ManifestResult {
  kind: ManifestKind;
  /** The file parsed (relative to the scan root). */
  file: string;
  /** Project name when the file says (`[project].name`, `[tool.poetry].name`, `setup(name=…)`). */
  projectName?: string;
  requirements: DeclaredRequirement[];
  packages: LockedPackage[];
  indexes: IndexSettings;
  /** Files pulled in by `-r`/`-c` (for evidence and to avoid parsing them twice). */
  includedFiles: string[];
  /** Import name → distribution, from installed `top_level.txt`/`RECORD`. */
  importNames: Record<string, string>;
  problems: (ParseProblem & { file: string })[];
}

export function emptyResult(kind: ManifestKind, file: string): ManifestResult {
  return {
    kind,
    file,
    requirements: [],
    packages: [],
    indexes: emptyIndexSettings(),
    includedFiles: [],
    importNames: {},
    problems: [],
  };
}

/** Trims evidence snippets to the 200 characters the evidence contract allows. */
export function snippetOf(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 197)}...` : oneLine;
}

/** A dependency's licence as an SPDX expression, `guessed` when corrected from free text. */
export interface ResolvedLicence {
  expression: string;
  guessed: boolean;
}

/**
 * Fact set next to FACT_DEPENDENCIES: `Map<name, Location>`, the declaration (file and line) to
 * point findings about a package at. Read by the vulnerability analyzer.
 */
export const FACT_DEPENDENCY_LOCATIONS = 'python.dependencies.locations';
