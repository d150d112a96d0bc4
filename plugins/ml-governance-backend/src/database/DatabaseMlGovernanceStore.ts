import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { MlGovernanceStore } from './MlGovernanceStore';
import { FindingCountersStore } from './FindingCountersStore';
import { migrateWithRetry } from './migrateWithRetry';
import { AcceptancesStore } from './store/AcceptancesStore';
import { EntitiesStore } from './store/EntitiesStore';
import { FindingsQueries } from './store/FindingsQueries';
import { FindingsWriter } from './store/FindingsWriter';
import { HistoryAndReportsStore } from './store/HistoryAndReportsStore';
import { ScanClaimsStore } from './store/ScanClaimsStore';
import { ScanRunsStore } from './store/ScanRunsStore';
import { storeContext } from './store/StoreModule';
import { withStorableArguments } from './storableText';

const migrationsDir = resolvePackagePath(
  '@ml-governance/plugin-ml-governance-backend',
  'migrations',
);

type Store = MlGovernanceStore;

/**
 * The knex implementation of {@link MlGovernanceStore}, portable across SQLite and PostgreSQL: a
 * facade over one module per concern (`./store/`), all on the same connection or transaction.
 */
export class DatabaseMlGovernanceStore implements MlGovernanceStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    logger?: LoggerService;
    /** How long to wait for another replica's migration (lock held) before giving up. Default 60 s. */
    migrationWaitMs?: number;
  }): Promise<MlGovernanceStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await migrateWithRetry(client, migrationsDir, {
        logger: options.logger,
        maxWaitMs: options.migrationWaitMs,
      });
    }
    return DatabaseMlGovernanceStore.over(client);
  }

  /** The store over a connection or transaction, its arguments made storable (see withStorableArguments). */
  private static over(db: Knex): MlGovernanceStore {
    return withStorableArguments(new DatabaseMlGovernanceStore(db));
  }

  private readonly entities: EntitiesStore;
  private readonly claims: ScanClaimsStore;
  private readonly runs: ScanRunsStore;
  private readonly findingsWriter: FindingsWriter;
  private readonly findings: FindingsQueries;
  private readonly acceptances: AcceptancesStore;
  private readonly history: HistoryAndReportsStore;
  private readonly counters: FindingCountersStore;

  private constructor(private readonly db: Knex) {
    const context = storeContext(db);
    this.entities = new EntitiesStore(context);
    this.claims = new ScanClaimsStore(context);
    this.runs = new ScanRunsStore(context);
    this.findingsWriter = new FindingsWriter(context);
    this.findings = new FindingsQueries(context);
    this.acceptances = new AcceptancesStore(context);
    this.history = new HistoryAndReportsStore(context);
    this.counters = new FindingCountersStore(db, context.isPostgres);
  }

  async transaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
    return this.db.transaction(tx => work(DatabaseMlGovernanceStore.over(tx)));
  }

  // Entities
  upsertEntities: Store['upsertEntities'] = (...args) =>
    this.entities.upsertEntities(...args);
  removeEntitiesNotSyncedSince: Store['removeEntitiesNotSyncedSince'] = (
    ...args
  ) => this.entities.removeEntitiesNotSyncedSince(...args);
  getEntity: Store['getEntity'] = (...args) => this.entities.getEntity(...args);
  listEntities: Store['listEntities'] = (...args) =>
    this.entities.listEntities(...args);
  listTeamEntities: Store['listTeamEntities'] = (...args) =>
    this.entities.listTeamEntities(...args);
  requestScan: Store['requestScan'] = (...args) =>
    this.entities.requestScan(...args);
  markCiScan: Store['markCiScan'] = (...args) =>
    this.entities.markCiScan(...args);
  setEntityDecision: Store['setEntityDecision'] = (...args) =>
    this.entities.setEntityDecision(...args);
  setEntityDecisions: Store['setEntityDecisions'] = (...args) =>
    this.entities.setEntityDecisions(...args);
  markEntityScanError: Store['markEntityScanError'] = (...args) =>
    this.entities.markEntityScanError(...args);

  // Claims (leases)
  claimDueEntities: Store['claimDueEntities'] = (...args) =>
    this.claims.claimDueEntities(...args);
  renewClaims: Store['renewClaims'] = (...args) =>
    this.claims.renewClaims(...args);
  releaseClaim: Store['releaseClaim'] = (...args) =>
    this.claims.releaseClaim(...args);
  releaseClaims: Store['releaseClaims'] = (...args) =>
    this.claims.releaseClaims(...args);
  finishUnchangedScans: Store['finishUnchangedScans'] = (...args) =>
    this.claims.finishUnchangedScans(...args);
  markAbandonedRuns: Store['markAbandonedRuns'] = (...args) =>
    this.claims.markAbandonedRuns(...args);

  // Scan runs
  insertScanRun: Store['insertScanRun'] = (...args) =>
    this.runs.insertScanRun(...args);
  updateScanRun: Store['updateScanRun'] = (...args) =>
    this.runs.updateScanRun(...args);
  updateScanRuns: Store['updateScanRuns'] = (...args) =>
    this.runs.updateScanRuns(...args);
  finishScanRuns: Store['finishScanRuns'] = (...args) =>
    this.runs.finishScanRuns(...args);
  listScanRuns: Store['listScanRuns'] = (...args) =>
    this.runs.listScanRuns(...args);
  getScanRun: Store['getScanRun'] = (...args) => this.runs.getScanRun(...args);

  // Findings
  applyScanFindings: Store['applyScanFindings'] = (...args) =>
    this.findingsWriter.applyScanFindings(...args);
  applyScanFindingsMany: Store['applyScanFindingsMany'] = (...args) =>
    this.findingsWriter.applyScanFindingsMany(...args);
  setFindingWaiver: Store['setFindingWaiver'] = (...args) =>
    this.findingsWriter.setFindingWaiver(...args);
  listUnresolvedFindingsFor: Store['listUnresolvedFindingsFor'] = (...args) =>
    this.findings.listUnresolvedFindingsFor(...args);
  listUnresolvedFindings: Store['listUnresolvedFindings'] = (...args) =>
    this.findings.listUnresolvedFindings(...args);
  countOpenBySeverity: Store['countOpenBySeverity'] = (...args) =>
    this.findings.countOpenBySeverity(...args);
  listFindings: Store['listFindings'] = (...args) =>
    this.findings.listFindings(...args);
  listOpenFindings: Store['listOpenFindings'] = (...args) =>
    this.findings.listOpenFindings(...args);
  getFinding: Store['getFinding'] = (...args) =>
    this.findings.getFinding(...args);
  oldestOpenFindings: Store['oldestOpenFindings'] = (...args) =>
    this.findings.oldestOpenFindings(...args);
  listOpenFindingsByRule: Store['listOpenFindingsByRule'] = (...args) =>
    this.findings.listOpenFindingsByRule(...args);
  listFindingsOpenSince: Store['listFindingsOpenSince'] = (...args) =>
    this.findings.listFindingsOpenSince(...args);

  // Acceptances
  insertAcceptance: Store['insertAcceptance'] = (...args) =>
    this.acceptances.insertAcceptance(...args);
  getAcceptance: Store['getAcceptance'] = (...args) =>
    this.acceptances.getAcceptance(...args);
  listAcceptances: Store['listAcceptances'] = (...args) =>
    this.acceptances.listAcceptances(...args);
  listAcceptancesPage: Store['listAcceptancesPage'] = (...args) =>
    this.acceptances.listAcceptancesPage(...args);
  transitionAcceptance: Store['transitionAcceptance'] = (...args) =>
    this.acceptances.transitionAcceptance(...args);
  listAcceptancesExpiring: Store['listAcceptancesExpiring'] = (...args) =>
    this.acceptances.listAcceptancesExpiring(...args);
  listActiveAcceptancesFor: Store['listActiveAcceptancesFor'] = (...args) =>
    this.acceptances.listActiveAcceptancesFor(...args);

  // Counters (maintained on write), history and reports
  recountCounters: Store['recountCounters'] = () => this.counters.recountAll();
  teamOverviews: Store['teamOverviews'] = () => this.counters.teamOverviews();
  teamOverview: Store['teamOverview'] = owner =>
    this.counters.teamOverview(owner);
  countRequestedAcceptances: Store['countRequestedAcceptances'] = refs =>
    this.counters.requestedAcceptances(refs);
  topRules: Store['topRules'] = (owner, limit) =>
    this.counters.topRules(owner, limit);
  recordDailyDecision: Store['recordDailyDecision'] = (...args) =>
    this.history.recordDailyDecision(...args);
  teamTrend: Store['teamTrend'] = (...args) => this.history.teamTrend(...args);
  insertReport: Store['insertReport'] = (...args) =>
    this.history.insertReport(...args);
  listReports: Store['listReports'] = () => this.history.listReports();
  getReport: Store['getReport'] = (...args) => this.history.getReport(...args);
}
