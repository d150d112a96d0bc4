import {
  createHash,
  createPublicKey,
  verify,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { dssePae, type ParsedBundle } from './bundle';
import { certificateExtensions, derString } from './der';
import type { AllowedSigner, SignatureOptions } from './options';

/**
 * Who signed a bundle, checked against the policy: the DSSE signature over the PAE, the certificate
 * chain to an offline trusted root at the signing time, and the signer's identity. Pure: no
 * network, no files; the options carry every key and root.
 */

const OID_FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const OID_FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const MAX_CHAIN = 10;
/** ECDSA curves model_signing uses, with the hash each is signed with. */
const ECDSA_HASH_BY_CURVE: Record<string, string> = {
  prime256v1: 'sha256',
  secp384r1: 'sha384',
  secp521r1: 'sha512',
};

export type SignerDescription =
  | { kind: 'key'; fingerprint: string }
  | {
      kind: 'certificate';
      subject?: string;
      issuer?: string;
      signingTime: string;
      timeSource: 'transparency-log' | 'scan-time';
    };

export type Verification =
  | { ok: true; signer: SignerDescription }
  | {
      ok: false;
      rule: 'MODEL-SIGNATURE-INVALID' | 'MODEL-SIGNATURE-UNTRUSTED-SIGNER';
      reason: string;
      signer?: SignerDescription;
    };

export function keyFingerprint(key: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

/** True when `signature` is valid over `data` for this key (P-256/384/521 ECDSA DER, Ed25519). */
export function verifyWithKey(
  key: KeyObject,
  data: Buffer,
  signature: Buffer,
): boolean {
  try {
    if (key.asymmetricKeyType === 'ed25519')
      return verify(null, data, key, signature);
    if (key.asymmetricKeyType !== 'ec') return false;
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const hash = curve ? ECDSA_HASH_BY_CURVE[curve] : undefined;
    return hash !== undefined && verify(hash, data, key, signature);
  } catch {
    return false; // a malformed signature is not a valid one
  }
}

/** A key in the policy is unusable: a configuration error, reported as such. */
export class PolicyKeyError extends Error {}

function parsePem(pem: string, what: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new PolicyKeyError(`policy ${what} is not a PEM public key`);
  }
}

function subjectAltNames(cert: X509Certificate): string[] {
  const names: string[] = [];
  for (const match of (cert.subjectAltName ?? '').matchAll(
    /(?:^|, )(email|URI):("(?:[^"\\]|\\.)*"|[^,]*)/g,
  )) {
    const value = match[2];
    names.push(value.startsWith('"') ? (JSON.parse(value) as string) : value);
  }
  return names;
}

function oidcIssuer(cert: X509Certificate): string | undefined {
  try {
    const extensions = certificateExtensions(cert.raw);
    const v2 = extensions.get(OID_FULCIO_ISSUER_V2);
    if (v2) return derString(v2);
    const v1 = extensions.get(OID_FULCIO_ISSUER_V1);
    return v1 ? Buffer.from(v1).toString('utf8') : undefined;
  } catch {
    return undefined;
  }
}

const validAt = (cert: X509Certificate, time: Date) =>
  new Date(cert.validFrom) <= time && time <= new Date(cert.validTo);

/** The integrated time of a log entry whose signed timestamp verifies and that records this envelope. */
function verifiedLogTime(
  bundle: ParsedBundle,
  tlogKeys: KeyObject[],
): Date | undefined {
  const payloadHash = createHash('sha256').update(bundle.payload).digest('hex');
  for (const entry of bundle.tlogEntries) {
    if (!entry.signedEntryTimestamp || entry.kind !== 'dsse') continue;
    const canonical = JSON.stringify({
      body: entry.canonicalizedBody,
      integratedTime: entry.integratedTime,
      logID: Buffer.from(entry.logIdBase64, 'base64').toString('hex'),
      logIndex: Number(entry.logIndex),
    });
    const set = Buffer.from(entry.signedEntryTimestamp, 'base64');
    if (!tlogKeys.some(key => verifyWithKey(key, Buffer.from(canonical), set)))
      continue;
    try {
      const body = JSON.parse(
        Buffer.from(entry.canonicalizedBody, 'base64').toString('utf8'),
      );
      const signatures: unknown[] = body?.spec?.signatures ?? [];
      const bindsSignature = signatures.some(
        s =>
          (s as { signature?: string })?.signature ===
          bundle.signature.toString('base64'),
      );
      if (body?.spec?.payloadHash?.value === payloadHash && bindsSignature)
        return new Date(entry.integratedTime * 1000);
    } catch {
      // an unreadable body proves nothing
    }
  }
  return undefined;
}

function verifyCertificateBundle(
  bundle: ParsedBundle,
  options: SignatureOptions,
  now: Date,
): Verification {
  let chain: X509Certificate[];
  let roots: X509Certificate[];
  try {
    chain = bundle.certificates.map(der => {
      const cert = new X509Certificate(der);
      // OpenSSL ignores bytes after the certificate; a bundle with any is not what was signed.
      if (!cert.raw.equals(der)) throw new Error('trailing bytes');
      return cert;
    });
  } catch {
    return {
      ok: false,
      rule: 'MODEL-SIGNATURE-INVALID',
      reason: 'the bundle certificate is not valid DER X.509',
    };
  }
  try {
    roots = (options.trustedRoots ?? []).map(pem => new X509Certificate(pem));
  } catch {
    return {
      ok: false,
      rule: 'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
      reason: 'a trusted root in the policy is not a PEM certificate',
    };
  }
  const tlogKeys = (options.tlogKeys ?? []).map(pem =>
    parsePem(pem, 'signatures.tlog_keys entry'),
  );
  const leaf = chain[0];
  const logTime = verifiedLogTime(bundle, tlogKeys);
  const signingTime = logTime ?? now;
  const signer: SignerDescription = {
    kind: 'certificate',
    subject: subjectAltNames(leaf)[0],
    issuer: oidcIssuer(leaf),
    signingTime: signingTime.toISOString(),
    timeSource: logTime ? 'transparency-log' : 'scan-time',
  };
  const fail = (
    rule: 'MODEL-SIGNATURE-INVALID' | 'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
    reason: string,
  ): Verification => ({ ok: false, rule, reason, signer });

  if (
    !verifyWithKey(
      leaf.publicKey,
      dssePae(bundle.payloadType, bundle.payload),
      bundle.signature,
    )
  )
    return fail(
      'MODEL-SIGNATURE-INVALID',
      'the DSSE signature does not verify with the certificate key',
    );
  if (leaf.ca)
    return fail(
      'MODEL-SIGNATURE-INVALID',
      'the signing certificate is a CA certificate',
    );
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(OID_CODE_SIGNING))
    return fail(
      'MODEL-SIGNATURE-INVALID',
      'the signing certificate is not for code signing (extended key usage)',
    );

  // Walk up: each certificate must be issued and signed by the next, ending at a trusted root.
  const path = [leaf];
  const issuerOf = (child: X509Certificate, candidates: X509Certificate[]) =>
    candidates.find(c => child.checkIssued(c) && child.verify(c.publicKey));
  let anchored = false;
  while (path.length <= MAX_CHAIN) {
    const current = path[path.length - 1];
    const root = issuerOf(current, roots);
    if (root) {
      path.push(root);
      anchored = true;
      break;
    }
    const next = issuerOf(
      current,
      chain.slice(1).filter(c => c.ca && !path.includes(c)),
    );
    if (!next) break;
    path.push(next);
  }
  if (!anchored)
    return fail(
      'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
      roots.length === 0
        ? 'the bundle is signed with a certificate but the policy lists no trusted roots'
        : 'the certificate chain does not end at a trusted root',
    );
  for (const cert of path)
    if (!validAt(cert, signingTime))
      return fail(
        'MODEL-SIGNATURE-INVALID',
        `certificate "${cert.subject.replace(
          /\n/g,
          ', ',
        )}" is not valid at the signing time ${signingTime.toISOString()} (${
          signer.timeSource
        }); valid ${cert.validFrom} to ${cert.validTo}`,
      );

  const allowed = (options.signers ?? []).filter(
    s => s.subject !== undefined || s.issuer !== undefined,
  );
  const names = subjectAltNames(leaf);
  const match = allowed.some(
    s =>
      (s.subject === undefined || names.includes(s.subject)) &&
      (s.issuer === undefined || s.issuer === signer.issuer),
  );
  if (!match)
    return fail(
      'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
      `signer ${names.join(', ') || '(no e-mail or URI name)'} from issuer ${
        signer.issuer ?? '(none)'
      } is not an allowed signer`,
    );
  return { ok: true, signer };
}

function verifyKeyBundle(
  bundle: ParsedBundle,
  signers: AllowedSigner[],
): Verification {
  const keys = signers
    .filter(s => s.publicKey)
    .map(s => parsePem(s.publicKey!, 'signatures.signers[].public_key'));
  if (keys.length === 0)
    return {
      ok: false,
      rule: 'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
      reason:
        'the bundle is signed with a bare key but the policy lists no signer public keys',
    };
  const pae = dssePae(bundle.payloadType, bundle.payload);
  const key = keys.find(k => verifyWithKey(k, pae, bundle.signature));
  if (!key)
    return {
      ok: false,
      rule: 'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
      reason: `the signature verifies with none of the allowed keys (${keys
        .map(keyFingerprint)
        .join(', ')}): signed by someone else, or the envelope was altered`,
    };
  return {
    ok: true,
    signer: { kind: 'key', fingerprint: keyFingerprint(key) },
  };
}

export function verifyBundle(
  bundle: ParsedBundle,
  options: SignatureOptions,
  now = new Date(),
): Verification {
  try {
    return bundle.certificates.length > 0
      ? verifyCertificateBundle(bundle, options, now)
      : verifyKeyBundle(bundle, options.signers ?? []);
  } catch (error) {
    if (error instanceof PolicyKeyError) throw error; // the policy is wrong, not the model
    // OpenSSL rejects what it cannot decode (a public key off the curve, a broken extension): not a signature.
    return {
      ok: false,
      rule: 'MODEL-SIGNATURE-INVALID',
      reason: `the bundle's key material cannot be used: ${
        (error as Error).message
      }`,
    };
  }
}
