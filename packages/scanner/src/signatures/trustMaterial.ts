import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { X509Certificate } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import {
  toTrustMaterial,
  type TrustMaterial,
  VerificationError,
} from '@sigstore/verify';
import type { SignatureOptions } from './options';

/**
 * The trust material `@sigstore/verify` checks a bundle against, built from the policy alone: a
 * Sigstore `trusted_root.json` (Fulcio CAs, Rekor and CT log keys, timestamp authorities) and the
 * PEM shortcuts (`trusted_roots`, `tlog_keys`, `signers[].public_key`) converted into the same
 * shapes. Nothing is fetched: an offline root is the only root.
 */

/** A key in the policy is unusable: a configuration error, reported as such. */
export class PolicyKeyError extends Error {}

const BEGINNING_OF_TIME = new Date(0);
const END_OF_TIME = new Date(8_640_000_000_000_000);
const ALWAYS = { start: BEGINNING_OF_TIME, end: END_OF_TIME };

export function keyFingerprint(key: KeyObject): string {
  return `sha256:${spkiDigest(key).toString('hex')}`;
}

function spkiDigest(key: KeyObject): Buffer {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest();
}

function parsePem(pem: string, what: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new PolicyKeyError(`policy ${what} is not a PEM public key`);
  }
}

function parseCertificatePem(pem: string): X509Certificate {
  try {
    return X509Certificate.parse(pem);
  } catch {
    throw new PolicyKeyError(
      'a signatures.trusted_roots entry is not a PEM certificate',
    );
  }
}

/** A `trusted_root.json` document (protobuf JSON) as the library reads it; throws PolicyKeyError. */
export function parseTrustedRoot(document: unknown): TrustedRoot {
  let root: TrustedRoot;
  try {
    root = TrustedRoot.fromJSON(document);
    // Decode every key and certificate now: a broken root is a policy error, not a bad model.
    toTrustMaterial(root);
  } catch (error) {
    throw new PolicyKeyError(
      `signatures.trusted_root is not a Sigstore trusted root: ${
        (error as Error).message
      }`,
    );
  }
  if (
    !/^application\/vnd\.dev\.sigstore\.trustedroot(\.v0\.\d+)?\+json/.test(
      root.mediaType,
    )
  )
    throw new PolicyKeyError(
      `signatures.trusted_root has media type "${root.mediaType}", not a Sigstore trusted root`,
    );
  return root;
}

export interface AllowedKey {
  key: KeyObject;
  fingerprint: string;
}

export interface PolicyTrust {
  /** Everything but the bare keys, which are tried one by one (see verify.ts). */
  material: TrustMaterial;
  keys: AllowedKey[];
  /** Whether the material came with a full Sigstore trusted root (sets the default thresholds). */
  fromTrustedRoot: boolean;
}

/**
 * Merges the policy's trust sources. PEM `trusted_roots` become one certificate authority valid
 * forever (its chain: every PEM, so a listed intermediate links a leaf to a listed root); each PEM
 * `tlog_keys` entry becomes a log whose ID is the SHA-256 of its key, as Rekor derives log IDs.
 */
export function trustFromPolicy(options: SignatureOptions): PolicyTrust {
  const root =
    options.trustedRoot === undefined
      ? undefined
      : parseTrustedRoot(options.trustedRoot);
  const base = root
    ? toTrustMaterial(root)
    : {
        certificateAuthorities: [],
        timestampAuthorities: [],
        tlogs: [],
        ctlogs: [],
      };
  const pemRoots = (options.trustedRoots ?? []).map(parseCertificatePem);
  const pemLogs = (options.tlogKeys ?? []).map(pem => {
    const publicKey = parsePem(pem, 'signatures.tlog_keys entry');
    return {
      logID: spkiDigest(publicKey),
      // A bare key names no log: its checkpoints are matched by key (see verify.ts), not origin.
      baseURL: '',
      publicKey,
      validFor: ALWAYS,
    };
  });
  const keys = (options.signers ?? [])
    .filter(signer => signer.publicKey !== undefined)
    .map(signer => {
      const key = parsePem(
        signer.publicKey!,
        'signatures.signers[].public_key',
      );
      return { key, fingerprint: keyFingerprint(key) };
    });
  return {
    material: {
      certificateAuthorities: [
        ...base.certificateAuthorities,
        ...(pemRoots.length > 0
          ? [{ certChain: pemRoots, validFor: ALWAYS }]
          : []),
      ],
      timestampAuthorities: base.timestampAuthorities,
      tlogs: [...base.tlogs, ...pemLogs],
      ctlogs: base.ctlogs,
      publicKey: hint => {
        throw new VerificationError({
          code: 'PUBLIC_KEY_ERROR',
          message: `key not found: ${hint}`,
        });
      },
    },
    keys,
    fromTrustedRoot: root !== undefined,
  };
}

/** The same material with one allowed key answering every hint (hints are unsigned, so never trusted). */
export function withKey(
  material: TrustMaterial,
  allowed: AllowedKey,
): TrustMaterial {
  return {
    ...material,
    publicKey: () => ({ publicKey: allowed.key, validFor: () => true }),
  };
}

/** Checkpoint origins must appear in a log's base URL; a bare PEM log key accepts the bundle's own. */
export function withCheckpointOrigins(
  material: TrustMaterial,
  origins: string[],
): TrustMaterial {
  if (!material.tlogs.some(log => log.baseURL === '')) return material;
  const named = origins.join(' ');
  return {
    ...material,
    tlogs: material.tlogs.map(log =>
      log.baseURL === '' ? { ...log, baseURL: named } : log,
    ),
  };
}
