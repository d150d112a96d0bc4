import { X509Certificate as NodeX509 } from 'node:crypto';
import type { TransparencyLogEntry } from '@sigstore/bundle';
import {
  toSignedEntity,
  Verifier,
  VerificationError,
  type SignedEntity,
  type Signer,
  type TrustMaterial,
} from '@sigstore/verify';
import type { DecodedBundle } from './bundle';
import type { SignatureOptions, SignatureThresholds } from './options';
import {
  PolicyKeyError,
  trustFromPolicy,
  withCheckpointOrigins,
  withKey,
  type PolicyTrust,
} from './trustMaterial';

/**
 * Who signed a bundle, checked against the policy. `@sigstore/verify`'s Verifier checks the DSSE
 * signature, the certificate chain to the trusted CAs at every verified timestamp, SCTs, and every
 * transparency-log entry (SET and inclusion proof against the trusted logs, body bound to this
 * envelope), with thresholds from the policy. Ours: the signer identity (exact SAN and issuer,
 * where the library would take a regular expression), the leaf's CA and code-signing checks, the
 * scan-time fallback when a private CA signs without any timestamp, and mapping the library's
 * errors onto our rule IDs. Pure: no network, no files.
 */

const OID_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';

type SignatureRule =
  | 'MODEL-SIGNATURE-INVALID'
  | 'MODEL-SIGNATURE-UNTRUSTED-SIGNER';

export type SignerDescription =
  | { kind: 'key'; fingerprint: string }
  | {
      kind: 'certificate';
      subject?: string;
      issuer?: string;
      signingTime: string;
      timeSource: 'transparency-log' | 'timestamp-authority' | 'scan-time';
    };

export type Verification =
  | { ok: true; signer: SignerDescription }
  | {
      ok: false;
      rule: SignatureRule;
      reason: string;
      signer?: SignerDescription;
    };

export { keyFingerprint, PolicyKeyError } from './trustMaterial';

function thresholdsFor(
  trust: PolicyTrust,
  kind: 'key' | 'certificate',
  policy: SignatureThresholds = {},
) {
  const fromRoot = kind === 'certificate' && trust.fromTrustedRoot;
  return {
    tlogThreshold:
      policy.tlog ?? (fromRoot && trust.material.tlogs.length > 0 ? 1 : 0),
    ctlogThreshold:
      kind === 'key'
        ? 0
        : policy.ctlog ??
          (fromRoot && trust.material.ctlogs.length > 0 ? 1 : 0),
    timestampThreshold: policy.timestamp ?? (fromRoot ? 1 : 0),
  };
}

/**
 * A stand-in timestamp at scan time: the library checks a certificate only at the timestamps it
 * has, and a private-CA bundle without a log has none. Only added when the policy requires no
 * timestamp; the library reads a log timestamp's time and log ID and verifies the real entries
 * separately (this one is not among `tlogEntries`).
 */
function withScanTime(entity: SignedEntity, now: Date): SignedEntity {
  const scanTime = {
    logIndex: '0',
    logId: { keyId: Buffer.from('mlgov-scan-time') },
    integratedTime: String(Math.floor(now.getTime() / 1000)),
    inclusionPromise: { signedEntryTimestamp: Buffer.alloc(0) },
    canonicalizedBody: Buffer.alloc(0),
  } as unknown as TransparencyLogEntry;
  return {
    ...entity,
    timestamps: [{ $case: 'transparency-log', tlogEntry: scanTime }],
  };
}

function signingTimeOf(
  entity: SignedEntity,
  now: Date,
): {
  time: Date;
  source: 'transparency-log' | 'timestamp-authority' | 'scan-time';
} {
  for (const timestamp of entity.timestamps) {
    if (timestamp.$case === 'timestamp-authority')
      return {
        time: timestamp.timestamp.signingTime,
        source: 'timestamp-authority',
      };
    if (timestamp.tlogEntry.inclusionPromise)
      return {
        time: new Date(Number(timestamp.tlogEntry.integratedTime) * 1000),
        source: 'transparency-log',
      };
  }
  return { time: now, source: 'scan-time' };
}

const codeOf = (error: unknown) =>
  error instanceof VerificationError ? error.code : undefined;

/** The library's failure as one of our rules, with a reason a release manager can act on. */
function classify(
  error: unknown,
  context: { leafExpiredAt?: string; kind: 'key' | 'certificate' },
): { rule: SignatureRule; reason: string } {
  const message = String((error as Error)?.message ?? error).slice(0, 300);
  const untrusted = (reason: string) => ({
    rule: 'MODEL-SIGNATURE-UNTRUSTED-SIGNER' as const,
    reason,
  });
  const invalid = (reason: string) => ({
    rule: 'MODEL-SIGNATURE-INVALID' as const,
    reason,
  });
  switch (codeOf(error)) {
    case 'SIGNATURE_ERROR':
      return invalid(
        context.kind === 'key'
          ? 'the DSSE signature does not verify with the key'
          : 'the DSSE signature does not verify with the certificate key',
      );
    case 'CERTIFICATE_ERROR':
      if (context.leafExpiredAt) return invalid(context.leafExpiredAt);
      return untrusted(
        /SCT/.test(message)
          ? `the certificate's CT log evidence does not meet the policy: ${message}`
          : 'the certificate chain does not end at a trusted root (trusted_roots or trusted_root)',
      );
    case 'PUBLIC_KEY_ERROR':
      return untrusted(message);
    case 'TLOG_INCLUSION_PROMISE_ERROR':
      return untrusted(
        'the transparency-log entry is not signed by a log the policy trusts (its signed entry timestamp does not verify)',
      );
    case 'TLOG_INCLUSION_PROOF_ERROR':
      return /checkpoint signature/.test(message)
        ? untrusted(
            'the transparency-log checkpoint is not signed by a log the policy trusts',
          )
        : invalid(`the transparency-log inclusion proof fails: ${message}`);
    case 'TLOG_ERROR':
    case 'TIMESTAMP_ERROR':
      return /^expected/.test(message)
        ? untrusted(
            `the bundle lacks the log or timestamp evidence the policy requires: ${message}`,
          )
        : invalid(message);
    case 'TLOG_BODY_ERROR':
      return invalid(
        `the transparency-log entry does not record this envelope: ${message}`,
      );
    default:
      return invalid(`the bundle cannot be verified: ${message}`);
  }
}

/** Why the leaf or a trusted CA certificate is outside its validity at the signing time, if it is. */
function expiryReason(
  entity: SignedEntity,
  material: TrustMaterial,
  when: { time: Date; source: string },
): string | undefined {
  if (entity.key.$case !== 'certificate') return undefined;
  const leaf = entity.key.certificate;
  const issuers = material.certificateAuthorities.flatMap(ca => ca.certChain);
  const candidates = [
    { cert: leaf, name: 'the signing certificate' },
    ...issuers
      .filter(ca => ca.subject.equals(leaf.issuer))
      .map(cert => ({ cert, name: 'the issuing CA certificate' })),
  ];
  const bad = candidates.find(({ cert }) => !cert.validForDate(when.time));
  if (!bad) return undefined;
  return `${
    bad.name
  } is not valid at the signing time ${when.time.toISOString()} (${
    when.source
  }); valid ${bad.cert.notBefore.toISOString()} to ${bad.cert.notAfter.toISOString()}`;
}

/** Leaf checks the library leaves to the caller: an end-entity certificate for code signing. */
function leafProblem(der: Uint8Array): string | undefined {
  let leaf: NodeX509;
  try {
    leaf = new NodeX509(der);
  } catch {
    return 'the bundle certificate is not valid DER X.509';
  }
  if (leaf.ca) return 'the signing certificate is a CA certificate';
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(OID_CODE_SIGNING))
    return 'the signing certificate is not for code signing (extended key usage)';
  return undefined;
}

function checkpointOrigins(entity: SignedEntity): string[] {
  return entity.tlogEntries.flatMap(entry => {
    const envelope = entry.inclusionProof?.checkpoint?.envelope ?? '';
    return [...envelope.matchAll(/\u2014 (\S+) /g)].map(match => match[1]);
  });
}

function verifyCertificateBundle(
  decoded: DecodedBundle,
  entity: SignedEntity,
  trust: PolicyTrust,
  options: SignatureOptions,
  now: Date,
): Verification {
  const rawLeaf = decoded.bundle.verificationMaterial.content;
  let der: Buffer = Buffer.alloc(0);
  if (rawLeaf.$case === 'certificate') der = rawLeaf.certificate.rawBytes;
  else if (rawLeaf.$case === 'x509CertificateChain')
    der = rawLeaf.x509CertificateChain.certificates[0].rawBytes;
  const thresholds = thresholdsFor(trust, 'certificate', options.thresholds);
  const checked =
    entity.timestamps.length === 0 && thresholds.timestampThreshold === 0
      ? withScanTime(entity, now)
      : entity;
  const when = signingTimeOf(entity, now);
  const leafCert =
    entity.key.$case === 'certificate' ? entity.key.certificate : undefined;
  const described: SignerDescription = {
    kind: 'certificate',
    subject: leafCert?.subjectAltName,
    signingTime: when.time.toISOString(),
    timeSource: when.source,
  };
  const material = withCheckpointOrigins(
    trust.material,
    checkpointOrigins(entity),
  );
  let signer: Signer;
  try {
    signer = new Verifier(material, thresholds).verify(checked);
  } catch (error) {
    const { rule, reason } = classify(error, {
      kind: 'certificate',
      leafExpiredAt: expiryReason(entity, material, when),
    });
    return { ok: false, rule, reason, signer: described };
  }
  const issuer = signer.identity?.extensions?.issuer;
  const description: SignerDescription = { ...described, issuer };
  const fail = (rule: SignatureRule, reason: string): Verification => ({
    ok: false,
    rule,
    reason,
    signer: description,
  });
  const problem = leafProblem(der);
  if (problem) return fail('MODEL-SIGNATURE-INVALID', problem);
  // Exact identity match: the library's SAN policy is a regular expression, too easy to get wrong.
  const subject = signer.identity?.subjectAlternativeName;
  const allowed = (options.signers ?? []).some(
    s =>
      (s.subject !== undefined || s.issuer !== undefined) &&
      (s.subject === undefined || s.subject === subject) &&
      (s.issuer === undefined || s.issuer === issuer),
  );
  if (!allowed)
    return fail(
      'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
      `signer ${subject ?? '(no e-mail or URI name)'} from issuer ${
        issuer ?? '(none)'
      } is not an allowed signer`,
    );
  return { ok: true, signer: description };
}

function verifyKeyBundle(
  entity: SignedEntity,
  trust: PolicyTrust,
  options: SignatureOptions,
): Verification {
  if (trust.keys.length === 0)
    return {
      ok: false,
      rule: 'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
      reason:
        'the bundle is signed with a bare key but the policy lists no signer public keys',
    };
  const thresholds = thresholdsFor(trust, 'key', options.thresholds);
  const material = withCheckpointOrigins(
    trust.material,
    checkpointOrigins(entity),
  );
  // The key hint is unsigned, so it selects nothing: every allowed key is tried.
  let other: { rule: SignatureRule; reason: string } | undefined;
  for (const allowed of trust.keys) {
    try {
      new Verifier(withKey(material, allowed), thresholds).verify(entity);
      return {
        ok: true,
        signer: { kind: 'key', fingerprint: allowed.fingerprint },
      };
    } catch (error) {
      // A wrong key fails the signature; anything else (logs, timestamps) fails for every key.
      if (codeOf(error) !== 'SIGNATURE_ERROR')
        other = classify(error, { kind: 'key' });
    }
  }
  if (other) return { ok: false, ...other };
  return {
    ok: false,
    rule: 'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
    reason: `the signature verifies with none of the allowed keys (${trust.keys
      .map(k => k.fingerprint)
      .join(', ')}): signed by someone else, or the envelope was altered`,
  };
}

export function verifyBundle(
  decoded: DecodedBundle,
  options: SignatureOptions,
  now = new Date(),
): Verification {
  const trust = trustFromPolicy(options); // PolicyKeyError: the policy is wrong, not the model
  let entity: SignedEntity;
  try {
    entity = toSignedEntity(decoded.bundle);
  } catch (error) {
    // The library decodes certificates and timestamps here; what it cannot decode is no signature.
    return {
      ok: false,
      rule: 'MODEL-SIGNATURE-INVALID',
      reason: `the bundle's key material cannot be used: ${String(
        (error as Error)?.message,
      ).slice(0, 200)}`,
    };
  }
  try {
    return entity.key.$case === 'certificate'
      ? verifyCertificateBundle(decoded, entity, trust, options, now)
      : verifyKeyBundle(entity, trust, options);
  } catch (error) {
    if (error instanceof PolicyKeyError) throw error;
    return {
      ok: false,
      rule: 'MODEL-SIGNATURE-INVALID',
      reason: `the bundle's key material cannot be used: ${String(
        (error as Error)?.message,
      ).slice(0, 200)}`,
    };
  }
}
