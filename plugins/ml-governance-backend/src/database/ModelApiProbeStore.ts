import type { ModelApiAlert } from '@ml-governance/plugin-ml-governance-common';
import type { RunMeasures } from '../modelApis/drift';

/** What one probe of a run gave (answers kept as a bounded excerpt). */
export interface ProbeResult {
  id: string;
  kind: string;
  latencyMs?: number;
  similarity?: number;
  refused?: boolean;
  refusalRule?: string;
  error?: string;
  answerExcerpt?: string;
}

/** One probe run of an entity's model API. */
export interface ModelApiProbeRun extends RunMeasures {
  id: string;
  entityRef: string;
  versionDigest: string;
  providerId: string;
  model: string;
  modelPinned: boolean;
  systemPromptLocation?: string;
  systemPromptDigest?: string;
  startedAt: string;
  finishedAt: string;
  probes: number;
  errors: number;
  observedModel?: string;
  /** No alert and no error: the run counts towards its version's baseline. */
  healthy: boolean;
  alerts: ModelApiAlert[];
  results: ProbeResult[];
  error?: string;
}

/** Persistence of model API probe runs (docs/model-apis.md). */
export interface ModelApiProbeStore {
  insertRun(run: ModelApiProbeRun): Promise<void>;
  /** The newest `limit` runs of the entity, newest first. */
  listRuns(entityRef: string, limit: number): Promise<ModelApiProbeRun[]>;
  /** Measures of the newest `limit` healthy runs of one version, newest first (the baseline). */
  listHealthyMeasures(
    entityRef: string,
    versionDigest: string,
    limit: number,
  ): Promise<RunMeasures[]>;
}
