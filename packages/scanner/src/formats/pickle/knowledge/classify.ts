import { EXTENSION_REGISTRY_MODULE } from '../values';
import { TRUSTED_GLOBALS } from './allowlist';
import { DANGEROUS_GLOBALS, type DangerousGlobal } from './denylist';
import { resolveGlobal, type ResolvedName } from './names';
import { matchesPattern, splitSymbol } from './patterns';

export type GlobalStatus = 'trusted' | 'dangerous' | 'unknown';

export interface GlobalVerdict {
  status: GlobalStatus;
  resolved: ResolvedName;
  /** For `dangerous`: the matching denylist entry and the symbol it matched (may be a dotted-name target). */
  danger?: DangerousGlobal;
  dangerSymbol?: string;
  /** For `trusted`: why (allowlist entry or policy). */
  why?: string;
}

/**
 * Grades one import. Allowlist first: a global is trusted only if it is a plain (non-dotted) name on
 * the built-in allowlist or in the policy's `trustedGlobals`; otherwise it is dangerous (denylist,
 * checked on the symbol and on every module a dotted name walks through) or unknown.
 */
export function classifyGlobal(
  module: string,
  name: string,
  policyTrusted: readonly string[] = [],
): GlobalVerdict {
  const resolved = resolveGlobal(module, name);
  // EXT opcodes name a code in copyreg's extension registry: unknowable statically, never trusted.
  if (module === EXTENSION_REGISTRY_MODULE)
    return { status: 'unknown', resolved };
  if (!resolved.dotted) {
    for (const pattern of policyTrusted) {
      if (
        matchesPattern(pattern, resolved.module, resolved.name) ||
        matchesPattern(pattern, module.trim(), name.trim())
      ) {
        return {
          status: 'trusted',
          resolved,
          why: `trusted by policy (${pattern})`,
        };
      }
    }
    const trusted = TRUSTED_GLOBALS.find(
      entry =>
        matchesPattern(entry.pattern, resolved.module, resolved.name) &&
        !entry.except?.some(carved =>
          matchesPattern(carved, resolved.module, resolved.name),
        ),
    );
    if (trusted) return { status: 'trusted', resolved, why: trusted.why };
  }
  // What a dotted name lands on is more telling than the module it walks through.
  for (const symbol of [...resolved.reaches, resolved.symbol]) {
    const danger = findDanger(symbol);
    if (danger)
      return { status: 'dangerous', resolved, danger, dangerSymbol: symbol };
  }
  return { status: 'unknown', resolved };
}

/** The denylist entry for a symbol or for the object it is an attribute of (`builtins.eval.__call__`). */
export function findDanger(symbol: string): DangerousGlobal | undefined {
  const segments = symbol.split('.');
  for (let length = segments.length; length >= 2; length--) {
    const [module, name] = splitSymbol(segments.slice(0, length).join('.'));
    const entry = DANGEROUS_GLOBALS.find(candidate =>
      matchesPattern(candidate.pattern, module, name),
    );
    if (entry) return entry;
  }
  return undefined;
}
