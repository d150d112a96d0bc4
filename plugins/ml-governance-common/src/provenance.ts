/**
 * The provenance of an entity as the entity page's panel shows it: which image digests the decision
 * belongs to and who signed them, which model folders carry a verified signature and what failed,
 * and how the `ml-governance.io/sha256` pins held at the last scan.
 */

/**
 * Outcome of a signature check, from the findings of the last scan.
 *
 * @public
 */
export type SignatureStatus =
  | 'verified'
  | 'invalid'
  | 'mismatch'
  | 'untrusted-signer'
  | 'missing'
  | 'unchecked';

/** @public */
export interface SignerIdentity {
  /** `sha256:<hex>` of the signer's public key (key signatures). */
  keyFingerprint?: string;
  /** Certificate SAN (e-mail or URI) and OIDC issuer (certificate signatures). */
  subject?: string;
  issuer?: string;
  /** ISO time; from a verified transparency-log entry when `timeSource` says so. */
  signingTime?: string;
  timeSource?: string;
}

/**
 * A failure reported as a finding (open or accepted), with the finding ID to link to.
 *
 * @public
 */
export interface ProvenanceProblem {
  findingId: string;
  ruleId: string;
  path: string;
  message: string;
}

/** @public */
export interface ImageProvenance {
  /** The reference as annotated (`oci://host/repo:tag` or `@sha256:…`). */
  reference: string;
  /** Manifest digest the last scan resolved the reference to: what the decision belongs to. */
  digest?: string;
  status: 'scanned' | 'unchanged' | 'failed' | 'not-scanned';
  error?: string;
  signature: {
    status: SignatureStatus;
    signer?: SignerIdentity;
    message?: string;
  };
  problems: ProvenanceProblem[];
}

/** @public */
export interface ModelSignatureProvenance {
  target: string;
  /** Path of `model.sig` inside the target. */
  path: string;
  status: SignatureStatus;
  signer?: SignerIdentity;
  signedFiles?: number;
  /** The signed file names (the first 50 when there are more: `signedFiles` has the count). */
  files?: string[];
  problems: ProvenanceProblem[];
}

/** @public */
export interface PinProvenance {
  path: string;
  expected: string;
  /** `matched` when the last scan found the file with this digest. */
  status: 'matched' | 'mismatch' | 'missing' | 'not-scanned';
  actual?: string;
}

/** @public */
export interface EntityProvenance {
  entityRef: string;
  lastScannedAt?: string;
  images: ImageProvenance[];
  modelSignatures: ModelSignatureProvenance[];
  pins: PinProvenance[];
}
