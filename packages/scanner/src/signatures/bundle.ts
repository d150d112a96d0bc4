import { createHash } from 'node:crypto';
import {
  bundleFromJSON,
  isBundleWithDsseEnvelope,
  ValidationError,
  type BundleWithDsseEnvelope,
} from '@sigstore/bundle';

/**
 * The OpenSSF model-signing format (`model.sig`): a Sigstore bundle whose DSSE envelope carries an
 * in-toto Statement v1 with predicate `https://model_signing/signature/v1.0` (one subject: the
 * model name and a SHA-256 over every resource digest, in order; the predicate lists every file as
 * `{ name, algorithm, digest }`). The bundle itself is decoded and validated by `@sigstore/bundle`;
 * the statement is ours, parsed strictly: anything that is not exactly this shape is a reason,
 * never a partial manifest.
 */

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const MODEL_SIGNING_PREDICATE = 'https://model_signing/signature/v1.0';
/** Experimental v0.2 predicate: files listed as subjects, no serialization block. */
export const MODEL_SIGNING_PREDICATE_COMPAT =
  'https://model_signing/Digests/v0.1';

/** A bundle larger than this is not a signature (a manifest of 100k files is ~15 MB). */
export const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
export const MAX_RESOURCES = 200_000;
/** Certificates in a v0.2 chain, and log entries: more than any signer writes. */
const MAX_CERTIFICATES = 10;
const MAX_TLOG_ENTRIES = 10;

export class BundleFormatError extends Error {}

export interface DecodedBundle {
  bundle: BundleWithDsseEnvelope;
  payloadType: string;
  payload: Buffer;
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

/** Counts the library does not bound, checked on the JSON before it is decoded. */
function checkCounts(json: Record<string, unknown>) {
  const material = isObject(json.verificationMaterial)
    ? json.verificationMaterial
    : {};
  const chain = isObject(material.x509CertificateChain)
    ? material.x509CertificateChain.certificates
    : undefined;
  if (Array.isArray(chain) && chain.length > MAX_CERTIFICATES)
    throw new BundleFormatError(
      `x509CertificateChain must hold 1 to ${MAX_CERTIFICATES} certificates`,
    );
  const entries = material.tlogEntries;
  if (Array.isArray(entries) && entries.length > MAX_TLOG_ENTRIES)
    throw new BundleFormatError(
      `bundle carries more than ${MAX_TLOG_ENTRIES} transparency-log entries`,
    );
}

/**
 * A model-signing bundle decoded and validated by `@sigstore/bundle` (media type, the fields each
 * bundle version requires, exactly one DSSE signature). Ours: the size and count limits, and
 * insisting on a DSSE envelope, which is what model signing writes.
 */
export function decodeBundle(bytes: Uint8Array): DecodedBundle {
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
  checkCounts(json);
  let bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (error) {
    const fields =
      error instanceof ValidationError && error.fields.length > 0
        ? ` (${error.fields.slice(0, 5).join(', ')})`
        : '';
    throw new BundleFormatError(
      `not a valid Sigstore bundle: ${String((error as Error)?.message).slice(
        0,
        200,
      )}${fields}`,
    );
  }
  if (!isBundleWithDsseEnvelope(bundle))
    throw new BundleFormatError(
      'the bundle signs a message digest, not a DSSE envelope: not a model signature',
    );
  const envelope = bundle.content.dsseEnvelope;
  return {
    bundle,
    payloadType: envelope.payloadType,
    payload: Buffer.from(envelope.payload),
  };
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
