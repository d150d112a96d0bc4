import { normaliseDistribution } from './data/distributions';
import { SERVING_PATH_SEGMENTS } from './data/riskyCalls';

/** A Python file of the project itself. */
export interface FirstPartyFile {
  path: string;
  /** Under an app/api/serving folder or named like a server module (`app.py`, `serve.py`). */
  servingPath: boolean;
}

/** A Python file of an installed or vendored package. */
export interface ThirdPartyFile {
  path: string;
  /** Top-level import name (`torch` for `site-packages/torch/serialization.py`). */
  topLevel: string;
  /** Path relative to the package root (`torch/serialization.py`), what the allowlist matches. */
  packagePath: string;
  /** The folder holding the packages (`.venv/lib/python3.12/site-packages`). */
  root: string;
}

/** An installed distribution seen as a `<name>-<version>.dist-info` folder. */
export interface InstalledDistribution {
  name: string;
  version: string;
  root: string;
  /** `top_level.txt` inside the dist-info, when present. */
  topLevelFile?: string;
}

export interface PythonLayout {
  firstParty: FirstPartyFile[];
  thirdParty: ThirdPartyFile[];
  installed: InstalledDistribution[];
}

const PYTHON_FILE = /\.pyw?$/;
/** Folders that hold installed packages even without a dist-info next to them. */
const PACKAGE_ROOTS = new Set(['site-packages', 'dist-packages']);
/** Folders of code copied in from elsewhere: analysed as third party under the next segment's name. */
const VENDORED = new Set([
  'vendor',
  '_vendor',
  'vendored',
  'third_party',
  'thirdparty',
]);
/** Tool caches, build copies and virtualenv scaffolding: never the project's code, never installed packages. */
const SKIPPED = new Set([
  '.tox',
  '.nox',
  '.eggs',
  '.mypy_cache',
  '.pytest_cache',
  '.ipynb_checkpoints',
  '.venv',
  'venv',
  'virtualenv',
]);
/** Third-party test suites pickle fixtures they wrote themselves; reporting them is noise. */
const THIRD_PARTY_TESTS = new Set(['tests', 'test', 'testing']);
const DIST_INFO = /^(.+?)-([^-]+)\.(dist-info|egg-info)$/;

function isServingPath(segments: string[]): boolean {
  const folders = segments.slice(0, -1);
  const stem = segments[segments.length - 1].replace(PYTHON_FILE, '');
  return (
    folders.some(folder => SERVING_PATH_SEGMENTS.has(folder)) ||
    ['app', 'api', 'server', 'serve', 'serving', 'main'].includes(stem)
  );
}

/** Splits the project's Python files into its own code and installed or vendored packages. */
export function describePythonLayout(files: readonly string[]): PythonLayout {
  const installed = new Map<string, InstalledDistribution>();
  const roots = new Set<string>();
  for (const path of files) {
    const segments = path.split('/');
    for (let i = 0; i < segments.length - 1; i++) {
      const match = DIST_INFO.exec(segments[i]);
      if (!match) continue;
      const root = segments.slice(0, i).join('/');
      roots.add(root);
      const key = `${root}/${segments[i]}`;
      const entry = installed.get(key) ?? {
        name: normaliseDistribution(match[1]),
        version: match[2],
        root,
      };
      if (segments[i + 1] === 'top_level.txt') entry.topLevelFile = path;
      installed.set(key, entry);
    }
  }

  const firstParty: FirstPartyFile[] = [];
  const thirdParty: ThirdPartyFile[] = [];
  for (const path of files) {
    if (!PYTHON_FILE.test(path)) continue;
    const segments = path.split('/');
    const rootIndex = packageRootIndex(segments, roots);
    if (rootIndex !== undefined) {
      const rest = segments.slice(rootIndex);
      if (
        rest.length === 0 ||
        rest.slice(0, -1).some(segment => THIRD_PARTY_TESTS.has(segment))
      )
        continue;
      thirdParty.push({
        path,
        topLevel: rest[0].replace(PYTHON_FILE, ''),
        packagePath: rest.join('/'),
        root: segments.slice(0, rootIndex).join('/'),
      });
    } else if (
      !segments.slice(0, -1).some(segment => SKIPPED.has(segment)) &&
      !isBuildCopy(segments)
    ) {
      firstParty.push({ path, servingPath: isServingPath(segments) });
    }
  }
  return { firstParty, thirdParty, installed: [...installed.values()] };
}

/** `build/lib/...` is setuptools' copy of the project's own sources: scanning it reports everything twice. */
function isBuildCopy(segments: string[]): boolean {
  return segments.some(
    (segment, i) => segment === 'build' && segments[i + 1]?.startsWith('lib'),
  );
}

/**
 * Index of the first segment below a package root: a folder holding `*.dist-info` (possibly the
 * scan root itself, when a site-packages folder is scanned directly), `site-packages`, or a vendor folder.
 */
function packageRootIndex(
  segments: string[],
  roots: ReadonlySet<string>,
): number | undefined {
  for (let i = 0; i < segments.length; i++) {
    if (roots.has(segments.slice(0, i).join('/'))) return i;
    if (
      i < segments.length - 1 &&
      (PACKAGE_ROOTS.has(segments[i]) || VENDORED.has(segments[i]))
    )
      return i + 1;
  }
  return undefined;
}

/** The file belongs to one of the hardened modules (`model_utils` matches `src/model_utils/io.py`, `model_utils.py`). */
export function hardenedModuleOf(
  path: string,
  hardened: readonly string[],
): string | undefined {
  const parts = path
    .replace(PYTHON_FILE, '')
    .split('/')
    .filter(part => part !== '__init__');
  return hardened.find(module => {
    const wanted = module.split('.');
    for (let start = 0; start + wanted.length <= parts.length; start++) {
      if (wanted.every((part, offset) => parts[start + offset] === part))
        return true;
    }
    return false;
  });
}
