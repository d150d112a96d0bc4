/**
 * Cosign signatures on an image's manifest digest, as `cosign sign --key` stores them: a manifest
 * under the tag `sha256-<hex>.sig` in the same repository whose layers are simple-signing payloads
 * (`application/vnd.dev.cosign.simplesigning.v1+json`), each with its base64 signature in the
 * `dev.cosignproject.cosign/signature` annotation. A signature counts only when it verifies with a
 * configured public key AND its payload names this very digest and repository: a signature copied
 * from another image, or a payload edited to name a tampered manifest, is invalid.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Signal } from '../model/evidence';
import { keyFingerprint } from '../signatures/trustMaterial';
import { ImageReadError, type ImageLimits } from './limits';
import type { RegistryStore } from './registry';

export const SIMPLE_SIGNING_MEDIA_TYPE =
  'application/vnd.dev.cosign.simplesigning.v1+json';
export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
const COSIGN_PAYLOAD_TYPE = 'cosign container image signature';
/** A signature manifest with more layers than this is not one cosign wrote. */
const MAX_SIGNATURE_LAYERS = 32;

/** @public */
export interface ImageSignatureOptions {
  /** An image without a valid signature by one of the keys is a blocking finding. */
  required?: boolean;
  /** PEM public keys (cosign.pub: ECDSA P-256, or Ed25519) whose signatures are trusted. */
  publicKeys?: string[];
}

export class ImageSignatureKeyError extends Error {}

/** ECDSA curves cosign keys use, with the hash each signs with. */
const ECDSA_HASH_BY_CURVE: Record<string, string> = {
  prime256v1: 'sha256',
  secp384r1: 'sha384',
  secp521r1: 'sha512',
};

/** True when `signature` is valid over `data` for this key (P-256/384/521 ECDSA DER, Ed25519). */
function verifyWithKey(
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

export function signatureTag(manifestDigest: string): string {
  return `${manifestDigest.replace(':', '-')}.sig`;
}

/** The simple-signing payload cosign signs for `repository@digest`. */
export function simpleSigningPayload(
  dockerReference: string,
  manifestDigest: string,
): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': dockerReference },
        image: { 'docker-manifest-digest': manifestDigest },
        type: COSIGN_PAYLOAD_TYPE,
      },
      optional: null,
    }),
  );
}

function parseKeys(pems: readonly string[]): KeyObject[] {
  return pems.map(pem => {
    try {
      return createPublicKey(pem);
    } catch {
      throw new ImageSignatureKeyError(
        'an image signature public key is not a PEM public key',
      );
    }
  });
}

type Outcome =
  | { ok: true; fingerprint: string }
  | {
      ok: false;
      rule: 'IMAGE-SIGNATURE-INVALID' | 'IMAGE-SIGNATURE-UNTRUSTED-SIGNER';
      reason: string;
    };

function checkPayload(
  payload: Uint8Array,
  manifestDigest: string,
  dockerReference: string,
): string | undefined {
  let document: any;
  try {
    document = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return 'the signed payload is not JSON';
  }
  const critical = document?.critical;
  if (critical?.type !== COSIGN_PAYLOAD_TYPE)
    return `the signed payload is not a ${COSIGN_PAYLOAD_TYPE}`;
  const signedDigest = critical?.image?.['docker-manifest-digest'];
  if (signedDigest !== manifestDigest)
    return `the signature is for manifest ${String(signedDigest).slice(
      0,
      80,
    )}, not ${manifestDigest}: the manifest changed after signing or the signature was copied from another image`;
  const identity = critical?.identity?.['docker-reference'];
  if (identity !== dockerReference)
    return `the signature names repository ${String(identity).slice(
      0,
      200,
    )}, not ${dockerReference}`;
  return undefined;
}

function verifyLayer(
  layer: any,
  payload: Uint8Array,
  keys: KeyObject[],
  manifestDigest: string,
  dockerReference: string,
): Outcome {
  const encoded = layer?.annotations?.[COSIGN_SIGNATURE_ANNOTATION];
  if (typeof encoded !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded))
    return {
      ok: false,
      rule: 'IMAGE-SIGNATURE-INVALID',
      reason: 'a signature layer has no base64 signature annotation',
    };
  const signature = Buffer.from(encoded, 'base64');
  const key = keys.find(k => verifyWithKey(k, Buffer.from(payload), signature));
  if (!key)
    return {
      ok: false,
      rule: 'IMAGE-SIGNATURE-UNTRUSTED-SIGNER',
      reason:
        keys.length === 0
          ? 'the image is signed but no image signature public key is configured'
          : `the signature verifies with none of the configured keys (${keys
              .map(keyFingerprint)
              .join(', ')}): another signer, or the payload was altered`,
    };
  // Only a payload whose signature verified is read for what it claims.
  const problem = checkPayload(payload, manifestDigest, dockerReference);
  return problem
    ? { ok: false, rule: 'IMAGE-SIGNATURE-INVALID', reason: problem }
    : { ok: true, fingerprint: keyFingerprint(key) };
}

/**
 * Signals for the image signature of `manifestDigest`: IMAGE-SIGNATURE-VERIFIED (informational,
 * with the signer's key fingerprint) when one signature is valid; otherwise the most telling
 * failure, and IMAGE-SIGNATURE-MISSING when the policy requires a signature and there is none.
 */
export async function checkImageSignature(
  store: RegistryStore,
  manifestDigest: string,
  options: ImageSignatureOptions,
  limits: ImageLimits,
): Promise<Signal[]> {
  const keys = parseKeys(options.publicKeys ?? []);
  const dockerReference = `${store.host}/${store.repository}`;
  const tag = signatureTag(manifestDigest);
  const signal = (
    ruleId: string,
    message: string,
    evidence: Record<string, string> = {},
  ): Signal => ({
    ruleId,
    message,
    location: { path: '.' },
    evidence: {
      image: `${dockerReference}@${manifestDigest}`,
      signatureTag: tag,
      ...evidence,
    },
    key: `${ruleId}:${manifestDigest}`,
  });
  let found;
  try {
    found = await store.manifestIfPresent(tag);
  } catch (error) {
    if (!(error instanceof ImageReadError)) throw error;
    return [
      signal(
        'IMAGE-SIGNATURE-INVALID',
        `the signature manifest ${tag} cannot be read: ${error.message}`,
      ),
    ];
  }
  if (!found)
    return options.required
      ? [
          signal(
            'IMAGE-SIGNATURE-MISSING',
            `${dockerReference}@${manifestDigest} has no cosign signature (${tag}), and the policy requires signed images`,
          ),
        ]
      : [];
  let manifest: any;
  try {
    manifest = JSON.parse(Buffer.from(found.bytes).toString('utf8'));
  } catch {
    return [
      signal(
        'IMAGE-SIGNATURE-INVALID',
        `the signature manifest ${tag} is not JSON`,
      ),
    ];
  }
  const layers: any[] = Array.isArray(manifest?.layers)
    ? manifest.layers.filter(
        (l: any) => l?.mediaType === SIMPLE_SIGNING_MEDIA_TYPE,
      )
    : [];
  if (layers.length === 0 || layers.length > MAX_SIGNATURE_LAYERS)
    return [
      signal(
        'IMAGE-SIGNATURE-INVALID',
        `the signature manifest ${tag} holds ${layers.length} simple-signing layers (expected 1 to ${MAX_SIGNATURE_LAYERS})`,
      ),
    ];
  const failures: Outcome[] = [];
  for (const layer of layers) {
    let payload: Uint8Array;
    try {
      if (typeof layer.size === 'number' && layer.size > limits.maxJsonBytes)
        throw new ImageReadError(
          'the signed payload is larger than maxJsonBytes',
        );
      payload = await store.blob(String(layer.digest));
      if (payload.length > limits.maxJsonBytes)
        throw new ImageReadError(
          'the signed payload is larger than maxJsonBytes',
        );
    } catch (error) {
      if (!(error instanceof ImageReadError)) throw error;
      failures.push({
        ok: false,
        rule: 'IMAGE-SIGNATURE-INVALID',
        reason: error.message,
      });
      continue;
    }
    const outcome = verifyLayer(
      layer,
      payload,
      keys,
      manifestDigest,
      dockerReference,
    );
    if (outcome.ok)
      return [
        signal(
          'IMAGE-SIGNATURE-VERIFIED',
          `${dockerReference}@${manifestDigest} is signed by key ${outcome.fingerprint}`,
          { signerKey: outcome.fingerprint },
        ),
      ];
    failures.push(outcome);
  }
  // An invalid signature (altered or for another image) says more than an unknown signer.
  const worst =
    failures.find(f => !f.ok && f.rule === 'IMAGE-SIGNATURE-INVALID') ??
    failures[0];
  if (worst.ok) return [];
  return [
    signal(worst.rule, `${dockerReference}@${manifestDigest}: ${worst.reason}`),
  ];
}
