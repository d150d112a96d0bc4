import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { FormatReader, ProjectAnalyzer } from '@ml-governance/scanner';
import type { TargetResolver } from './TargetResolver';

/**
 * Adds readers (artifact formats) and analyzers (whole-project rules) to the scanner the plugin runs.
 * Findings they emit must refer to rules in the scanner's catalogue.
 *
 * @public
 */
export interface MlGovernanceScannerExtensionPoint {
  addReader(...readers: FormatReader[]): void;
  addAnalyzer(...analyzers: ProjectAnalyzer[]): void;
}

/**
 * Adds format readers and project analyzers to the backend's scanner.
 *
 * @public
 */
export const mlGovernanceScannerExtensionPoint =
  createExtensionPoint<MlGovernanceScannerExtensionPoint>({
    id: 'ml-governance.scanner',
  });

/**
 * Adds target resolvers, consulted before the built-in `url:` and `file:` resolvers.
 *
 * @public
 */
export interface MlGovernanceTargetResolverExtensionPoint {
  addTargetResolver(...resolvers: TargetResolver[]): void;
}

/**
 * Adds resolvers for target syntaxes the backend does not read itself.
 *
 * @public
 */
export const mlGovernanceTargetResolverExtensionPoint =
  createExtensionPoint<MlGovernanceTargetResolverExtensionPoint>({
    id: 'ml-governance.target-resolvers',
  });
