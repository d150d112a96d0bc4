import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { FormatReader, ProjectAnalyzer } from '@ml-governance/scanner';
import type { TargetResolver } from './TargetResolver';

/**
 * Adds readers (artifact formats) and analyzers (whole-project rules) to the scanner the plugin runs.
 * Findings they emit must refer to rules in the scanner's catalogue.
 */
export interface MlGovernanceScannerExtensionPoint {
  addReader(...readers: FormatReader[]): void;
  addAnalyzer(...analyzers: ProjectAnalyzer[]): void;
}

export const mlGovernanceScannerExtensionPoint =
  createExtensionPoint<MlGovernanceScannerExtensionPoint>({
    id: 'ml-governance.scanner',
  });

/** Adds target resolvers, consulted before the built-in `url:` and `file:` resolvers. */
export interface MlGovernanceTargetResolverExtensionPoint {
  addTargetResolver(...resolvers: TargetResolver[]): void;
}

export const mlGovernanceTargetResolverExtensionPoint =
  createExtensionPoint<MlGovernanceTargetResolverExtensionPoint>({
    id: 'ml-governance.target-resolvers',
  });
