/**
 * Extension points for backend modules that extend ML Governance: extra scanner readers and
 * analyzers, and extra target resolvers.
 *
 * @packageDocumentation
 */
export {
  mlGovernanceScannerExtensionPoint,
  mlGovernanceTargetResolverExtensionPoint,
  type MlGovernanceScannerExtensionPoint,
  type MlGovernanceTargetResolverExtensionPoint,
} from './extensions';
export type {
  ResolvedTarget,
  TargetResolveContext,
  TargetResolver,
} from './TargetResolver';
