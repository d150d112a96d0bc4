import type { Signal } from '../../model/evidence';
import { evaluateLicence, type LicencePolicy } from '../../licences';
import type { DependencyGraph } from '../graph';
import type { ResolvedLicence } from '../model';

/**
 * Applies the licence policy to installed distributions (the only source that declares licences):
 * deny → LICENCE-DENIED, review → LICENCE-REVIEW, and a missing licence → LICENCE-MISSING with the
 * severity of the policy's `missing` action.
 */
export function checkLicences(
  graph: DependencyGraph,
  licences: ReadonlyMap<string, ResolvedLicence | null>,
  policy: LicencePolicy,
): Signal[] {
  const signals: Signal[] = [];
  for (const [name, licence] of licences) {
    const pkg = graph.packages.get(name);
    const installed = pkg?.locked.find(l => l.licence);
    if (!pkg || !installed) continue;
    const decision = evaluateLicence(licence?.expression, policy);
    if (decision.action === 'allow') continue;
    const location = { path: installed.file, line: installed.line };
    const evidence = {
      package: name,
      version: pkg.version,
      dependencyPath: pkg.paths[0],
      license: decision.expression,
      category: decision.category,
      guessed: decision.guessed,
    };
    if (decision.missing) {
      signals.push({
        ruleId: 'LICENCE-MISSING',
        message: `${name} ${
          pkg.version ?? ''
        } declares no licence (no License-Expression, License or licence classifier)`.replace(
          '  ',
          ' ',
        ),
        location,
        evidence,
        key: name,
        severity: decision.action === 'deny' ? 'high' : 'medium',
      });
      continue;
    }
    signals.push({
      ruleId: decision.action === 'deny' ? 'LICENCE-DENIED' : 'LICENCE-REVIEW',
      message: `${name} is licensed ${
        decision.expression ?? 'under an unrecognised licence'
      }: ${decision.reason}`,
      location,
      evidence,
      key: name,
    });
  }
  return signals;
}
