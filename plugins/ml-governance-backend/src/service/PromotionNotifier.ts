import { parseEntityRef } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  ArtifactVersion,
  SignOffKind,
} from '@ml-governance/plugin-ml-governance-common';
import { sendToEntities, type NotificationPayload } from './Notifier';

/** Who hears about each step of a promotion. Owners and approvers are group (or user) refs. */
export interface PromotionNotifier {
  promotionRequested(
    version: ArtifactVersion,
    approvers: string[],
    owner: string | undefined,
  ): Promise<void>;
  signedOff(
    version: ArtifactVersion,
    kind: SignOffKind,
    owner: string | undefined,
  ): Promise<void>;
  promoted(version: ArtifactVersion, owner: string | undefined): Promise<void>;
  rejected(
    version: ArtifactVersion,
    reason: string,
    owners: (string | undefined)[],
  ): Promise<void>;
  /** Back in quarantine (model API drift): the owners and whoever asked for the promotion. */
  requarantined(
    version: ArtifactVersion,
    reason: string,
    notify: (string | undefined)[],
  ): Promise<void>;
}

function versionsLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/ml-governance`;
}

function short(digest: string): string {
  return digest.length > 40 ? `${digest.slice(0, 40)}…` : digest;
}

/** Sends through the notifications backend; a failure to notify is logged, never fails the step. */
export class NotificationServicePromotionNotifier implements PromotionNotifier {
  constructor(
    private readonly notifications: NotificationService,
    private readonly logger: LoggerService,
  ) {}

  async promotionRequested(
    version: ArtifactVersion,
    approvers: string[],
    owner: string | undefined,
  ): Promise<void> {
    await this.send([...approvers, owner], {
      title: `Promotion requested: ${version.entityRef} ${short(
        version.digest,
      )}`,
      description: `${version.promotionRequestedBy} asks to promote ${version.digest}; it needs a security sign-off and an owner sign-off from two other people.`,
      link: versionsLink(version.entityRef),
      severity: 'high',
    });
  }

  async signedOff(
    version: ArtifactVersion,
    kind: SignOffKind,
    owner: string | undefined,
  ): Promise<void> {
    const by = version.signOffs.find(s => s.kind === kind)?.actor;
    await this.send([version.promotionRequestedBy, owner], {
      title: `${kind} sign-off for ${version.entityRef} ${short(
        version.digest,
      )}`,
      description: `${by ?? 'A reviewer'} gave the ${kind} sign-off.`,
      link: versionsLink(version.entityRef),
      severity: 'normal',
    });
  }

  async promoted(
    version: ArtifactVersion,
    owner: string | undefined,
  ): Promise<void> {
    await this.send([version.promotionRequestedBy, owner], {
      title: `Promoted: ${version.entityRef} ${short(version.digest)}`,
      description: `${version.digest} passed its checks and both sign-offs; the CI gate answers PASS for it.`,
      link: versionsLink(version.entityRef),
      severity: 'normal',
    });
  }

  async rejected(
    version: ArtifactVersion,
    reason: string,
    owners: (string | undefined)[],
  ): Promise<void> {
    await this.send([version.promotionRequestedBy, ...owners], {
      title: `Rejected: ${version.entityRef} ${short(version.digest)}`,
      description: `${version.digest} was rejected for good, under every entity: ${reason}`,
      link: versionsLink(version.entityRef),
      severity: 'critical',
    });
  }

  async requarantined(
    version: ArtifactVersion,
    reason: string,
    notify: (string | undefined)[],
  ): Promise<void> {
    await this.send(notify, {
      title: `Back in quarantine: ${version.entityRef} ${short(
        version.digest,
      )}`,
      description: `${reason.slice(
        0,
        900,
      )} — the gate refuses it until it is re-evaluated and promoted again.`,
      link: versionsLink(version.entityRef),
      severity: 'high',
    });
  }

  private async send(
    recipients: (string | undefined)[],
    payload: NotificationPayload,
  ): Promise<void> {
    await sendToEntities(this.notifications, this.logger, recipients, payload);
  }
}
