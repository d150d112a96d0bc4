import { EXIT_CODES, UsageError } from './exitCodes';

/** The promotion part of the portal's gate answer (`GET /gate/...?digest=`). */
export interface PromotionGateStatus {
  digest: string;
  stage: 'quarantined' | 'evaluated' | 'promoted' | 'rejected' | 'unknown';
  promoted: boolean;
  versionId?: string;
  signOffs: { kind: string; actor: string; at: string }[];
  missingSignOffs: string[];
  promotionRequested: boolean;
  rejected?: {
    entityRef: string;
    rejectedBy: string;
    rejectedAt: string;
    reason: string;
  };
}

const STAGES = new Set([
  'quarantined',
  'evaluated',
  'promoted',
  'rejected',
  'unknown',
]);

/** Digests as the portal lists them: `sha256:…`, `files:…`, `hf:org/name@sha`, `mlflow:…`; printable, bounded. */
export function parseDigestOption(value: string): string {
  const digest = value.trim();
  if (!digest || digest.length > 1024 || !/^[\x21-\x7e]+$/.test(digest))
    throw new UsageError(
      `--digest ${JSON.stringify(
        value.slice(0, 80),
      )}: expected a digest as the portal lists it, e.g. sha256:<64 hex>`,
    );
  return digest;
}

/** The promotion status in a gate answer, or undefined when the portal did not answer for the digest. */
export function promotionOf(body: unknown): PromotionGateStatus | undefined {
  const promotion = (body as { promotion?: unknown })?.promotion as
    | Partial<PromotionGateStatus>
    | undefined;
  if (
    typeof promotion !== 'object' ||
    promotion === null ||
    typeof promotion.digest !== 'string' ||
    !STAGES.has(String(promotion.stage)) ||
    typeof promotion.promoted !== 'boolean' ||
    !Array.isArray(promotion.signOffs) ||
    !Array.isArray(promotion.missingSignOffs)
  )
    return undefined;
  return promotion as PromotionGateStatus;
}

/**
 * Exit code of a digest gate: PASS only for a promoted digest whose answer is PASS; a rejected
 * digest is final (21: retrying cannot help); anything else is not (yet) promoted (20).
 */
export function digestExitCode(
  decision: string,
  promotion: PromotionGateStatus,
): number {
  if (promotion.stage === 'rejected') return EXIT_CODES.REJECTED;
  return promotion.promoted && decision === 'PASS'
    ? EXIT_CODES.PASS
    : EXIT_CODES.BLOCK;
}

/** True while waiting can still change the answer. */
export function digestPending(
  decision: string,
  promotion: PromotionGateStatus,
): boolean {
  return digestExitCode(decision, promotion) === EXIT_CODES.BLOCK;
}

export function digestSummary(
  entityRef: string,
  decision: string,
  promotion: PromotionGateStatus,
): string {
  const lines = [
    `${entityRef} @ ${promotion.digest}: ${decision} (${promotion.stage})`,
  ];
  if (promotion.rejected) {
    lines.push(
      `Rejected under ${promotion.rejected.entityRef} by ${promotion.rejected.rejectedBy} on ${promotion.rejected.rejectedAt}: ${promotion.rejected.reason}`,
      'Rejection is final for these bytes; a fixed or re-exported artifact has a new digest.',
    );
  } else if (promotion.stage === 'unknown') {
    lines.push(
      'The portal has not seen this digest under this entity: scan it first (it starts in quarantine).',
    );
  } else if (!promotion.promoted) {
    for (const signOff of promotion.signOffs)
      lines.push(
        `  signed: ${signOff.kind} by ${signOff.actor} at ${signOff.at}`,
      );
    if (promotion.stage === 'evaluated')
      lines.push(
        promotion.promotionRequested
          ? `Awaiting sign-off: ${promotion.missingSignOffs.join(', ')}`
          : 'Promotion not requested yet: request it on the entity page (Versions).',
      );
  } else if (decision !== 'PASS') {
    lines.push('Promoted, but its latest scan blocks: new evidence wins.');
  }
  return `${lines.join('\n')}\n`;
}

/** The stderr line between polls. */
export function digestWaitLine(
  entityRef: string,
  promotion: PromotionGateStatus,
  waitMs: number,
): string {
  const missing =
    promotion.stage === 'evaluated' && promotion.promotionRequested
      ? `, awaiting ${promotion.missingSignOffs.join(', ')}`
      : '';
  return `mlgov gate: ${entityRef} @ ${promotion.digest} is ${
    promotion.stage
  }${missing}; next check in ${Math.round(waitMs / 1000)}s\n`;
}
