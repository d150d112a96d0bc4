// Which Python files are worth reading and parsing: the first- and third-party word prefilters and the third-party allowlist.
import { matchesAny } from '../engine/glob';
import {
  distributionForImport,
  IMPORT_TO_DISTRIBUTION,
  normaliseDistribution,
  RISKY_DISTRIBUTIONS,
} from './data/distributions';
import { THIRD_PARTY_ALLOWLIST } from './data/thirdPartyAllowlist';
import type { ThirdPartyFile } from './projectLayout';

/** Words a first-party file must contain to be worth parsing: loaders, risky modules, code-from-strings. */
const FIRST_PARTY_WORDS = [
  'pickle',
  'dill',
  'joblib',
  'marshal',
  'shelve',
  'torch',
  'numpy',
  'pandas',
  'yaml',
  'keras',
  'tensorflow',
  'saved_model',
  'transformers',
  'trust_remote_code',
  'safe_mode',
  'allow_pickle',
  '__import__',
  'import_module',
  'resolve_name',
  'locate',
  'getattr',
  'exec',
  'eval',
  // Run-time installs (`pip install` through subprocess/os.system, `pip.main`).
  'install',
];
/** Third-party files are only checked for loaders, so their prefilter is narrower (and most files skip parsing). */
export const THIRD_PARTY_PREFILTER =
  /pickle|dill|joblib|marshal|shelve|allow_pickle|yaml|safe_mode|enable_unsafe_deserialization|trust_remote_code|saved_model|torch\.load|jit\.load|serialization/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The prefilter also knows hardened module names and the import names of risky distributions. */
export function firstPartyPrefilter(
  hardened: readonly string[],
  importToDistribution: Record<string, string>,
): RegExp {
  const riskyImports = Object.entries({
    ...IMPORT_TO_DISTRIBUTION,
    ...importToDistribution,
  })
    .filter(
      ([, distribution]) =>
        normaliseDistribution(distribution) in RISKY_DISTRIBUTIONS,
    )
    .map(([name]) => name);
  const words = [
    ...FIRST_PARTY_WORDS,
    ...Object.keys(RISKY_DISTRIBUTIONS),
    ...riskyImports,
    ...hardened,
  ];
  return new RegExp([...new Set(words)].map(escapeRegExp).join('|'));
}

/** Library internals listed in the allowlist are not even read. */
export function isAllowlisted(
  file: ThirdPartyFile,
  importToDistribution: Record<string, string>,
): boolean {
  const distribution = distributionForImport(
    file.topLevel,
    importToDistribution,
  );
  const globs = THIRD_PARTY_ALLOWLIST.filter(
    entry => entry.package === distribution,
  ).map(entry => entry.path);
  return globs.length > 0 && matchesAny(file.packagePath, globs);
}
