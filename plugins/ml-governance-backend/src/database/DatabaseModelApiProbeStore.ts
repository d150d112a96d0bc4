import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { RunMeasures } from '../modelApis/drift';
import type {
  ModelApiProbeRun,
  ModelApiProbeStore,
} from './ModelApiProbeStore';
import {
  storableJson,
  storableRow,
  storableText,
  withStorableArguments,
} from './storableText';

const RUNS = 'mlgov_model_api_probe_runs';

function optional<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

function measuresOf(row: any): RunMeasures {
  return {
    latencyMs: Number(row.latency_ms),
    similarity: Number(row.similarity),
    refusalRate: Number(row.refusal_rate),
  };
}

function runFromRow(row: any): ModelApiProbeRun {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    versionDigest: row.version_digest,
    providerId: row.provider_id,
    model: row.model,
    modelPinned: Boolean(row.model_pinned),
    systemPromptLocation: optional(row.system_prompt_location),
    systemPromptDigest: optional(row.system_prompt_digest),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    probes: Number(row.probes),
    errors: Number(row.errors),
    ...measuresOf(row),
    observedModel: optional(row.observed_model),
    healthy: Boolean(row.healthy),
    alerts: JSON.parse(row.alerts),
    results: JSON.parse(row.results),
    error: optional(row.error),
  };
}

/** Finite or 0: NaN and Infinity have no portable column value (and mean "not measured" here). */
function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

/**
 * The knex implementation of {@link ModelApiProbeStore} (SQLite and PostgreSQL). The tables are
 * created by the plugin's migrations, which DatabaseMlGovernanceStore runs.
 */
export class DatabaseModelApiProbeStore implements ModelApiProbeStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<ModelApiProbeStore> {
    return withStorableArguments(
      new DatabaseModelApiProbeStore(await options.database.getClient()),
    );
  }

  constructor(private readonly db: Knex) {}

  async insertRun(run: ModelApiProbeRun): Promise<void> {
    await this.db(RUNS).insert(
      storableRow({
        id: run.id,
        entity_ref: run.entityRef,
        version_digest: run.versionDigest,
        provider_id: run.providerId,
        model: run.model,
        model_pinned: run.modelPinned,
        system_prompt_location: run.systemPromptLocation ?? null,
        system_prompt_digest: run.systemPromptDigest ?? null,
        started_at: run.startedAt,
        finished_at: run.finishedAt,
        probes: run.probes,
        errors: run.errors,
        latency_ms: finite(run.latencyMs),
        similarity: finite(run.similarity),
        refusal_rate: finite(run.refusalRate),
        observed_model: run.observedModel ?? null,
        healthy: run.healthy,
        alerts: storableJson(run.alerts),
        results: storableJson(run.results),
        error: run.error ?? null,
      }),
    );
  }

  async listRuns(
    entityRef: string,
    limit: number,
  ): Promise<ModelApiProbeRun[]> {
    const rows = await this.db(RUNS)
      .where('entity_ref', storableText(entityRef))
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(runFromRow);
  }

  async listHealthyMeasures(
    entityRef: string,
    versionDigest: string,
    limit: number,
  ): Promise<RunMeasures[]> {
    const rows = await this.db(RUNS)
      .where({
        entity_ref: storableText(entityRef),
        version_digest: storableText(versionDigest),
        healthy: true,
      })
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .select('latency_ms', 'similarity', 'refusal_rate');
    return rows.map(measuresOf);
  }
}
