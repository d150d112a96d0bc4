import type { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import type { MlGovernanceConfig } from '../config';
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
}

/** How often every replica looks for due entities (manual rescans, the share of a round). */
const WORKER_FREQUENCY = { minutes: 1 };

/**
 * Three tasks:
 * - the scan round (global: one replica at a time) syncs the catalog, marks every entity due, expires
 *   acceptances, records today's decision history, then takes part in scanning;
 * - the scan worker (local: every replica) claims due entities, so replicas share the round's work;
 * - the stale-import report (global, quarterly by default).
 */
export async function registerScheduledTasks(options: ScheduledTaskOptions): Promise<void> {
  const { scheduler, logger, config, store, scans, acceptances, reports, clock } = options;

  await scheduler.scheduleTask({
    id: 'ml-governance-scan-round',
    scope: 'global',
    ...config.schedule,
    fn: async () => {
      const synced = await scans.syncCatalog();
      await scans.requestFullScan();
      const sweep = await acceptances.sweep();
      const scanned = await scans.runScanRound();
      await recordDailyHistory(store, clock);
      logger.info(
        `ML Governance round: ${synced} entities synced, ${scanned.length} scanned here, ${sweep.expired} acceptances expired, ${sweep.reminded} reminders`,
      );
    },
  });

  await scheduler.scheduleTask({
    id: 'ml-governance-scan-worker',
    scope: 'local',
    frequency: WORKER_FREQUENCY,
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
      logger.info(`ML Governance stale-import report ${meta.period} generated (${meta.id})`);
    },
  });
}

/** One history row per entity per day, so the team trend has a point even for days without scans. */
export async function recordDailyHistory(store: MlGovernanceStore, clock: Clock): Promise<void> {
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
