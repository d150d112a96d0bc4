import { parseEntityRef } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import type {
  Finding,
  RiskAcceptance,
  StaleImportReport,
} from '@ml-governance/plugin-ml-governance-common';

export const NOTIFICATION_TOPIC = 'ml-governance';

/** Who hears about what. Owners are group (or user) entity refs; notifications resolve group members. */
export interface MlGovernanceNotifier {
  newBlockingFindings(
    entityRef: string,
    owner: string | undefined,
    findings: Finding[],
  ): Promise<void>;
  acceptanceRequested(
    acceptance: RiskAcceptance,
    approvers: string[],
  ): Promise<void>;
  acceptanceDecided(
    acceptance: RiskAcceptance,
    owner: string | undefined,
  ): Promise<void>;
  acceptanceExpiringSoon(
    acceptance: RiskAcceptance,
    owner: string | undefined,
  ): Promise<void>;
  acceptanceExpired(
    acceptance: RiskAcceptance,
    owner: string | undefined,
  ): Promise<void>;
  staleImportReport(report: StaleImportReport): Promise<void>;
}

function entityLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/ml-governance`;
}

function what(acceptance: RiskAcceptance): string {
  return acceptance.fingerprint
    ? `finding ${acceptance.fingerprint.slice(0, 12)}`
    : `rule ${acceptance.ruleId}`;
}

/** Sends through the notifications backend; a failure to notify is logged, never fails the action. */
export class NotificationServiceNotifier implements MlGovernanceNotifier {
  constructor(
    private readonly notifications: NotificationService,
    private readonly logger: LoggerService,
  ) {}

  async newBlockingFindings(
    entityRef: string,
    owner: string | undefined,
    findings: Finding[],
  ): Promise<void> {
    if (findings.length === 0) return;
    const rules = [...new Set(findings.map(f => f.ruleId))].join(', ');
    await this.send([owner], {
      title: `${entityRef}: ${findings.length} new blocking ML finding(s)`,
      description: `Releases of ${entityRef} are blocked by ${rules}. Fix them or request a risk acceptance.`,
      link: entityLink(entityRef),
      severity: 'critical',
    });
  }

  async acceptanceRequested(
    acceptance: RiskAcceptance,
    approvers: string[],
  ): Promise<void> {
    await this.send(approvers, {
      title: `Risk acceptance requested for ${acceptance.entityRef}`,
      description: `${acceptance.requestedBy} asks to accept ${what(
        acceptance,
      )} until ${acceptance.expiresAt}: ${acceptance.justification}`,
      link: entityLink(acceptance.entityRef),
      severity: 'high',
    });
  }

  async acceptanceDecided(
    acceptance: RiskAcceptance,
    owner: string | undefined,
  ): Promise<void> {
    const approved = acceptance.status === 'active';
    await this.send([acceptance.requestedBy, owner], {
      title: `Risk acceptance ${
        approved ? 'approved' : acceptance.status
      } for ${acceptance.entityRef}`,
      description: `${acceptance.decidedBy ?? 'An approver'} ${
        approved ? 'approved' : acceptance.status
      } the acceptance of ${what(acceptance)}: ${
        acceptance.decisionComment ?? ''
      }`,
      link: entityLink(acceptance.entityRef),
      severity: approved ? 'normal' : 'high',
    });
  }

  async acceptanceExpiringSoon(
    acceptance: RiskAcceptance,
    owner: string | undefined,
  ): Promise<void> {
    await this.send([acceptance.requestedBy, owner], {
      title: `Risk acceptance for ${
        acceptance.entityRef
      } expires ${acceptance.expiresAt.slice(0, 10)}`,
      description: `The acceptance of ${what(
        acceptance,
      )} expires soon; fix the finding or request a new acceptance.`,
      link: entityLink(acceptance.entityRef),
      severity: 'normal',
    });
  }

  async acceptanceExpired(
    acceptance: RiskAcceptance,
    owner: string | undefined,
  ): Promise<void> {
    await this.send([acceptance.requestedBy, owner], {
      title: `Risk acceptance for ${acceptance.entityRef} expired`,
      description: `The acceptance of ${what(
        acceptance,
      )} expired; the finding counts again for the release decision.`,
      link: entityLink(acceptance.entityRef),
      severity: 'high',
    });
  }

  async staleImportReport(report: StaleImportReport): Promise<void> {
    for (const team of report.teams) {
      const total =
        team.staleDependencies.length +
        team.undeclaredImports.length +
        team.expiringAcceptances.length +
        team.longOpenFindings.length;
      if (total === 0 || team.owner === 'unowned') continue;
      await this.send([team.owner], {
        title: `Stale-import report ${report.period}: ${total} item(s) for your team`,
        description: `${team.staleDependencies.length} stale risky dependencies, ${team.undeclaredImports.length} undeclared risky imports, ${team.expiringAcceptances.length} acceptances expiring, ${team.longOpenFindings.length} findings open for over a quarter.`,
        link: `/ml-governance/reports/${report.id}`,
        severity: 'normal',
      });
    }
  }

  private async send(
    recipients: (string | undefined)[],
    payload: NotificationPayload,
  ): Promise<void> {
    await sendToEntities(this.notifications, this.logger, recipients, payload);
  }
}

export interface NotificationPayload {
  title: string;
  description: string;
  link: string;
  severity: NotificationSeverity;
}

/** Sends to the distinct, non-empty recipients under the plugin's topic; a failure is logged, never thrown. */
export async function sendToEntities(
  notifications: NotificationService,
  logger: LoggerService,
  recipients: (string | undefined)[],
  payload: NotificationPayload,
): Promise<void> {
  const entityRef = [
    ...new Set(recipients.filter((r): r is string => Boolean(r))),
  ];
  if (entityRef.length === 0) return;
  try {
    await notifications.send({
      recipients: { type: 'entity', entityRef },
      payload: { ...payload, topic: NOTIFICATION_TOPIC },
    });
  } catch (error) {
    logger.warn(
      `Could not send ML Governance notification '${payload.title}': ${error}`,
    );
  }
}
