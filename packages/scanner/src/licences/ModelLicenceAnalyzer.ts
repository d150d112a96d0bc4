import type { ProjectAnalyzer } from '../engine/ProjectAnalyzer';
import { evaluateLicence, readLicencePolicy } from './policy';

/**
 * Applies the licence policy (reader option `licencePolicy`) to the licences that model cards and GGUF
 * metadata declare, as the dependency analyzer does for installed packages: deny → LICENCE-DENIED,
 * review → LICENCE-REVIEW. A model card that declares no licence is left alone unless the policy says
 * what a missing licence means (`missing`, or `fail_on_missing_license: true` → deny): then it is
 * LICENCE-MISSING with that action's severity, as for packages.
 */
export const modelLicenceAnalyzer: ProjectAnalyzer = {
  id: 'model-licences',
  async analyze(ctx) {
    const { policy } = readLicencePolicy(ctx.options.licencePolicy);
    for (const component of ctx.components) {
      if (component.type !== 'machine-learning-model' || !component.path)
        continue;
      if (!component.license) {
        if (policy.missing === undefined || policy.missing === 'allow')
          continue;
        ctx.emit({
          ruleId: 'LICENCE-MISSING',
          message: `Model ${
            component.name
          } declares no licence, and the licence policy ${
            policy.missing === 'deny' ? 'denies' : 'reviews'
          } models without one`,
          location: { path: component.path },
          evidence: { missing: true },
          key: `model:${component.name}`,
          severity: policy.missing === 'deny' ? 'high' : 'medium',
        });
        continue;
      }
      const decision = evaluateLicence(component.license, policy);
      if (decision.action === 'allow') continue;
      ctx.emit({
        ruleId:
          decision.action === 'deny' ? 'LICENCE-DENIED' : 'LICENCE-REVIEW',
        message: `Model ${component.name} is licensed ${
          decision.expression ?? component.license
        }: ${decision.reason}`,
        location: { path: component.path },
        evidence: {
          license: decision.expression ?? component.license,
          category: decision.category,
          guessed: decision.guessed,
        },
        key: `model:${component.name}`,
      });
    }
  },
};
