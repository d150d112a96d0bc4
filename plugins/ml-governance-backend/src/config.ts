import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { InputError } from '@backstage/errors';
import type { ScanLimits } from '@ml-governance/scanner';

/** Settings of the plugin, read once from `mlGovernance` in app-config (see config.d.ts). */
export interface MlGovernanceConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  reportSchedule: SchedulerServiceTaskScheduleDefinition;
  /** Entities scanned at the same time by one replica. */
  concurrency: number;
  /** How long a replica's claim (lease) on an entity lasts unless renewed by its heartbeat. */
  leaseMs: number;
  /** Entities one replica claims per claim transaction. */
  claimBatchSize: number;
  /** The scheduled sweep skips entities whose last CI upload is younger than this (0: never). */
  ciFreshForMs: number;
  /** Rebuild the dashboard counters from their source rows at start-up (the repair path). */
  recountCountersOnStartup: boolean;
  /** Raw policy objects by name, in the scanner's policy-file shape; `default` always exists. */
  policies: Record<string, unknown>;
  approvers: string[];
  acceptance: { maxDays: number; reminderDays: number };
  reports: {
    staleDependencyRules: string[];
    undeclaredImportRules: string[];
    longOpenDays: number;
  };
  scanning: { allowedFileRoots: string[]; limits: Partial<ScanLimits> };
}

/** CI results are trusted for a day before the scheduler scans the entity itself again. */
const DEFAULT_CI_FRESH_FOR_MS = 24 * 3_600_000;

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  // The round only syncs and marks entities due (scanning runs outside it, under leases), so a
  // replica that dies mid-round holds the global round for minutes, not most of the half hour.
  timeout: { minutes: 5 },
  initialDelay: { seconds: 30 },
};

/** At 06:00 UTC on the first day of every quarter. */
const DEFAULT_REPORT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { cron: '0 6 1 1,4,7,10 *' },
  timeout: { minutes: 30 },
};

export const DEFAULT_STALE_DEPENDENCY_RULES = ['SOURCE-STALE-DEPENDENCY'];
export const DEFAULT_UNDECLARED_IMPORT_RULES = ['SOURCE-UNDECLARED-IMPORT'];

const LIMIT_KEYS: (keyof ScanLimits)[] = [
  'maxPickleBytes',
  'maxPickleOps',
  'maxDepth',
  'maxEntries',
  'maxEntryBytes',
  'maxTotalBytes',
  'maxCompressionRatio',
  'maxTextBytes',
  'maxHeaderBytes',
  'fileTimeoutMs',
  'maxFiles',
  'maxPickleNesting',
];

export function readMlGovernanceConfig(root: Config): MlGovernanceConfig {
  const config = root.getOptionalConfig('mlGovernance');
  const schedule = config?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;
  const reportSchedule = config?.has('reports.schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('reports.schedule'),
      )
    : DEFAULT_REPORT_SCHEDULE;

  const concurrency = config?.getOptionalNumber('concurrency') ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InputError(
      `mlGovernance.concurrency must be a positive integer, got ${concurrency}`,
    );
  }

  const leaseSeconds = config?.getOptionalNumber('scanning.leaseSeconds') ?? 30;
  if (
    !Number.isFinite(leaseSeconds) ||
    leaseSeconds < 1 ||
    leaseSeconds > 3600
  ) {
    throw new InputError(
      `mlGovernance.scanning.leaseSeconds must be between 1 and 3600, got ${leaseSeconds}`,
    );
  }
  const claimBatchSize =
    config?.getOptionalNumber('scanning.claimBatchSize') ?? concurrency * 5;
  if (
    !Number.isInteger(claimBatchSize) ||
    claimBatchSize < 1 ||
    claimBatchSize > 500
  ) {
    throw new InputError(
      `mlGovernance.scanning.claimBatchSize must be an integer from 1 to 500, got ${claimBatchSize}`,
    );
  }

  // `ciResults.freshFor`: a Backstage duration (`{ hours: 24 }`) or an ISO 8601 string (`PT24H`).
  const ciFreshForMs = config?.has('ciResults.freshFor')
    ? durationToMilliseconds(
        readDurationFromConfig(config, { key: 'ciResults.freshFor' }),
      )
    : DEFAULT_CI_FRESH_FOR_MS;
  if (!Number.isFinite(ciFreshForMs) || ciFreshForMs < 0) {
    throw new InputError(
      `mlGovernance.ciResults.freshFor must be a non-negative duration`,
    );
  }

  const policies: Record<string, unknown> = { default: {} };
  const policiesConfig = config?.getOptionalConfig('policies');
  for (const name of policiesConfig?.keys() ?? []) {
    policies[name] = policiesConfig!.get(name);
  }

  const limits: Partial<ScanLimits> = {};
  for (const key of LIMIT_KEYS) {
    const value = config?.getOptionalNumber(`scanning.limits.${key}`);
    if (value !== undefined) limits[key] = value;
  }

  return {
    schedule,
    reportSchedule,
    concurrency,
    leaseMs: leaseSeconds * 1000,
    claimBatchSize,
    ciFreshForMs,
    recountCountersOnStartup:
      config?.getOptionalBoolean('counters.recountOnStartup') ?? false,
    policies,
    approvers: config?.getOptionalStringArray('approvers') ?? [],
    acceptance: {
      maxDays: config?.getOptionalNumber('acceptance.maxDays') ?? 180,
      reminderDays: config?.getOptionalNumber('acceptance.reminderDays') ?? 14,
    },
    reports: {
      staleDependencyRules:
        config?.getOptionalStringArray('reports.staleDependencyRules') ??
        DEFAULT_STALE_DEPENDENCY_RULES,
      undeclaredImportRules:
        config?.getOptionalStringArray('reports.undeclaredImportRules') ??
        DEFAULT_UNDECLARED_IMPORT_RULES,
      longOpenDays: config?.getOptionalNumber('reports.longOpenDays') ?? 90,
    },
    scanning: {
      allowedFileRoots:
        config?.getOptionalStringArray('scanning.allowedFileRoots') ?? [],
      limits,
    },
  };
}
