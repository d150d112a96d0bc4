import type {
  EntityProvenance,
  Finding,
  ImageProvenance,
  ModelSignatureProvenance,
  PinProvenance,
  ProvenanceProblem,
  ScanTargetResult,
  SignatureStatus,
  SignerIdentity,
} from '@ml-governance/plugin-ml-governance-common';
import type {
  EntityState,
  MlGovernanceStore,
} from '../database/MlGovernanceStore';

/** The rules whose findings make up provenance, and what each says about a signature. */
const SIGNATURE_STATUS_BY_RULE: Record<string, SignatureStatus> = {
  'MODEL-SIGNATURE-VERIFIED': 'verified',
  'MODEL-SIGNATURE-INVALID': 'invalid',
  'MODEL-SIGNATURE-UNTRUSTED-SIGNER': 'untrusted-signer',
  'MODEL-SIGNATURE-MISMATCH': 'mismatch',
  'MODEL-SIGNATURE-EXTRA-FILE': 'mismatch',
  'MODEL-SIGNATURE-MISSING': 'missing',
  'IMAGE-SIGNATURE-VERIFIED': 'verified',
  'IMAGE-SIGNATURE-INVALID': 'invalid',
  'IMAGE-SIGNATURE-UNTRUSTED-SIGNER': 'untrusted-signer',
  'IMAGE-SIGNATURE-MISSING': 'missing',
};
const PIN_RULE = 'MODEL-HASH-MISMATCH';
const IMAGE_UNREADABLE = 'IMAGE-UNREADABLE';
/** A failure outranks a verification: one bad file makes a verified signature a mismatch. */
const STATUS_RANK: SignatureStatus[] = [
  'unchecked',
  'verified',
  'missing',
  'mismatch',
  'untrusted-signer',
  'invalid',
];
/** Findings read per rule; an entity with more provenance findings than this is shown truncated. */
const PER_RULE_LIMIT = 500;

const text = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

function signerOf(finding: Finding): SignerIdentity | undefined {
  const e = finding.evidence;
  const signer: SignerIdentity = {
    keyFingerprint: text(e.signerKey),
    subject: text(e.signerSubject) || undefined,
    issuer: text(e.signerIssuer) || undefined,
    signingTime: text(e.signingTime),
    timeSource: text(e.signingTimeSource),
  };
  return Object.values(signer).some(Boolean) ? signer : undefined;
}

const problemOf = (finding: Finding): ProvenanceProblem => ({
  findingId: finding.id,
  ruleId: finding.ruleId,
  path: finding.location.path,
  message: finding.message,
});

function worse(a: SignatureStatus, b: SignatureStatus): SignatureStatus {
  return STATUS_RANK.indexOf(b) > STATUS_RANK.indexOf(a) ? b : a;
}

/** Reads the provenance panel's view from the stored entity state, its runs and its current findings. */
export class ProvenanceService {
  constructor(private readonly store: MlGovernanceStore) {}

  async entityProvenance(entity: EntityState): Promise<EntityProvenance> {
    const findings = await this.currentFindings(entity.entityRef);
    const { items: runs } = await this.store.listScanRuns(entity.entityRef, {
      limit: 10,
    });
    const lastResult = (target: string): ScanTargetResult | undefined =>
      runs
        .filter(run => run.status === 'succeeded' || run.status === 'failed')
        .flatMap(run => run.targets)
        .find(result => result.target === target);
    return {
      entityRef: entity.entityRef,
      lastScannedAt: entity.lastScannedAt,
      images: entity.targets
        .filter(target => target.startsWith('oci://'))
        .map(target =>
          imageProvenance(target, entity, findings, lastResult(target)),
        ),
      modelSignatures: modelSignatures(findings),
      pins: pins(entity, findings),
    };
  }

  private async currentFindings(entityRef: string): Promise<Finding[]> {
    const rules = [
      ...Object.keys(SIGNATURE_STATUS_BY_RULE),
      PIN_RULE,
      IMAGE_UNREADABLE,
    ];
    const pages = await Promise.all(
      rules.map(ruleId =>
        this.store.listFindings(entityRef, {
          ruleId,
          status: ['open', 'accepted'],
          limit: PER_RULE_LIMIT,
        }),
      ),
    );
    return pages.flatMap(page => page.items);
  }
}

function imageProvenance(
  reference: string,
  entity: EntityState,
  findings: Finding[],
  result: ScanTargetResult | undefined,
): ImageProvenance {
  const own = findings.filter(f => f.target === reference);
  let status: SignatureStatus = 'unchecked';
  let signer: SignerIdentity | undefined;
  let message: string | undefined;
  const problems: ProvenanceProblem[] = [];
  for (const finding of own) {
    const found = SIGNATURE_STATUS_BY_RULE[finding.ruleId];
    if (finding.ruleId === IMAGE_UNREADABLE) problems.push(problemOf(finding));
    if (!found || !finding.ruleId.startsWith('IMAGE-')) continue;
    if (found !== 'verified') problems.push(problemOf(finding));
    if (worse(status, found) !== status) {
      status = found;
      message = finding.message;
    }
    signer = signer ?? signerOf(finding);
  }
  return {
    reference,
    digest: result?.version ?? entity.targetDigests[reference],
    status: result?.status ?? 'not-scanned',
    ...(result?.error ? { error: result.error } : {}),
    signature: {
      status,
      ...(signer ? { signer } : {}),
      ...(message ? { message } : {}),
    },
    problems,
  };
}

function modelSignatures(findings: Finding[]): ModelSignatureProvenance[] {
  const byFolder = new Map<string, ModelSignatureProvenance>();
  for (const finding of findings) {
    const found = SIGNATURE_STATUS_BY_RULE[finding.ruleId];
    if (!found || !finding.ruleId.startsWith('MODEL-')) continue;
    const path = text(finding.evidence.signature) ?? finding.location.path;
    const key = `${finding.target}\u0000${path}`;
    const entry = byFolder.get(key) ?? {
      target: finding.target,
      path,
      status: 'unchecked' as SignatureStatus,
      problems: [],
    };
    entry.status = worse(entry.status, found);
    if (found === 'verified') {
      entry.signer = signerOf(finding);
      const files = Number(finding.evidence.signedFiles);
      if (Number.isSafeInteger(files)) entry.signedFiles = files;
      const names = text(finding.evidence.signedFileNames);
      if (names) entry.files = names.split('\n');
    } else {
      entry.signer = entry.signer ?? signerOf(finding);
      entry.problems.push(problemOf(finding));
    }
    byFolder.set(key, entry);
  }
  return [...byFolder.values()].sort((a, b) =>
    `${a.target}${a.path}`.localeCompare(`${b.target}${b.path}`),
  );
}

function pins(entity: EntityState, findings: Finding[]): PinProvenance[] {
  return Object.entries(entity.pinnedHashes).map(([path, expected]) => {
    const finding = findings.find(
      f =>
        f.ruleId === PIN_RULE && f.location.path === path.replace(/^\.?\//, ''),
    );
    if (!entity.lastScannedAt) return { path, expected, status: 'not-scanned' };
    if (!finding) return { path, expected, status: 'matched' };
    const actual = text(finding.evidence.actual);
    return actual
      ? { path, expected, status: 'mismatch', actual }
      : { path, expected, status: 'missing' };
  });
}
