import { createHash } from 'node:crypto';
import type { ArtifactSource } from '@ml-governance/plugin-ml-governance-common';

/** Longest digest stored as it is; a longer one (an odd ETag) is stored as its SHA-256. */
export const MAX_DIGEST_LENGTH = 512;

const COMMIT_SHA = /^[0-9a-f]{40}$/i;
const IMAGE_DIGEST = /@sha256:[0-9a-f]{64}$/i;

/** The source a target's digest comes from, by the target's scheme. */
export function sourceOfTarget(target: string): ArtifactSource {
  if (target.startsWith('file:')) return 'files';
  if (target.startsWith('model-api:')) return 'model-api';
  if (target.startsWith('hf://')) return 'huggingface';
  if (target.startsWith('mlflow://') || target.startsWith('models:/'))
    return 'mlflow';
  if (target.startsWith('s3://')) return 's3';
  if (/^(oci|docker|registry):\/\//.test(target)) return 'image';
  if (target.startsWith('url:') || /^https?:\/\//.test(target)) {
    return /^(?:url:)?https?:\/\/(?:www\.)?huggingface\.co\//.test(target)
      ? 'huggingface'
      : 'url';
  }
  return 'other';
}

/** A resolver digest as the promotion tables key it: as is, or hashed when overlong. */
export function versionDigest(digest: string): string {
  if (digest.length <= MAX_DIGEST_LENGTH) return digest;
  return `sha256:${createHash('sha256').update(digest).digest('hex')}`;
}

/** Why a target is a moving reference, or undefined when it is pinned (or has no notion of a version). */
export interface MovingReference {
  reference: string;
  reason: string;
}

/** Revision-like path segments of code hosts: `/tree/<ref>/`, `/blob/<ref>/`, `/-/tree/<ref>/`, `/raw/<ref>/`. */
const URL_REVISION = /\/(?:-\/)?(?:tree|blob|raw|src)\/([^/?#]+)/;
const MLFLOW_MOVING = /^(?:production|staging|archived|none|latest|champion)$/i;

/**
 * Rules, as data, for the references whose target can change without the annotation changing.
 * Each returns the moving part, or undefined when the target is pinned.
 */
const MOVING_REFERENCE_RULES: {
  applies: (target: string) => boolean;
  moving: (target: string) => MovingReference | undefined;
}[] = [
  {
    applies: target => target.startsWith('hf://'),
    moving: target => {
      const at = target.indexOf('@');
      if (at < 0)
        return {
          reference: 'main',
          reason: 'Hub repository without a revision follows its main branch',
        };
      const revision = target.slice(at + 1);
      return COMMIT_SHA.test(revision)
        ? undefined
        : {
            reference: revision,
            reason: `Hub revision '${revision}' is a branch or tag, not a commit SHA`,
          };
    },
  },
  {
    applies: target => sourceOfTarget(target) === 'huggingface',
    moving: target => {
      const revision = URL_REVISION.exec(target)?.[1];
      if (revision && COMMIT_SHA.test(revision)) return undefined;
      return {
        reference: revision ?? 'main',
        reason: revision
          ? `Hub revision '${revision}' is a branch or tag, not a commit SHA`
          : 'Hub URL without /tree/<commit> follows its main branch',
      };
    },
  },
  {
    applies: target => sourceOfTarget(target) === 'mlflow',
    moving: target => {
      const selector = target.replace(/^(mlflow:\/\/|models:\/)/, '');
      const alias = selector.includes('@')
        ? selector.slice(selector.lastIndexOf('@') + 1)
        : undefined;
      const last = alias ?? selector.split('/').pop() ?? '';
      if (!alias && /^\d+$/.test(last)) return undefined;
      let reason = `MLflow selector '${last}' is not a version number`;
      if (alias)
        reason = `MLflow alias '${alias}' can be moved to another version`;
      else if (MLFLOW_MOVING.test(last))
        reason = `MLflow stage '${last}' names whichever version is in it`;
      return { reference: last, reason };
    },
  },
  {
    applies: target => sourceOfTarget(target) === 'image',
    moving: target => {
      if (IMAGE_DIGEST.test(target)) return undefined;
      const path = target.replace(/^[a-z]+:\/\//, '');
      const lastPart = path.split('/').pop() ?? '';
      const tag = lastPart.includes(':')
        ? lastPart.slice(lastPart.indexOf(':') + 1)
        : 'latest';
      return {
        reference: tag,
        reason: `Image tag '${tag}' without @sha256: digest can be pushed over`,
      };
    },
  },
  {
    applies: target => sourceOfTarget(target) === 'url',
    moving: target => {
      const revision = URL_REVISION.exec(target)?.[1];
      if (!revision || COMMIT_SHA.test(revision)) return undefined;
      return {
        reference: revision,
        reason: `URL follows branch or tag '${revision}', not a commit SHA`,
      };
    },
  },
];

/** The moving part of a target, if any (`file:` checkouts and `s3://` prefixes have no version syntax). */
export function movingReference(target: string): MovingReference | undefined {
  const rule = MOVING_REFERENCE_RULES.find(candidate =>
    candidate.applies(target),
  );
  return rule?.moving(target);
}
