import { emptyResult, type ManifestResult } from '../model';
import { lineOf } from './structured';
import { requirementFromPep508 } from './pyproject';

const MAX_LIST_CHARS = 100_000;

/**
 * Literal `install_requires=[...]` in `setup.py`, read as text (never executed). Anything that is
 * not a list of string literals (a variable, a comprehension) is reported as not statically readable.
 */
export function parseSetupPy(text: string, file: string): ManifestResult {
  const result = emptyResult('setup-py', file);
  const name = /\bname\s*=\s*(['"])([A-Za-z0-9._-]+)\1/.exec(text);
  result.projectName = name?.[2];
  const keyword = /\binstall_requires\s*=\s*/g;
  for (let match = keyword.exec(text); match; match = keyword.exec(text)) {
    const start = match.index + match[0].length;
    const line = lineOf(text, match[0]) ?? 1;
    if (text[start] !== '[' && text[start] !== '(') {
      result.problems.push({
        file,
        line,
        severity: 'low',
        message:
          'install_requires is computed, not a literal list: its dependencies were not read',
      });
      continue;
    }
    const close = text[start] === '[' ? ']' : ')';
    const strings = readStringList(text, start + 1, close);
    if (!strings) {
      result.problems.push({
        file,
        line,
        severity: 'low',
        message:
          'install_requires is not a plain list of string literals: its dependencies were not read',
      });
      continue;
    }
    for (const spec of strings) {
      const requirement = requirementFromPep508(
        spec,
        file,
        lineOf(text, spec) ?? line,
      );
      if ('error' in requirement)
        result.problems.push({ file, line, message: requirement.error });
      else result.requirements.push(requirement);
    }
  }
  return result;
}

/** String literals separated by commas up to `close`; undefined if anything else appears. */
function readStringList(
  text: string,
  from: number,
  close: string,
): string[] | undefined {
  const strings: string[] = [];
  let i = from;
  const end = Math.min(text.length, from + MAX_LIST_CHARS);
  while (i < end) {
    const ch = text[i];
    if (/\s|,/.test(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < end && text[i] !== '\n') i++;
    } else if (ch === close) {
      return strings;
    } else if (ch === '"' || ch === "'") {
      const closing = text.indexOf(ch, i + 1);
      if (closing < 0 || text.slice(i + 1, closing).includes('\n'))
        return undefined;
      strings.push(text.slice(i + 1, closing));
      i = closing + 1;
    } else {
      return undefined;
    }
  }
  return undefined;
}
