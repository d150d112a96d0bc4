import type { ReaderOptions } from '../engine/FormatReader';
import { normalizeName } from './names';
import type { SerializationAllowEntry } from './data/riskySerialization';

/**
 * Policy options the dependency analyzer reads from `ctx.options.dependencies`:
 *
 * ```yaml
 * dependencies:
 *   serializationAllowlist:        # extends the built-in known-safe uses of risky serialisers
 *     - package: joblib
 *       via: [our-feature-store]   # optional: only when every path goes through these
 *       reason: our feature store only joblib.loads files it wrote itself
 *   internalPackagePrefixes: [acme-, acme_]   # names that must only come from the private index
 *   knownPackages: [torchx-internal]          # never report these as typosquats
 * ```
 */
export interface DependencyOptions {
  serializationAllowlist: SerializationAllowEntry[];
  internalPackagePrefixes: string[];
  knownPackages: string[];
}

export const DEPENDENCY_OPTIONS_KEY = 'dependencies';

export function readDependencyOptions(options: ReaderOptions): {
  value: DependencyOptions;
  problems: string[];
} {
  const raw = options[DEPENDENCY_OPTIONS_KEY];
  const value: DependencyOptions = {
    serializationAllowlist: [],
    internalPackagePrefixes: [],
    knownPackages: [],
  };
  const problems: string[] = [];
  if (raw === undefined) return { value, problems };
  if (typeof raw !== 'object' || raw === null)
    return {
      value,
      problems: ['options.dependencies is not an object; ignored'],
    };
  const table = raw as Record<string, unknown>;
  for (const entry of Array.isArray(table.serializationAllowlist)
    ? table.serializationAllowlist
    : []) {
    const e = entry as Partial<SerializationAllowEntry> | null;
    if (
      !e ||
      typeof e.package !== 'string' ||
      typeof e.reason !== 'string' ||
      e.reason.trim() === ''
    ) {
      problems.push(
        `serializationAllowlist entry ${JSON.stringify(entry)?.slice(
          0,
          80,
        )} needs a package and a reason; ignored`,
      );
      continue;
    }
    const via = Array.isArray(e.via)
      ? e.via
          .filter((v): v is string => typeof v === 'string')
          .map(normalizeName)
      : undefined;
    value.serializationAllowlist.push({
      package: normalizeName(e.package),
      via,
      reason: e.reason,
    });
  }
  value.internalPackagePrefixes = stringList(table.internalPackagePrefixes).map(
    p => p.toLowerCase().replace(/[_.]/g, '-'),
  );
  value.knownPackages = stringList(table.knownPackages).map(normalizeName);
  return { value, problems };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    : [];
}
