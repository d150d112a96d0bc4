import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_MODEL_API,
  ANNOTATION_PROBE_SUITE,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_SYSTEM_PROMPT,
} from '@ml-governance/plugin-ml-governance-common';
import { modelPinning } from './modelPinning';

/** A model API entity's declaration, validated (docs/model-apis.md). */
export interface ModelApiDeclaration {
  providerId: string;
  model: string;
  modelPinned: boolean;
  pinningReason: string;
  /** Absolute URL of the system prompt, when declared. */
  systemPrompt?: string;
  /** Absolute URL of the probe suite. */
  probeSuite: string;
}

export type DeclarationResult =
  | { ok: true; declaration: ModelApiDeclaration }
  | {
      ok: false;
      error: string;
      /** What the annotation said, bounded, for display. */
      provider: string;
      model: string;
    };

const MAX_ANNOTATION_LENGTH = 2048;
const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,199}$/;
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f\u2028\u2029\uFEFF]/;

/** Whether the prober is concerned with this entity at all (an API of type llm, or the annotation). */
export function declaresModelApi(entity: Entity): boolean {
  return (
    entity.metadata.annotations?.[ANNOTATION_MODEL_API] !== undefined ||
    (entity.kind.toLocaleLowerCase('en-US') === 'api' &&
      entity.spec?.type === 'llm')
  );
}

function display(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}

/** A URL, or a path relative to the entity's source location; undefined when neither works. */
function resolveLocation(
  value: string,
  entity: Entity,
): { url?: string; error?: string } {
  if (value.length > MAX_ANNOTATION_LENGTH || CONTROL_OR_SPACE.test(value))
    return { error: 'contains spaces or control characters, or is too long' };
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    const bare = value.startsWith('url:') ? value.slice(4) : value;
    if (!/^https?:\/\//i.test(bare))
      return { error: 'must be an http(s) URL or a repository path' };
    try {
      return { url: new URL(bare).toString() };
    } catch {
      return { error: 'is not a valid URL' };
    }
  }
  const base = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
  const baseUrl = base?.startsWith('url:') ? base.slice(4) : undefined;
  if (!baseUrl)
    return {
      error: `is a repository path but the entity has no url: ${ANNOTATION_SOURCE_LOCATION} to resolve it against`,
    };
  try {
    const resolved = new URL(value.replace(/^\.\//, ''), baseUrl);
    return { url: resolved.toString() };
  } catch {
    return { error: `cannot be resolved against ${display(baseUrl)}` };
  }
}

/**
 * Validates the entity's declaration against the configured providers. Everything the catalog
 * holds is hostile until checked: values are bounded, and an unusable declaration is an error the
 * prober records, never a silent skip.
 */
export function parseModelApiDeclaration(
  entity: Entity,
  providers: ReadonlySet<string>,
): DeclarationResult {
  const annotations = entity.metadata.annotations ?? {};
  const raw = annotations[ANNOTATION_MODEL_API];
  const fail = (
    error: string,
    provider = '',
    model = '',
  ): DeclarationResult => ({
    ok: false,
    error,
    provider: display(provider),
    model: display(model),
  });
  if (typeof raw !== 'string' || raw.trim() === '')
    return fail(
      `${ANNOTATION_MODEL_API} is missing: declare <provider-id>/<model>`,
    );
  if (raw.length > MAX_ANNOTATION_LENGTH || CONTROL_OR_SPACE.test(raw.trim()))
    return fail(
      `${ANNOTATION_MODEL_API} contains spaces or control characters, or is too long`,
    );
  const value = raw.trim();
  const slash = value.indexOf('/');
  const providerId = slash > 0 ? value.slice(0, slash) : '';
  const model = slash > 0 ? value.slice(slash + 1) : value;
  if (!PROVIDER_ID.test(providerId))
    return fail(
      `${ANNOTATION_MODEL_API} must be <provider-id>/<model>`,
      providerId,
      model,
    );
  if (!MODEL_NAME.test(model))
    return fail(
      `${ANNOTATION_MODEL_API}: the model name must be 1-200 letters, digits or . _ : @ / + -`,
      providerId,
      model,
    );
  if (!providers.has(providerId))
    return fail(
      `${ANNOTATION_MODEL_API}: provider ${providerId} is not configured in mlGovernance.modelApis.providers`,
      providerId,
      model,
    );
  let systemPrompt: string | undefined;
  const promptValue = annotations[ANNOTATION_SYSTEM_PROMPT];
  if (promptValue !== undefined) {
    const resolved = resolveLocation(promptValue.trim(), entity);
    if (!resolved.url)
      return fail(
        `${ANNOTATION_SYSTEM_PROMPT} ${resolved.error}`,
        providerId,
        model,
      );
    systemPrompt = resolved.url;
  }
  const suiteValue = annotations[ANNOTATION_PROBE_SUITE];
  if (suiteValue === undefined || suiteValue.trim() === '')
    return fail(
      `${ANNOTATION_PROBE_SUITE} is missing: nothing to probe the API with`,
      providerId,
      model,
    );
  const suite = resolveLocation(suiteValue.trim(), entity);
  if (!suite.url)
    return fail(`${ANNOTATION_PROBE_SUITE} ${suite.error}`, providerId, model);
  const pinning = modelPinning(model);
  return {
    ok: true,
    declaration: {
      providerId,
      model,
      modelPinned: pinning.pinned,
      pinningReason: pinning.reason,
      systemPrompt,
      probeSuite: suite.url,
    },
  };
}
