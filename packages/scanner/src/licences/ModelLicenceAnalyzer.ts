import type { ProjectAnalyzer } from '../engine/ProjectAnalyzer';
import { evaluateLicence, readLicencePolicy } from './policy';

/**
 * Applies the licence policy (reader option `licencePolicy`) to the licences that model cards and GGUF
 * metadata declare, as the dependency analyzer does for installed packages: deny → LICENCE-DENIED,
 * review → LICENCE-REVIEW. Models that declare nothing are left alone here (a card is optional), so
 * only what a model states is judged.
 */
export const modelLicenceAnalyzer: ProjectAnalyzer = {
  id: 'model-licences',
  async analyze(ctx) {
    const { policy } = readLicencePolicy(ctx.options.licencePolicy);
    for (const component of ctx.components) {
      if (
        component.type !== 'machine-learning-model' ||
        !component.license ||
        !component.path
      )
        continue;
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
