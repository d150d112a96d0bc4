import { normalizeName } from '../names';
import { emptyResult, snippetOf, type ManifestResult } from '../model';
import { arrayOf, isTable, lineOf, safeYaml, stringOf } from './structured';
import { parseRequirementsText } from './requirementsTxt';

/**
 * Conda package names that differ from their PyPI distribution: what matters for torch/keras grading
 * and vulnerability matching. Other conda packages keep their name.
 */
const CONDA_TO_PYPI: Record<string, string> = {
  pytorch: 'torch',
  'pytorch-gpu': 'torch',
  'pytorch-cpu': 'torch',
  'py-xgboost': 'xgboost',
  'py-lightgbm': 'lightgbm',
  'tensorflow-gpu': 'tensorflow',
};
/** Conda packages that are not Python distributions at all. */
const NOT_PYTHON = new Set([
  'python',
  'pip',
  'cudatoolkit',
  'cuda',
  'pytorch-cuda',
  'mkl',
  'libgcc',
  'openssl',
  'nodejs',
  'r-base',
]);

/** Conda `environment.yml`: `dependencies` (conda match specs) plus a nested `pip:` requirements list. */
export function parseCondaEnvironment(
  text: string,
  file: string,
): ManifestResult {
  const result = emptyResult('conda-environment', file);
  const parsed = safeYaml(text);
  if (!parsed.ok) {
    result.problems.push({ file, message: parsed.error, line: parsed.line });
    return result;
  }
  if (!isTable(parsed.value)) {
    result.problems.push({
      file,
      message: 'environment file is not a YAML mapping',
    });
    return result;
  }
  result.projectName = stringOf(parsed.value.name);
  for (const entry of arrayOf(parsed.value.dependencies)) {
    if (isTable(entry) && Array.isArray(entry.pip)) {
      const pipLines = entry.pip.filter(
        (l): l is string => typeof l === 'string',
      );
      const pip = parseRequirementsText(pipLines.join('\n'), file);
      for (const requirement of pip.result.requirements) {
        requirement.line =
          lineOf(text, requirement.snippet ?? '') ?? requirement.line;
        result.requirements.push(requirement);
      }
      result.problems.push(
        ...pip.result.problems.map(p => ({ ...p, line: undefined })),
      );
      result.indexes = pip.result.indexes;
      continue;
    }
    if (typeof entry !== 'string') continue;
    // Match spec: `[channel::]name[ version[ build]]` or `name=version=build`, `name>=1.0`.
    const match =
      /^(?:[\w.-]+::)?([A-Za-z0-9_.-]+)\s*(?:(==?|>=|<=|>|<|!=)\s*([^\s=]+))?/.exec(
        entry.trim(),
      );
    if (!match) {
      result.problems.push({
        file,
        line: lineOf(text, entry),
        message: `unreadable conda dependency "${snippetOf(entry)}"`,
        severity: 'low',
      });
      continue;
    }
    const condaName = match[1].toLowerCase();
    if (NOT_PYTHON.has(condaName)) continue;
    const name = normalizeName(
      Object.hasOwn(CONDA_TO_PYPI, condaName)
        ? CONDA_TO_PYPI[condaName]
        : condaName,
    );
    const [operator, version] = [match[2], match[3]];
    // Conda's `=1.2` is a prefix match (1.2.*); only `==` or a full `=x.y.z` is treated as a pin.
    const pinned =
      version &&
      (operator === '==' ||
        (operator === '=' && version.split('.').length >= 3))
        ? version.replace(/\.\*$/, '')
        : undefined;
    result.requirements.push({
      name,
      rawName: match[1],
      extras: [],
      specifier: version ? `${operator}${version}` : '',
      clauses: pinned ? [{ operator: '==', version: pinned }] : [],
      pinned,
      hashes: [],
      group: 'conda',
      file,
      line: lineOf(text, entry),
      snippet: snippetOf(entry),
    });
  }
  return result;
}
