/**
 * One signer a policy trusts: a bare public key, or a certificate identity (subject and issuer).
 *
 * @public
 */
export interface AllowedSigner {
  /** PEM public key (ECDSA P-256/384/521 or Ed25519) for bundles signed with a bare key. */
  publicKey?: string;
  /** Certificate subject: SAN e-mail or URI, matched exactly. */
  subject?: string;
  /** OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8, or the legacy .1.1), matched exactly. */
  issuer?: string;
}

/**
 * Reader option `signatures` (policy block `signatures:`). Keys and roots are PEM text: the
 * scanner reads no key files of its own, so a policy is self-contained and reviewable.
 *
 * @public
 */
export interface SignatureOptions {
  /** A model folder without a signature is a blocking finding. */
  required?: boolean;
  /** Signature file name inside the model folder. Default `model.sig`. */
  file?: string;
  signers?: AllowedSigner[];
  /** PEM CA certificates that certificate chains must end at (an offline Fulcio root or a private CA). */
  trustedRoots?: string[];
  /**
   * PEM public keys of transparency logs (Rekor). A log entry whose signed timestamp verifies with
   * one of them gives the signing time; without one, certificates must be valid at scan time.
   */
  tlogKeys?: string[];
  /**
   * A Sigstore `trusted_root.json` (TrustedRoot protobuf JSON: Fulcio CAs, Rekor logs, CT logs,
   * timestamp authorities), parsed. The policy gives it inline (`trusted_root`) or as a file
   * (`trusted_root_file`), which the caller that read the policy loads (see `loadTrustedRootFile`).
   */
  trustedRoot?: unknown;
  /** `trusted_root_file` as written in the policy; resolved against the policy's folder. */
  trustedRootFile?: string;
  /** How much log and timestamp evidence a certificate bundle needs (see verify.ts for defaults). */
  thresholds?: SignatureThresholds;
}

/**
 * Minimum counts of verified evidence. Defaults: with a `trusted_root` (keyless, public-good
 * style) one transparency-log entry, one timestamp and one SCT when the root lists CT logs; with
 * PEM roots only (a private CA) none. Bare-key bundles need none unless set here.
 *
 * @public
 */
export interface SignatureThresholds {
  tlog?: number;
  ctlog?: number;
  timestamp?: number;
}

export const DEFAULT_SIGNATURE_FILE = 'model.sig';

export const SIGN_COMMAND_HINT =
  'Sign the whole model folder with `model_signing sign key|certificate|sigstore <model dir> --signature <model dir>/model.sig` (or `python -m model_signing sign ...`)';
