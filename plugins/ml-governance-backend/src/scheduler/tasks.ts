import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { MlGovernanceConfig } from '../config';
import type { ModelApiProber } from '../modelApis/ModelApiProber';
import type { ModelApisConfig } from '../modelApis/modelApisConfig';
import type { MlGovernanceStore } from '../database/MlGovernanceStore';
import type { StaleImportReportService } from '../reports/StaleImportReportService';
import type { AcceptanceService } from '../service/AcceptanceService';
import type { Clock } from '../service/clock';
import type { ScanService } from '../service/ScanService';

export interface ScheduledTaskOptions {
  scheduler: SchedulerService;
  logger: LoggerService;
  config: MlGovernanceConfig;
  store: MlGovernanceStore;
  scans: ScanService;
  acceptances: AcceptanceService;
  reports: StaleImportReportService;
  clock: Clock;
  /** The model API prober and its settings; scheduled only when providers are configured. */
  modelApis?: { prober: ModelApiProber; config: ModelApisConfig };
}

/**
 * Three tasks:
 * - the scan round (global: one replica at a time) syncs the catalog, marks every entity due, expires
 *   acceptances, marks abandoned runs, takes part in scanning and records today's decision history.
 *   Scanning is protected by per-entity leases, not by the round's ticket: if the replica holding
 *   the ticket dies, the other replicas' workers take its entities over within a lease period, and
 *   only the next sync waits for the round's (short, 5-minute default) timeout;
 * - the scan worker (local: every replica, once per lease period) claims due entities, so replicas
 *   share the round's work and take over entities whose lease ran out;
 * - the stale-import report (global, quarterly by default);
 * - the model API prober (global, hourly by default; only with `mlGovernance.modelApis.providers`).
 */
export async function registerScheduledTasks(
  options: ScheduledTaskOptions,
): Promise<void> {
  const {
    scheduler,
    logger,
    config,
    store,
    scans,
    acceptances,
    reports,
    clock,
    modelApis,
  } = options;

  await scheduler.scheduleTask({
    id: 'ml-governance-scan-round',
    scope: 'global',
    ...config.schedule,
    fn: async () => {
      const synced = await scans.syncCatalog();
      await scans.requestFullScan();
      const sweep = await acceptances.sweep();
      const abandoned = await scans.markAbandonedRuns();
      const scanned = await scans.runScanRound();
      await recordDailyHistory(store, clock);
      logger.info(
        `ML Governance round: ${synced} entities synced, ${scanned.length} scanned here, ${sweep.expired} acceptances expired, ${sweep.reminded} reminders, ${abandoned} abandoned runs`,
      );
    },
  });

  await scheduler.scheduleTask({
    id: 'ml-governance-scan-worker',
    scope: 'local',
    frequency: { seconds: Math.max(1, Math.round(config.leaseMs / 1000)) },
    timeout: config.schedule.timeout,
    initialDelay: { seconds: 45 },
    fn: async () => {
      await scans.runScanRound();
    },
  });

  await scheduler.scheduleTask({
    id: 'ml-governance-stale-import-report',
    scope: 'global',
    ...config.reportSchedule,
    fn: async () => {
      const meta = await reports.generate('schedule');
      logger.info(
        `ML Governance stale-import report ${meta.period} generated (${meta.id})`,
      );
    },
  });

  if (modelApis?.config.schedule) {
    await scheduler.scheduleTask({
      id: 'ml-governance-model-api-prober',
      scope: 'global',
      ...modelApis.config.schedule,
      fn: async () => {
        const { probed, alerted } = await modelApis.prober.runAll();
        logger.info(
          `ML Governance model API prober: ${probed} APIs probed, ${alerted} with alerts`,
        );
      },
    });
  }
}

/** One history row per entity per day, so the team trend has a point even for days without scans. */
export async function recordDailyHistory(
  store: MlGovernanceStore,
  clock: Clock,
): Promise<void> {
  const day = clock().toISOString().slice(0, 10);
  const entities = await store.listEntities();
  await store.recordDailyDecision(
    entities.map(entity => ({
      entityRef: entity.entityRef,
      owner: entity.owner,
      day,
      decision: entity.decision === 'UNKNOWN' ? null : entity.decision,
      counts: entity.counts,
    })),
  );
}
