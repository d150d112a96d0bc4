import { normalizeName } from './names';
import type {
  DeclaredRequirement,
  LockedPackage,
  ManifestKind,
  ManifestResult,
} from './model';

/** How many distinct paths we keep per package (shortest first): enough to explain, bounded on big graphs. */
export const MAX_PATHS_PER_PACKAGE = 3;

export interface GraphPackage {
  name: string;
  version?: string;
  direct: boolean;
  /** From a project root, shortest first, at most MAX_PATHS_PER_PACKAGE. */
  paths: string[][];
  declaredIn: string[];
  /** Every declaration of it by the project (requirements lines, pyproject entries...). */
  requirements: DeclaredRequirement[];
  /** Every lock or installed record of it. */
  locked: LockedPackage[];
  dependencies: string[];
}

export interface DependencyGraph {
  /** Names of the project roots paths start from. */
  roots: string[];
  packages: Map<string, GraphPackage>;
  importToDistribution: Record<string, string>;
}

/** Lock files say what will be installed; an installed environment says what was. Locks win. */
const VERSION_AUTHORITY: Record<ManifestKind, number> = {
  'uv-lock': 5,
  'poetry-lock': 5,
  'pdm-lock': 5,
  pylock: 5,
  'pipfile-lock': 5,
  installed: 4,
  requirements: 2,
  pyproject: 1,
  pipfile: 1,
  'setup-cfg': 1,
  'setup-py': 1,
  'conda-environment': 2,
};

/**
 * Flattens every manifest, lock file and installed distribution of one project into a graph:
 * which packages are direct, which are transitive, and the path that brings each one in.
 */
export function buildDependencyGraph(
  manifests: readonly ManifestResult[],
  fallbackRoot: string,
): DependencyGraph {
  const packages = new Map<string, GraphPackage>();
  const versionAuthority = new Map<string, number>();
  const node = (name: string): GraphPackage => {
    let pkg = packages.get(name);
    if (!pkg) {
      pkg = {
        name,
        direct: false,
        paths: [],
        declaredIn: [],
        requirements: [],
        locked: [],
        dependencies: [],
      };
      packages.set(name, pkg);
    }
    return pkg;
  };
  const setVersion = (
    pkg: GraphPackage,
    version: string | undefined,
    authority: number,
  ) => {
    if (!version || (versionAuthority.get(pkg.name) ?? 0) >= authority) return;
    pkg.version = version;
    versionAuthority.set(pkg.name, authority);
  };
  const addFile = (pkg: GraphPackage, file: string) => {
    if (!pkg.declaredIn.includes(file)) pkg.declaredIn.push(file);
  };

  const projectName =
    manifests.find(m => m.kind === 'pyproject' && m.projectName)?.projectName ??
    manifests.find(m => m.kind === 'uv-lock' && m.projectName)?.projectName ??
    manifests.find(
      m => (m.kind === 'setup-cfg' || m.kind === 'setup-py') && m.projectName,
    )?.projectName ??
    fallbackRoot;
  const rootLabel = normalizeRoot(projectName);

  // Roots: workspace members recorded in lock files, plus the project itself.
  const rootEdges = new Map<string, Set<string>>([[rootLabel, new Set()]]);
  const importToDistribution: Record<string, string> = {};
  for (const manifest of manifests) {
    Object.assign(importToDistribution, manifest.importNames);
    for (const locked of manifest.packages) {
      if (locked.isRoot) {
        const edges = rootEdges.get(locked.name) ?? new Set<string>();
        locked.dependencies.forEach(dep => edges.add(dep));
        rootEdges.set(locked.name, edges);
        continue;
      }
      const pkg = node(locked.name);
      pkg.locked.push(locked);
      addFile(pkg, locked.file);
      setVersion(pkg, locked.version, VERSION_AUTHORITY[manifest.kind]);
      for (const dep of locked.dependencies)
        if (!pkg.dependencies.includes(dep)) pkg.dependencies.push(dep);
    }
  }
  const rootNames = new Set(rootEdges.keys());
  // Constraints only narrow versions of what something else installs: they come second and add no node.
  for (const constraintPass of [false, true]) {
    for (const manifest of manifests) {
      for (const requirement of manifest.requirements) {
        if (
          !requirement.name ||
          rootNames.has(requirement.name) ||
          Boolean(requirement.constraintOnly) !== constraintPass
        )
          continue;
        if (constraintPass && !packages.has(requirement.name)) continue;
        const pkg = node(requirement.name);
        pkg.requirements.push(requirement);
        addFile(pkg, requirement.file);
        setVersion(pkg, requirement.pinned, VERSION_AUTHORITY[manifest.kind]);
        if (!constraintPass) rootEdges.get(rootLabel)!.add(requirement.name);
      }
    }
  }
  for (const edges of rootEdges.values())
    for (const dep of edges) if (!rootNames.has(dep)) node(dep);

  // Nothing declared (a bare lock or a virtualenv): what nothing else depends on was installed on purpose.
  const declaredAnything = [...rootEdges.values()].some(
    edges => edges.size > 0,
  );
  if (!declaredAnything) {
    const dependedOn = new Set(
      [...packages.values()].flatMap(pkg => pkg.dependencies),
    );
    for (const pkg of packages.values())
      if (!dependedOn.has(pkg.name)) rootEdges.get(rootLabel)!.add(pkg.name);
  }

  // Breadth-first from the roots: a node's paths are complete once its level is done.
  let frontier: string[] = [];
  for (const [root, edges] of rootEdges) {
    for (const dep of edges) {
      if (rootNames.has(dep)) continue;
      const pkg = node(dep);
      pkg.direct = true;
      if (pkg.paths.length === 0) frontier.push(dep);
      if (pkg.paths.length < MAX_PATHS_PER_PACKAGE) pkg.paths.push([root, dep]);
    }
  }
  const visited = new Set(frontier);
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const name of frontier) {
      const parent = packages.get(name)!;
      for (const dep of parent.dependencies) {
        if (rootNames.has(dep)) continue;
        const child = node(dep);
        for (const path of parent.paths) {
          if (child.paths.length >= MAX_PATHS_PER_PACKAGE) break;
          if (path.includes(dep)) continue;
          // Only same-length paths join a node already reached: shortest first.
          if (
            visited.has(dep) &&
            child.paths.length > 0 &&
            child.paths[0].length < path.length + 1
          )
            break;
          child.paths.push([...path, dep]);
        }
        if (!visited.has(dep)) {
          visited.add(dep);
          next.push(dep);
        }
      }
    }
    frontier = next;
  }
  return { roots: [...rootNames], packages, importToDistribution };
}

function normalizeRoot(name: string): string {
  return normalizeName(name) || 'project';
}
