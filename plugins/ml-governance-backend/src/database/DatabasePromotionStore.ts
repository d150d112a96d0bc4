import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { migrateWithRetry } from './migrateWithRetry';
import type { PromotionStore } from './PromotionStore';
import { PromotionTransitions } from './promotion/PromotionTransitions';
import { RejectedArtifactsQueries } from './promotion/RejectedArtifactsQueries';
import { SightingsAndEvaluationsWriter } from './promotion/SightingsAndEvaluationsWriter';
import { VersionQueries } from './promotion/VersionQueries';
import { withStorableArguments } from './storableText';

const migrationsDir = resolvePackagePath(
  '@ml-governance/plugin-ml-governance-backend',
  'migrations',
);

type Store = PromotionStore;

/**
 * The knex implementation of {@link PromotionStore}, portable across SQLite and PostgreSQL: a
 * facade over one module per concern (`./promotion/`), all on the same connection.
 */
export class DatabasePromotionStore implements PromotionStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    logger?: LoggerService;
  }): Promise<PromotionStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations)
      await migrateWithRetry(client, migrationsDir, { logger: options.logger });
    return withStorableArguments(new DatabasePromotionStore(client));
  }

  private readonly sightings: SightingsAndEvaluationsWriter;
  private readonly versions: VersionQueries;
  private readonly transitions: PromotionTransitions;
  private readonly rejected: RejectedArtifactsQueries;

  constructor(db: Knex) {
    this.sightings = new SightingsAndEvaluationsWriter(db);
    this.versions = new VersionQueries(db);
    this.transitions = new PromotionTransitions(db, this.versions);
    this.rejected = new RejectedArtifactsQueries(db);
  }

  // Sightings and evaluations (from scans)
  recordSighting: Store['recordSighting'] = (...args) =>
    this.sightings.recordSighting(...args);
  recordEvaluation: Store['recordEvaluation'] = (...args) =>
    this.sightings.recordEvaluation(...args);

  // Versions
  getVersion: Store['getVersion'] = (...args) =>
    this.versions.getVersion(...args);
  findVersion: Store['findVersion'] = (...args) =>
    this.versions.findVersion(...args);
  listVersions: Store['listVersions'] = (...args) =>
    this.versions.listVersions(...args);
  listAwaitingSignOff: Store['listAwaitingSignOff'] = () =>
    this.versions.listAwaitingSignOff();

  // Transitions
  requestPromotion: Store['requestPromotion'] = (...args) =>
    this.transitions.requestPromotion(...args);
  signOff: Store['signOff'] = (...args) => this.transitions.signOff(...args);
  reject: Store['reject'] = (...args) => this.transitions.reject(...args);
  requarantine: Store['requarantine'] = (...args) =>
    this.transitions.requarantine(...args);

  // Rejected-artifact log
  getRejected: Store['getRejected'] = (...args) =>
    this.rejected.getRejected(...args);
  listRejected: Store['listRejected'] = (...args) =>
    this.rejected.listRejected(...args);
}
