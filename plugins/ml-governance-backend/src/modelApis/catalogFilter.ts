import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { ANNOTATION_MODEL_API } from '@ml-governance/plugin-ml-governance-common';

/**
 * The catalog entities the model API prober looks at (docs/model-apis.md): every API of type
 * `llm`, and any entity that declares a model API. The scan round syncs them too.
 */
export const MODEL_API_CATALOG_FILTER: Record<string, string | symbol>[] = [
  { kind: 'API', 'spec.type': 'llm' },
  { [`metadata.annotations.${ANNOTATION_MODEL_API}`]: CATALOG_FILTER_EXISTS },
];
