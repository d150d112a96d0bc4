import { posix, basename } from 'node:path';
import type {
  ProjectAnalyzer,
  ProjectContext,
} from '../engine/ProjectAnalyzer';
import { FACT_DEPENDENCIES, type DependencyFacts } from '../engine/facts';
import { LimitExceededError } from '../engine/errors';
import { PathEscapeError } from '../io/ScanTree';
import type { Signal } from '../model/evidence';
import { licenceFromMetadata, readLicencePolicy } from '../licences';
import {
  FACT_DEPENDENCY_LOCATIONS,
  type ManifestKind,
  type ManifestResult,
  type ResolvedLicence,
} from './model';
import { isConstraintsFile, manifestKindOf } from './discover';
import {
  buildDependencyGraph,
  type DependencyGraph,
  type GraphPackage,
} from './graph';
import { readDependencyOptions } from './options';
import { loadRequirementsFile } from './parsers/requirementsTxt';
import { parsePyproject } from './parsers/pyproject';
import { parseUvLock } from './parsers/uvLock';
import { parsePoetryLock } from './parsers/poetryLock';
import { parsePdmLock } from './parsers/pdmLock';
import { parsePylock } from './parsers/pylock';
import { parsePipfile, parsePipfileLock } from './parsers/pipfile';
import { parseCondaEnvironment } from './parsers/condaEnvironment';
import { parseSetupCfg } from './parsers/setupCfg';
import { parseSetupPy } from './parsers/setupPy';
import { parseInstalledDistribution } from './parsers/distInfo';
import { checkRiskySerialization } from './checks/riskySerialization';
import { checkLoaderVersions } from './checks/loaderVersions';
import { checkTyposquats } from './checks/typosquat';
import { checkDependencyConfusion, checkIndexHygiene } from './checks/indexes';
import { checkPinning } from './checks/pinning';
import { checkLicences } from './checks/licences';
import { locationOfPackage } from './checks/location';

const TEXT_PARSERS: Partial<
  Record<ManifestKind, (text: string, file: string) => ManifestResult>
> = {
  pyproject: parsePyproject,
  'uv-lock': parseUvLock,
  'poetry-lock': parsePoetryLock,
  'pdm-lock': parsePdmLock,
  pylock: parsePylock,
  'pipfile-lock': parsePipfileLock,
  pipfile: parsePipfile,
  'conda-environment': parseCondaEnvironment,
  'setup-cfg': parseSetupCfg,
  'setup-py': parseSetupPy,
};

/** Reads every manifest, lock file and installed distribution of the scanned tree. */
export async function readManifests(
  ctx: Pick<ProjectContext, 'files' | 'readText'>,
  emit: (signal: Signal) => void,
): Promise<ManifestResult[]> {
  const manifests: ManifestResult[] = [];
  const fileSet = new Set(ctx.files);
  const read = async (path: string): Promise<string | undefined> => {
    try {
      return await ctx.readText(path);
    } catch (error) {
      if (!(error instanceof PathEscapeError)) emit(readFailure(path, error));
      return undefined;
    }
  };
  for (const path of ctx.files) {
    const kind = manifestKindOf(path);
    if (!kind) continue;
    if (kind === 'requirements') {
      manifests.push(
        await loadRequirementsFile(path, ctx.readText, {
          constraint: isConstraintsFile(path),
        }),
      );
    } else if (kind === 'installed') {
      const text = await read(path);
      if (text === undefined) continue;
      const dir = posix.dirname(path);
      const sibling = async (name: string) =>
        fileSet.has(`${dir}/${name}`) ? read(`${dir}/${name}`) : undefined;
      const topLevel = await sibling('top_level.txt');
      const record =
        topLevel === undefined ? await sibling('RECORD') : undefined;
      manifests.push(
        parseInstalledDistribution(text, path, { topLevel, record }),
      );
    } else {
      const text = await read(path);
      if (text !== undefined) manifests.push(TEXT_PARSERS[kind]!(text, path));
    }
  }
  // A requirements file included by another was read through the include; keep one copy.
  const included = new Set(manifests.flatMap(m => m.includedFiles));
  return manifests.filter(
    m => m.kind !== 'requirements' || !included.has(m.file),
  );
}

function readFailure(path: string, error: unknown): Signal {
  if (error instanceof LimitExceededError) {
    return {
      ruleId: 'SCAN-LIMIT',
      message: `${path}: ${error.message}; not analysed`,
      location: { path },
      evidence: { limit: error.limit },
      key: `deps:${error.limit}`,
    };
  }
  return {
    ruleId: 'DEP-PARSE-ERROR',
    message: `cannot read ${path}: ${
      (error as NodeJS.ErrnoException).code ?? (error as Error).message
    }`,
    location: { path },
    evidence: {},
    key: 'read',
  };
}

/**
 * The dependency analyzer: parses manifests, flattens the graph, publishes FACT_DEPENDENCIES and
 * BOM components, and reports supply-chain findings (risky serialisers, vulnerable loader versions,
 * typosquats, dependency confusion, pinning, licences).
 *
 * Options read: `ctx.options.dependencies` (see `DependencyOptions`) and `ctx.options.licencePolicy`
 * (see `LicencePolicy` in `src/licences`).
 */
export class DependencyAnalyzer implements ProjectAnalyzer {
  readonly id = 'python-dependencies';

  async analyze(ctx: ProjectContext): Promise<void> {
    const manifests = await readManifests(ctx, signal => ctx.emit(signal));
    for (const manifest of manifests)
      for (const problem of manifest.problems)
        ctx.emit(parseProblemSignal(problem));

    const options = readDependencyOptions(ctx.options);
    const licencePolicy = readLicencePolicy(ctx.options.licencePolicy);
    for (const message of [...options.problems, ...licencePolicy.problems]) {
      ctx.emit({
        ruleId: 'DEP-PARSE-ERROR',
        message: `policy option: ${message}`,
        location: { path: '.' },
        evidence: {},
        key: `option:${message}`,
        severity: 'low',
      });
    }
    if (manifests.length === 0) {
      ctx.facts.set(FACT_DEPENDENCIES, {
        packages: [],
        importToDistribution: {},
      } satisfies DependencyFacts);
      return;
    }

    const graph = buildDependencyGraph(manifests, basename(ctx.root));
    const licences = resolveLicences(graph);
    ctx.facts.set(FACT_DEPENDENCIES, toFacts(graph, licences));
    ctx.facts.set(
      FACT_DEPENDENCY_LOCATIONS,
      new Map(
        [...graph.packages.values()].map(pkg => [
          pkg.name,
          locationOfPackage(pkg),
        ]),
      ),
    );
    for (const pkg of graph.packages.values())
      ctx.addComponent(toComponent(pkg, licences.get(pkg.name)));

    const signals = [
      ...checkRiskySerialization(graph, options.value.serializationAllowlist),
      ...checkLoaderVersions(graph),
      ...checkTyposquats(graph, options.value.knownPackages),
      ...checkDependencyConfusion(
        manifests,
        graph,
        options.value.internalPackagePrefixes,
      ),
      ...checkIndexHygiene(manifests),
      ...checkPinning(manifests),
      ...checkLicences(graph, licences, licencePolicy.policy),
    ];
    for (const signal of signals) ctx.emit(signal);
  }
}

/** Licences of installed distributions (lock files carry none). */
function resolveLicences(
  graph: DependencyGraph,
): Map<string, ResolvedLicence | null> {
  const licences = new Map<string, ResolvedLicence | null>();
  for (const pkg of graph.packages.values()) {
    const installed = pkg.locked.find(l => l.licence);
    if (!installed?.licence) continue;
    const resolved = licenceFromMetadata(installed.licence);
    licences.set(
      pkg.name,
      resolved
        ? { expression: resolved.expression, guessed: resolved.guessed }
        : null,
    );
  }
  return licences;
}

function toFacts(
  graph: DependencyGraph,
  licences: Map<string, ResolvedLicence | null>,
): DependencyFacts {
  return {
    packages: [...graph.packages.values()].map(pkg => ({
      name: pkg.name,
      version: pkg.version,
      direct: pkg.direct,
      paths: pkg.paths,
      declaredIn: pkg.declaredIn,
      license: licences.get(pkg.name)?.expression,
    })),
    importToDistribution: graph.importToDistribution,
  };
}

function toComponent(
  pkg: GraphPackage,
  licence: ResolvedLicence | null | undefined,
) {
  return {
    type: 'library' as const,
    name: pkg.name,
    version: pkg.version,
    purl: `pkg:pypi/${encodeURIComponent(pkg.name)}${
      pkg.version ? `@${encodeURIComponent(pkg.version)}` : ''
    }`,
    path: locationOfPackage(pkg).path,
    license: licence?.expression,
    licenseGuessed: licence?.guessed || undefined,
    scope: pkg.direct ? ('direct' as const) : ('transitive' as const),
    dependencyPath: pkg.paths[0],
  };
}

function parseProblemSignal(
  problem: ManifestResult['problems'][number],
): Signal {
  return {
    ruleId: 'DEP-PARSE-ERROR',
    message: `${problem.file}${problem.line ? `:${problem.line}` : ''}: ${
      problem.message
    }`,
    location: { path: problem.file, line: problem.line },
    evidence: {},
    key: problem.message.replace(/\d+/g, '#').slice(0, 120),
    severity: problem.severity,
  };
}
