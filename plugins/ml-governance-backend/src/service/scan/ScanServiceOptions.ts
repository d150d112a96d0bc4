import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { TargetResolver } from '@ml-governance/plugin-ml-governance-node';
import type { MlGovernanceStore } from '../../database/MlGovernanceStore';
import type { ArtifactScanner } from '../../scanning/ArtifactScanner';
import type { PolicyRegistry } from '../../policy/PolicyRegistry';
import type { DecisionService } from '../DecisionService';
import type { MlGovernanceNotifier } from '../Notifier';
import type { PromotionService } from '../PromotionService';
import type { Clock } from '../clock';

export interface ScanServiceOptions {
  store: MlGovernanceStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  scanner: ArtifactScanner;
  resolvers: TargetResolver[];
  policies: PolicyRegistry;
  decisions: DecisionService;
  notifier: MlGovernanceNotifier;
  clock: Clock;
  /** Promotion hooks (docs/promotion.md): versions by digest, the rejected-artifact log, pinning. */
  promotions?: PromotionService;
  concurrency: number;
  /**
   * How long a claim on an entity lasts unless renewed. The scanning replica renews it every third
   * of this while it works, so a replica that dies holds an entity for at most this long.
   */
  leaseMs: number;
  /** The scheduled sweep skips entities with a CI scan younger than this (0: never skips). */
  ciFreshForMs?: number;
  /** Entities claimed (and their runs started) per claim transaction. Default 5 × concurrency. */
  claimBatchSize?: number;
  /** Identifies this replica in claims. */
  workerId?: string;
}
