import type { Signal } from '../../model/evidence';
import type { DependencyGraph } from '../graph';
import type { DeclaredRequirement, ManifestResult } from '../model';

const MAX_NAMES_IN_MESSAGE = 10;

function isInternalName(name: string, prefixes: readonly string[]): boolean {
  return prefixes.some(prefix => name.startsWith(prefix));
}

function hostOf(url: string): string {
  return (
    /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:?#]+)/i
      .exec(url)?.[1]
      ?.toLowerCase() ?? url
  );
}

const PUBLIC_INDEX_HOSTS = new Set([
  'pypi.org',
  'pypi.python.org',
  'files.pythonhosted.org',
]);

/**
 * Dependency confusion: `--extra-index-url` makes pip pick the highest version across the private
 * index and PyPI, so anyone can publish a higher-versioned internal name on PyPI. Internal names
 * (policy prefixes) in such a file, or resolved from PyPI in a lock, are high; otherwise a file with
 * an extra index and unhashed requirements is medium.
 */
export function checkDependencyConfusion(
  manifests: readonly ManifestResult[],
  graph: DependencyGraph,
  internalPrefixes: readonly string[],
): Signal[] {
  const signals: Signal[] = [];
  for (const manifest of manifests) {
    const extra = manifest.indexes.extraIndexUrls[0];
    if (!extra) continue;
    const installable = manifest.requirements.filter(
      r => r.name && !r.url && !r.constraintOnly,
    );
    const internal = installable.filter(r =>
      isInternalName(r.name!, internalPrefixes),
    );
    for (const requirement of internal) {
      signals.push({
        ruleId: 'DEP-CONFUSION',
        message: `${requirement.name} looks internal but ${
          requirement.file
        } also searches ${hostOf(
          extra.url,
        )} alongside the default index: a higher version published on the public index would be installed`,
        location: { path: requirement.file, line: requirement.line },
        evidence: {
          package: requirement.name,
          snippet: requirement.snippet,
          extraIndex: hostOf(extra.url),
        },
        key: `internal:${requirement.name}`,
        severity: 'high',
      });
    }
    const unprotected = installable.filter(
      r => r.hashes.length === 0 && !internal.includes(r),
    );
    if (unprotected.length > 0) {
      signals.push({
        ruleId: 'DEP-CONFUSION',
        message: `${manifest.file} adds --extra-index-url ${hostOf(
          extra.url,
        )}: pip takes the highest version from any index, and ${
          unprotected.length
        } requirement(s) have no --hash to stop a substitute (${names(
          unprotected,
        )})`,
        location: { path: extra.file, line: extra.line },
        evidence: {
          extraIndex: hostOf(extra.url),
          unprotected: unprotected
            .slice(0, MAX_NAMES_IN_MESSAGE)
            .map(r => r.name!),
        },
        key: `extra-index:${hostOf(extra.url)}`,
        severity: 'medium',
      });
    }
  }
  for (const pkg of graph.packages.values()) {
    if (!isInternalName(pkg.name, internalPrefixes)) continue;
    const fromPublic = pkg.locked.find(
      l => l.source && PUBLIC_INDEX_HOSTS.has(hostOf(l.source)),
    );
    if (!fromPublic) continue;
    signals.push({
      ruleId: 'DEP-CONFUSION',
      message: `internal package ${
        pkg.name
      } is locked from the public index ${hostOf(
        fromPublic.source!,
      )}: someone published that name publicly`,
      location: { path: fromPublic.file, line: fromPublic.line },
      evidence: {
        package: pkg.name,
        version: pkg.version,
        source: fromPublic.source,
        dependencyPath: pkg.paths[0],
      },
      key: `public-source:${pkg.name}`,
      severity: 'high',
    });
  }
  return signals;
}

/** Plain-HTTP indexes, `--trusted-host` (TLS checks off) and credentials written into index URLs. */
export function checkIndexHygiene(
  manifests: readonly ManifestResult[],
): Signal[] {
  const signals: Signal[] = [];
  for (const manifest of manifests) {
    const { indexUrls, extraIndexUrls, findLinks, trustedHosts } =
      manifest.indexes;
    for (const index of [...indexUrls, ...extraIndexUrls, ...findLinks]) {
      if (
        /^http:\/\//i.test(index.url) &&
        !/^http:\/\/(localhost|127\.0\.0\.1)[:/]/i.test(index.url)
      ) {
        signals.push({
          ruleId: 'DEP-INSECURE-INDEX',
          message: `packages are fetched over plain HTTP from ${hostOf(
            index.url,
          )}: anyone on the network path can substitute them`,
          location: { path: index.file, line: index.line },
          evidence: { index: hostOf(index.url) },
          key: `http:${hostOf(index.url)}`,
        });
      }
      const credentials = /^[a-z][a-z0-9+.-]*:\/\/([^@/\s]+)@/i.exec(
        index.url,
      )?.[1];
      if (
        credentials &&
        credentials.includes(':') &&
        !/\$\{[A-Za-z0-9_]+\}|^\$[A-Za-z_]/.test(
          credentials.split(':')[1] ?? '',
        )
      ) {
        signals.push({
          ruleId: 'DEP-INDEX-CREDENTIALS',
          message: `an index URL for ${hostOf(
            index.url,
          )} embeds a password in ${
            index.file
          }; anyone who can read the repository can use it`,
          location: { path: index.file, line: index.line },
          evidence: {
            index: hostOf(index.url),
            user: credentials.split(':')[0],
          },
          key: `credentials:${hostOf(index.url)}`,
        });
      }
    }
    for (const trusted of trustedHosts) {
      signals.push({
        ruleId: 'DEP-INSECURE-INDEX',
        message: `--trusted-host ${trusted.host} turns off TLS verification for that host`,
        location: { path: trusted.file, line: trusted.line },
        evidence: { index: trusted.host },
        key: `trusted-host:${trusted.host}`,
      });
    }
  }
  return signals;
}

function names(requirements: DeclaredRequirement[]): string {
  const shown = requirements.slice(0, MAX_NAMES_IN_MESSAGE).map(r => r.name);
  return requirements.length > MAX_NAMES_IN_MESSAGE
    ? `${shown.join(', ')}, …`
    : shown.join(', ');
}
