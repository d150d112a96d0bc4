import { createHash } from 'node:crypto';

/**
 * The OpenSSF model-signing format (`model.sig`): a Sigstore bundle (v0.2/v0.3 JSON) whose DSSE
 * envelope carries an in-toto Statement v1 with predicate `https://model_signing/signature/v1.0`
 * (one subject: the model name and a SHA-256 over every resource digest, in order; the predicate
 * lists every file as `{ name, algorithm, digest }`). Parsing here is pure and strict: anything
 * that is not exactly this shape is a reason, never a partial manifest.
 */

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const MODEL_SIGNING_PREDICATE = 'https://model_signing/signature/v1.0';
/** Experimental v0.2 predicate: files listed as subjects, no serialization block. */
export const MODEL_SIGNING_PREDICATE_COMPAT =
  'https://model_signing/Digests/v0.1';
const BUNDLE_MEDIA_TYPE =
  /^application\/vnd\.dev\.sigstore\.bundle(\.v0\.[23]\+json|\+json;version=0\.[23])$/;

/** A bundle larger than this is not a signature (a manifest of 100k files is ~15 MB). */
export const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
export const MAX_RESOURCES = 200_000;

export class BundleFormatError extends Error {}

export interface TlogEntry {
  logIndex: string;
  logIdBase64: string;
  kind: string;
  integratedTime: number;
  canonicalizedBody: string;
  signedEntryTimestamp?: string;
}

export interface ParsedBundle {
  mediaType: string;
  payloadType: string;
  payload: Buffer;
  signature: Buffer;
  /** DER certificates, leaf first (v0.3 `certificate`, v0.2 `x509CertificateChain`). */
  certificates: Buffer[];
  /** `publicKey.hint` when the bundle was signed with a bare key. */
  publicKeyHint?: string;
  tlogEntries: TlogEntry[];
}

export interface SignedResource {
  name: string;
  digestHex: string;
}

export interface ModelManifest {
  modelName: string;
  resources: SignedResource[];
  /** Paths the signer excluded from hashing (`serialization.ignore_paths`). */
  ignorePaths: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function str(value: unknown, what: string): string {
  if (typeof value !== 'string')
    throw new BundleFormatError(`${what} is not a string`);
  return value;
}

function base64(value: unknown, what: string): Buffer {
  const text = str(value, what);
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text))
    throw new BundleFormatError(`${what} is not base64`);
  return Buffer.from(text, 'base64');
}

export function parseBundle(bytes: Uint8Array): ParsedBundle {
  if (bytes.length > MAX_BUNDLE_BYTES)
    throw new BundleFormatError(
      `signature file is larger than ${MAX_BUNDLE_BYTES} bytes`,
    );
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new BundleFormatError('signature file is not JSON');
  }
  if (!isObject(json))
    throw new BundleFormatError('bundle is not a JSON object');
  const mediaType = str(json.mediaType, 'mediaType');
  if (!BUNDLE_MEDIA_TYPE.test(mediaType))
    throw new BundleFormatError(`unsupported bundle media type ${mediaType}`);
  const envelope = json.dsseEnvelope;
  if (!isObject(envelope))
    throw new BundleFormatError('bundle has no dsseEnvelope');
  const signatures = envelope.signatures;
  if (
    !Array.isArray(signatures) ||
    signatures.length !== 1 ||
    !isObject(signatures[0])
  )
    throw new BundleFormatError(
      'DSSE envelope must carry exactly one signature',
    );
  const material = json.verificationMaterial;
  if (!isObject(material))
    throw new BundleFormatError('bundle has no verificationMaterial');
  const certificates: Buffer[] = [];
  if (isObject(material.certificate)) {
    certificates.push(
      base64(material.certificate.rawBytes, 'certificate.rawBytes'),
    );
  } else if (isObject(material.x509CertificateChain)) {
    const chain = material.x509CertificateChain.certificates;
    if (!Array.isArray(chain) || chain.length === 0 || chain.length > 10)
      throw new BundleFormatError(
        'x509CertificateChain must hold 1 to 10 certificates',
      );
    for (const entry of chain)
      certificates.push(
        base64(
          isObject(entry) ? entry.rawBytes : undefined,
          'chain certificate',
        ),
      );
  }
  const publicKeyHint = isObject(material.publicKey)
    ? String(material.publicKey.hint ?? '')
    : undefined;
  if (certificates.length === 0 && publicKeyHint === undefined)
    throw new BundleFormatError(
      'bundle has neither a certificate nor a public key',
    );
  const tlogEntries: TlogEntry[] = [];
  for (const entry of Array.isArray(material.tlogEntries)
    ? material.tlogEntries.slice(0, 10)
    : []) {
    if (!isObject(entry)) continue;
    const time = Number(entry.integratedTime);
    if (!Number.isSafeInteger(time)) continue;
    tlogEntries.push({
      logIndex: String(entry.logIndex ?? ''),
      logIdBase64: isObject(entry.logId) ? String(entry.logId.keyId ?? '') : '',
      kind: isObject(entry.kindVersion)
        ? String(entry.kindVersion.kind ?? '')
        : '',
      integratedTime: time,
      canonicalizedBody: String(entry.canonicalizedBody ?? ''),
      signedEntryTimestamp: isObject(entry.inclusionPromise)
        ? String(entry.inclusionPromise.signedEntryTimestamp ?? '')
        : undefined,
    });
  }
  return {
    mediaType,
    payloadType: str(envelope.payloadType, 'payloadType'),
    payload: base64(envelope.payload, 'payload'),
    signature: base64(signatures[0].sig, 'signature'),
    certificates,
    publicKeyHint,
    tlogEntries,
  };
}

/** DSSE v1 pre-authentication encoding: what the signature is computed over. */
export function dssePae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload,
  ]);
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** The signed file list. Call only on a payload whose signature verified. */
export function parseStatement(
  payloadType: string,
  payload: Buffer,
): ModelManifest {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE)
    throw new BundleFormatError(
      `DSSE payload type is ${payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}`,
    );
  let statement: unknown;
  try {
    statement = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new BundleFormatError('in-toto statement is not JSON');
  }
  if (!isObject(statement) || statement._type !== IN_TOTO_STATEMENT_TYPE)
    throw new BundleFormatError(
      `payload is not an in-toto ${IN_TOTO_STATEMENT_TYPE} statement`,
    );
  const subjects = statement.subject;
  if (!Array.isArray(subjects))
    throw new BundleFormatError('statement has no subject list');
  const resources: SignedResource[] = [];
  const add = (name: unknown, algorithm: unknown, digest: unknown) => {
    if (resources.length >= MAX_RESOURCES)
      throw new BundleFormatError(
        `manifest lists more than ${MAX_RESOURCES} files`,
      );
    if (algorithm !== 'sha256')
      throw new BundleFormatError(
        `resource ${String(name)} uses ${String(
          algorithm,
        )}; only sha256 is verified`,
      );
    const hex = str(digest, 'resource digest').toLowerCase();
    if (!HEX_SHA256.test(hex))
      throw new BundleFormatError(
        `resource ${String(name)} has a malformed digest`,
      );
    resources.push({ name: str(name, 'resource name'), digestHex: hex });
  };
  if (statement.predicateType === MODEL_SIGNING_PREDICATE) {
    if (
      subjects.length !== 1 ||
      !isObject(subjects[0]) ||
      !isObject(subjects[0].digest)
    )
      throw new BundleFormatError(
        'a v1.0 model signature has exactly one subject',
      );
    const predicate = statement.predicate;
    if (!isObject(predicate) || !Array.isArray(predicate.resources))
      throw new BundleFormatError('predicate has no resources list');
    const serialization = isObject(predicate.serialization)
      ? predicate.serialization
      : {};
    if (serialization.method !== undefined && serialization.method !== 'files')
      throw new BundleFormatError(
        `serialization method ${String(
          serialization.method,
        )} is not supported (only "files")`,
      );
    for (const resource of predicate.resources) {
      if (!isObject(resource))
        throw new BundleFormatError('resource is not an object');
      add(resource.name, resource.algorithm, resource.digest);
    }
    // The subject digest commits to the resource list; a statement whose parts disagree is forged or broken.
    const root = createHash('sha256');
    for (const resource of resources)
      root.update(Buffer.from(resource.digestHex, 'hex'));
    if (
      root.digest('hex') !==
      String(subjects[0].digest.sha256 ?? '').toLowerCase()
    )
      throw new BundleFormatError(
        'subject digest does not match the listed resources',
      );
    const ignore = Array.isArray(serialization.ignore_paths)
      ? serialization.ignore_paths.filter(
          (p): p is string => typeof p === 'string',
        )
      : [];
    return {
      modelName: String(subjects[0].name ?? ''),
      resources,
      ignorePaths: ignore,
    };
  }
  if (statement.predicateType === MODEL_SIGNING_PREDICATE_COMPAT) {
    for (const subject of subjects) {
      if (!isObject(subject) || !isObject(subject.digest))
        throw new BundleFormatError('subject is not an object');
      add(subject.name, 'sha256', subject.digest.sha256);
    }
    return { modelName: '', resources, ignorePaths: [] };
  }
  throw new BundleFormatError(
    `predicate type ${String(
      statement.predicateType,
    )} is not a model signature`,
  );
}
