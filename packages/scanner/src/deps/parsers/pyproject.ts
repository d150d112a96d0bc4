import { normalizeName } from '../names';
import { parsePep508 } from '../pep508';
import {
  parseSpecifierSet,
  pinnedVersion,
  type VersionClause,
} from '../pep440';
import {
  emptyResult,
  snippetOf,
  type DeclaredRequirement,
  type ManifestResult,
} from '../model';
import {
  arrayOf,
  isTable,
  lineOf,
  stringOf,
  tableAt,
  tomlDocument,
  type Table,
} from './structured';
import { isCommitPinned } from './requirementsTxt';

const MAX_GROUP_DEPTH = 20;

/** Reads PEP 621 `[project]`, PEP 735 `[dependency-groups]` and Poetry's `[tool.poetry]` dependencies. */
export function parsePyproject(text: string, file: string): ManifestResult {
  const result = emptyResult('pyproject', file);
  const doc = tomlDocument(text, result);
  if (!doc) return result;
  const addPep508 = (spec: unknown, group: string | undefined) => {
    if (typeof spec !== 'string') {
      result.problems.push({
        file,
        message: `dependency entry is not a string: ${snippetOf(
          JSON.stringify(spec) ?? '',
        )}`,
      });
      return;
    }
    const requirement = requirementFromPep508(
      spec,
      file,
      lineOf(text, spec),
      group,
    );
    if ('error' in requirement)
      result.problems.push({
        file,
        message: requirement.error,
        line: lineOf(text, spec),
      });
    else result.requirements.push(requirement);
  };

  const project = tableAt(doc, 'project');
  if (project) {
    result.projectName = stringOf(project.name);
    for (const spec of arrayOf(project.dependencies))
      addPep508(spec, undefined);
    const optional = tableAt(project, 'optional-dependencies') ?? {};
    for (const [extra, specs] of Object.entries(optional)) {
      for (const spec of arrayOf(specs))
        addPep508(spec, `optional:${normalizeName(extra)}`);
    }
  }

  const groups = tableAt(doc, 'dependency-groups');
  if (groups) {
    for (const group of Object.keys(groups)) {
      for (const spec of expandDependencyGroup(groups, group, [], result, file))
        addPep508(spec, normalizeName(group));
    }
  }

  const poetry = tableAt(doc, 'tool', 'poetry');
  if (poetry) {
    result.projectName ??= stringOf(poetry.name);
    readPoetryTable(
      tableAt(poetry, 'dependencies'),
      undefined,
      text,
      file,
      result,
    );
    readPoetryTable(
      tableAt(poetry, 'dev-dependencies'),
      'dev',
      text,
      file,
      result,
    );
    for (const [group, body] of Object.entries(
      tableAt(poetry, 'group') ?? {},
    )) {
      readPoetryTable(
        tableAt(body, 'dependencies'),
        normalizeName(group),
        text,
        file,
        result,
      );
    }
  }
  return result;
}

/** PEP 735 groups, with `{include-group = "..."}` expanded (cycles are parse problems). */
function expandDependencyGroup(
  groups: Table,
  group: string,
  stack: string[],
  result: ManifestResult,
  file: string,
): unknown[] {
  const normalized = new Map(
    Object.keys(groups).map(key => [normalizeName(key), key]),
  );
  const key = normalized.get(normalizeName(group));
  if (key === undefined) {
    result.problems.push({
      file,
      message: `include-group "${group}" names no dependency group`,
    });
    return [];
  }
  if (stack.includes(normalizeName(group)) || stack.length > MAX_GROUP_DEPTH) {
    result.problems.push({
      file,
      message: `dependency-group include cycle: ${[
        ...stack,
        normalizeName(group),
      ].join(' → ')}`,
    });
    return [];
  }
  const specs: unknown[] = [];
  for (const entry of arrayOf(groups[key])) {
    if (isTable(entry) && typeof entry['include-group'] === 'string') {
      specs.push(
        ...expandDependencyGroup(
          groups,
          entry['include-group'],
          [...stack, normalizeName(group)],
          result,
          file,
        ),
      );
    } else {
      specs.push(entry);
    }
  }
  return specs;
}

export function requirementFromPep508(
  spec: string,
  file: string,
  line: number | undefined,
  group?: string,
): DeclaredRequirement | { error: string } {
  const parsed = parsePep508(spec);
  if (!parsed.ok) return { error: parsed.error };
  const r = parsed.requirement;
  return {
    name: r.name,
    rawName: r.rawName,
    extras: r.extras,
    specifier: r.specifier,
    clauses: r.clauses,
    pinned: r.pinned,
    url: r.url,
    urlPinnedToCommit: r.url ? isCommitPinned(r.url) : undefined,
    marker: r.marker,
    hashes: [],
    group,
    file,
    line,
    snippet: snippetOf(spec),
  };
}

/** Poetry's constraint syntax (`^1.2`, `~1.2.3`, `1.2.3`, `*`, `>=1,<2`) as PEP 440 clauses. */
export function poetryConstraintToClauses(
  constraint: string,
): VersionClause[] | undefined {
  const parts = constraint
    .split(/\s*,\s*|\s+(?=[<>=!~^])/)
    .map(part => part.trim())
    .filter(Boolean);
  const clauses: VersionClause[] = [];
  for (const part of parts) {
    if (part === '*' || part === '') continue;
    const caret = /^\^\s*(\d+(?:\.\d+)*)(.*)$/.exec(part);
    const tilde = /^~(?!=)\s*(\d+(?:\.\d+)*)(.*)$/.exec(part);
    if (caret) {
      const release = caret[1].split('.').map(Number);
      const firstNonZero = release.findIndex(n => n !== 0);
      const bumpAt =
        firstNonZero < 0
          ? release.length - 1
          : Math.min(firstNonZero, release.length - 1);
      const upper = release
        .slice(0, bumpAt + 1)
        .map((n, i) => (i === bumpAt ? n + 1 : n));
      clauses.push(
        { operator: '>=', version: caret[1] + caret[2] },
        { operator: '<', version: upper.join('.') },
      );
    } else if (tilde) {
      const release = tilde[1].split('.').map(Number);
      const bumpAt = release.length >= 2 ? 1 : 0;
      const upper = release
        .slice(0, bumpAt + 1)
        .map((n, i) => (i === bumpAt ? n + 1 : n));
      clauses.push(
        { operator: '>=', version: tilde[1] + tilde[2] },
        { operator: '<', version: upper.join('.') },
      );
    } else if (/^\d/.test(part)) {
      clauses.push({ operator: '==', version: part });
    } else {
      const parsed = parseSpecifierSet(part);
      if (!parsed) return undefined;
      clauses.push(...parsed);
    }
  }
  return clauses;
}

function readPoetryTable(
  table: Table | undefined,
  group: string | undefined,
  text: string,
  file: string,
  result: ManifestResult,
) {
  for (const [rawName, value] of Object.entries(table ?? {})) {
    if (rawName.toLowerCase() === 'python') continue;
    for (const entry of Array.isArray(value) ? value : [value]) {
      const line = lineOf(text, `${rawName} =`) ?? lineOf(text, rawName);
      const base: DeclaredRequirement = {
        name: normalizeName(rawName),
        rawName,
        extras: [],
        specifier: '',
        clauses: [],
        hashes: [],
        group,
        file,
        line,
        snippet: snippetOf(`${rawName} = ${JSON.stringify(entry)}`),
      };
      let constraint: string | undefined;
      if (typeof entry === 'string') {
        constraint = entry;
      } else if (isTable(entry)) {
        constraint = stringOf(entry.version);
        base.extras = arrayOf(entry.extras)
          .filter((e): e is string => typeof e === 'string')
          .map(normalizeName);
        base.marker = stringOf(entry.markers);
        if (entry.optional === true) base.group = group ?? 'optional';
        const git = stringOf(entry.git);
        const ref =
          stringOf(entry.rev) ?? stringOf(entry.tag) ?? stringOf(entry.branch);
        if (git) {
          base.url = `git+${git}${ref ? `@${ref}` : ''}`;
          base.urlPinnedToCommit = isCommitPinned(base.url);
        }
        base.url ??= stringOf(entry.url) ?? stringOf(entry.path);
      } else {
        result.problems.push({
          file,
          line,
          message: `Poetry dependency ${rawName} has an unexpected value`,
        });
        continue;
      }
      if (constraint !== undefined) {
        const clauses = poetryConstraintToClauses(constraint);
        if (!clauses) {
          result.problems.push({
            file,
            line,
            message: `invalid Poetry constraint "${snippetOf(
              constraint,
            )}" for ${rawName}`,
          });
          continue;
        }
        base.specifier = constraint;
        base.clauses = clauses;
        base.pinned = pinnedVersion(clauses);
      }
      result.requirements.push(base);
    }
  }
}
