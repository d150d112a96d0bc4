/**
 * Catalog annotations that opt an entity in. Locations use Backstage's `url:` / `file:` target syntax,
 * comma-separated; relative `file:` paths resolve against the entity's own catalog-info location.
 *
 * @public
 */
export const ANNOTATION_ARTIFACTS = 'ml-governance.io/artifacts';
/**
 * Source and dependency manifests to scan; defaults to `backstage.io/source-location`.
 *
 * @public
 */
export const ANNOTATION_SOURCE = 'ml-governance.io/source';
/**
 * Name of a stricter policy from config (`mlGovernance.policies.<name>`).
 *
 * @public
 */
export const ANNOTATION_POLICY = 'ml-governance.io/policy';
/**
 * Pinned SHA-256 digests, `path=hex` comma-separated; a mismatch is critical.
 *
 * @public
 */
export const ANNOTATION_SHA256 = 'ml-governance.io/sha256';
/**
 * Backstage's source location annotation, scanned when no ML Governance target is declared.
 *
 * @public
 */
export const ANNOTATION_SOURCE_LOCATION = 'backstage.io/source-location';
/**
 * Container images that ship the entity, comma-separated: `registry/repo:tag` or `registry/repo@sha256:…`
 * (an `oci://` prefix is optional). Read from registries in `mlGovernance.sources.registries` only.
 *
 * @public
 */
export const ANNOTATION_IMAGE = 'ml-governance.io/image';

/**
 * Entity kinds/types the suite scans: models and datasets (training and RAG data enters the pipeline
 * like a model does), and the components that load them or are notebook repositories.
 *
 * @public
 */
export const ML_ENTITY_FILTER = [
  { kind: 'Resource', 'spec.type': ['ai-model', 'ml-model', 'dataset'] },
  { kind: 'Component', 'spec.type': ['model-server', 'service', 'notebooks'] },
];

/**
 * A third-party model API the entity calls: `<provider-id>/<model>`, the provider id naming an entry
 * of `mlGovernance.modelApis.providers` (credentials live there, never in annotations).
 *
 * @public
 */
export const ANNOTATION_MODEL_API = 'ml-governance.io/model-api';
/**
 * Where the model API's system prompt lives (a URL, or a path relative to
 * `backstage.io/source-location`), read through the backend's UrlReader so it is versioned like code.
 *
 * @public
 */
export const ANNOTATION_SYSTEM_PROMPT = 'ml-governance.io/system-prompt';
/**
 * The model API's probe suite (YAML or JSON: prompts with reference answers; docs/model-apis.md).
 *
 * @public
 */
export const ANNOTATION_PROBE_SUITE = 'ml-governance.io/probe-suite';
