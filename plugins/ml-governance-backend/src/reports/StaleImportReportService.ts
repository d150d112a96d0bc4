import { randomUUID } from 'node:crypto';
import type {
  Finding,
  RiskAcceptance,
  StaleImportItem,
  StaleImportReport,
  StaleImportReportMeta,
  StaleImportTeamSection,
} from '@ml-governance/plugin-ml-governance-common';
import type { MlGovernanceStore } from '../database/MlGovernanceStore';
import type { MlGovernanceNotifier } from '../service/Notifier';
import type { Clock } from '../service/clock';
import { csvRow } from './csv';

const DAY_MS = 86_400_000;
/** Findings open longer than this many days are listed (capped so a snapshot stays readable). */
const LONG_OPEN_LIMIT = 5000;
const UNOWNED = 'unowned';

export interface StaleImportReportOptions {
  store: MlGovernanceStore;
  notifier: MlGovernanceNotifier;
  clock: Clock;
  staleDependencyRules: string[];
  undeclaredImportRules: string[];
  /** "Open longer than a quarter" and "expiring within a quarter", in days. */
  quarterDays: number;
}

/** `2026-Q4` for a date in October–December 2026. */
export function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

function toItem(finding: Finding & { entityOwner?: string }): StaleImportItem {
  const pkg = finding.evidence.package;
  return {
    entityRef: finding.entityRef,
    owner: finding.entityOwner,
    ruleId: finding.ruleId,
    fingerprint: finding.fingerprint,
    ...(typeof pkg === 'string' ? { package: pkg } : {}),
    path: finding.location.path,
    message: finding.message,
    firstSeenAt: finding.firstSeenAt,
  };
}

/**
 * The quarterly stale-import report: risky dependencies declared but not imported, risky imports not
 * declared, acceptances expiring within the quarter and findings open for more than a quarter — per
 * owner group, stored as a snapshot so the quarter's picture stays as it was.
 */
export class StaleImportReportService {
  constructor(private readonly options: StaleImportReportOptions) {}

  async generate(
    trigger: 'schedule' | 'manual',
  ): Promise<StaleImportReportMeta> {
    const { store, clock, quarterDays } = this.options;
    const now = clock();
    const teams = new Map<string, StaleImportTeamSection>();
    const section = (owner: string | undefined) => {
      const key = owner ?? UNOWNED;
      let team = teams.get(key);
      if (!team) {
        team = {
          owner: key,
          staleDependencies: [],
          undeclaredImports: [],
          expiringAcceptances: [],
          longOpenFindings: [],
        };
        teams.set(key, team);
      }
      return team;
    };

    const stale = new Set(this.options.staleDependencyRules);
    const ruleFindings = await store.listOpenFindingsByRule([
      ...this.options.staleDependencyRules,
      ...this.options.undeclaredImportRules,
    ]);
    for (const finding of ruleFindings) {
      const team = section(finding.entityOwner);
      (stale.has(finding.ruleId)
        ? team.staleDependencies
        : team.undeclaredImports
      ).push(toItem(finding));
    }
    const horizon = new Date(
      now.getTime() + quarterDays * DAY_MS,
    ).toISOString();
    for (const acceptance of await store.listAcceptancesExpiring({
      status: 'active',
      before: horizon,
    })) {
      const { entityOwner, ...rest } = acceptance;
      section(entityOwner).expiringAcceptances.push(rest);
    }
    const since = new Date(now.getTime() - quarterDays * DAY_MS).toISOString();
    for (const finding of await store.listFindingsOpenSince(
      since,
      LONG_OPEN_LIMIT,
    )) {
      const { entityOwner, ...rest } = finding;
      section(entityOwner).longOpenFindings.push(rest);
    }

    const report: StaleImportReport = {
      id: randomUUID(),
      period: quarterOf(now),
      generatedAt: now.toISOString(),
      trigger,
      teams: [...teams.values()].sort((a, b) => a.owner.localeCompare(b.owner)),
    };
    await store.insertReport(report);
    await this.options.notifier.staleImportReport(report);
    const { teams: _teams, ...meta } = report;
    return meta;
  }

  /** A report restricted to one owner's section when `owner` is given. */
  static forOwner(
    report: StaleImportReport,
    owner?: string,
  ): StaleImportReport {
    return owner
      ? { ...report, teams: report.teams.filter(team => team.owner === owner) }
      : report;
  }

  /** Flat CSV, one line per item, with the section it belongs to. */
  static toCsv(report: StaleImportReport): string {
    const lines = [
      csvRow([
        'period',
        'section',
        'owner',
        'entityRef',
        'ruleId',
        'fingerprint',
        'package',
        'path',
        'message',
        'since',
        'expiresAt',
        'acceptanceId',
      ]),
    ];
    const item = (name: string, owner: string, i: StaleImportItem) =>
      csvRow([
        report.period,
        name,
        owner,
        i.entityRef,
        i.ruleId,
        i.fingerprint,
        i.package,
        i.path,
        i.message,
        i.firstSeenAt,
        '',
        '',
      ]);
    const acceptance = (owner: string, a: RiskAcceptance) =>
      csvRow([
        report.period,
        'expiring-acceptance',
        owner,
        a.entityRef,
        a.ruleId,
        a.fingerprint,
        '',
        '',
        a.justification,
        a.requestedAt,
        a.expiresAt,
        a.id,
      ]);
    const finding = (owner: string, f: Finding) =>
      csvRow([
        report.period,
        'long-open-finding',
        owner,
        f.entityRef,
        f.ruleId,
        f.fingerprint,
        String(f.evidence.package ?? ''),
        f.location.path,
        f.message,
        f.firstSeenAt,
        '',
        f.acceptanceId,
      ]);
    for (const team of report.teams) {
      for (const i of team.staleDependencies)
        lines.push(item('stale-dependency', team.owner, i));
      for (const i of team.undeclaredImports)
        lines.push(item('undeclared-import', team.owner, i));
      for (const a of team.expiringAcceptances)
        lines.push(acceptance(team.owner, a));
      for (const f of team.longOpenFindings) lines.push(finding(team.owner, f));
    }
    return `${lines.join('\r\n')}\r\n`;
  }
}
