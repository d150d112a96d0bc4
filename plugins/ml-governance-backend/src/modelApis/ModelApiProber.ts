import { createHash, randomUUID } from 'node:crypto';
import type {
  AuditorService,
  AuthService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ModelApiAlert } from '@ml-governance/plugin-ml-governance-common';
import type { MlGovernanceStore } from '../database/MlGovernanceStore';
import type {
  ModelApiProbeRun,
  ModelApiProbeStore,
} from '../database/ModelApiProbeStore';
import type { PromotionStore } from '../database/PromotionStore';
import type { DecisionService } from '../service/DecisionService';
import type { PromotionNotifier } from '../service/PromotionNotifier';
import type { Clock } from '../service/clock';
import { MODEL_API_CATALOG_FILTER } from './catalogFilter';
import {
  parseModelApiDeclaration,
  type ModelApiDeclaration,
} from './declaration';
import { computeBaseline, declarationAlerts, deviationAlerts } from './drift';
import type { ModelApiClient } from './ModelApiClient';
import type { ModelApisConfig } from './modelApisConfig';
import { parseProbeSuite } from './probeSuite';
import { runProbes } from './probeRun';
import { readDocument } from './readDocument';
import type { SimilarityMeasure } from './similarityMeasures';

const PROBER_ACTOR = 'system:ml-governance-prober';
const PAGE_SIZE = 100;
/** Runs looked back through for the previous observation (error runs observe nothing). */
const PREVIOUS_LOOKBACK = 20;

export interface ModelApiProberOptions {
  catalog: CatalogService;
  auth: AuthService;
  urlReader: UrlReaderService;
  store: MlGovernanceStore;
  probeRuns: ModelApiProbeStore;
  promotions: PromotionStore;
  notifier: PromotionNotifier;
  decisions: DecisionService;
  auditor: AuditorService;
  logger: LoggerService;
  clock: Clock;
  config: ModelApisConfig;
  clients: Map<string, ModelApiClient>;
  similarity: SimilarityMeasure;
}

/** The promotion target and version digest of a declaration: what the gate is asked about. */
export function modelApiVersion(
  declaration: Pick<ModelApiDeclaration, 'providerId' | 'model'>,
  systemPromptDigest: string | undefined,
): { target: string; digest: string } {
  const hash = createHash('sha256')
    .update(
      `${declaration.providerId}\n${declaration.model}\n${
        systemPromptDigest ?? ''
      }`,
    )
    .digest('hex');
  return {
    target: `model-api:${declaration.providerId}/${declaration.model}`,
    digest: `model-api:sha256:${hash}`,
  };
}

/**
 * The scheduled prober of third-party model APIs: per entity it reads the declared system prompt
 * and probe suite, runs the suite, compares the run with its version's baseline, stores it, and
 * moves the API's version in the promotion lifecycle — quarantined on any alert, evaluated once
 * enough healthy runs form a baseline.
 */
export class ModelApiProber {
  constructor(private readonly options: ModelApiProberOptions) {}

  /** Probes every declaring entity of the catalog; one entity's failure never stops the others. */
  async runAll(): Promise<{ probed: number; alerted: number }> {
    const { catalog, auth, logger } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    let cursor: string | undefined;
    let probed = 0;
    let alerted = 0;
    do {
      const page = await catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : { filter: MODEL_API_CATALOG_FILTER, limit: PAGE_SIZE },
        { credentials },
      );
      for (const entity of page.items) {
        try {
          const run = await this.probeEntity(entity);
          probed += 1;
          if (run.alerts.length > 0) alerted += 1;
        } catch (error) {
          logger.error(
            `Model API probe of ${stringifyEntityRef(entity)} failed: ${error}`,
          );
        }
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return { probed, alerted };
  }

  async probeEntity(entity: Entity): Promise<ModelApiProbeRun> {
    const { config, clients, clock } = this.options;
    const entityRef = stringifyEntityRef(entity);
    const startedAt = clock().toISOString();
    const parsed = parseModelApiDeclaration(
      entity,
      new Set(config.providers.keys()),
    );
    if (!parsed.ok)
      return this.recordFailure(
        entityRef,
        startedAt,
        parsed.provider,
        parsed.model,
        false,
        `Declaration unusable: ${parsed.error}`,
      );
    const declaration = parsed.declaration;
    const fail = (error: string, promptDigest?: string) =>
      this.recordFailure(
        entityRef,
        startedAt,
        declaration.providerId,
        declaration.model,
        declaration.modelPinned,
        error,
        declaration,
        promptDigest,
      );

    let systemPrompt: { text: string; digest: string } | undefined;
    if (declaration.systemPrompt) {
      try {
        systemPrompt = await readDocument(
          this.options.urlReader,
          declaration.systemPrompt,
          config.maxDocumentBytes,
        );
      } catch (error) {
        return fail(
          `System prompt unreadable at ${declaration.systemPrompt}: ${String(
            error,
          ).slice(0, 300)}`,
        );
      }
    }
    let suiteText: string;
    try {
      suiteText = (
        await readDocument(
          this.options.urlReader,
          declaration.probeSuite,
          config.maxDocumentBytes,
        )
      ).text;
    } catch (error) {
      return fail(
        `Probe suite unreadable at ${declaration.probeSuite}: ${String(
          error,
        ).slice(0, 300)}`,
        systemPrompt?.digest,
      );
    }
    const suite = parseProbeSuite(suiteText, { maxProbes: config.maxProbes });
    if (!suite.ok)
      return fail(`Probe suite refused: ${suite.error}`, systemPrompt?.digest);

    const version = modelApiVersion(declaration, systemPrompt?.digest);
    await this.recordSighting(entityRef, version, startedAt);
    const outcome = await runProbes({
      probes: suite.probes,
      client: clients.get(declaration.providerId)!,
      model: declaration.model,
      systemPrompt: systemPrompt?.text,
      similarity: this.options.similarity,
    });
    const previous = (
      await this.options.probeRuns.listRuns(entityRef, PREVIOUS_LOOKBACK)
    ).find(run => run.error === undefined);
    const healthy = await this.options.probeRuns.listHealthyMeasures(
      entityRef,
      version.digest,
      config.baseline.window,
    );
    const baseline = computeBaseline(healthy, config.baseline);
    const alerts: ModelApiAlert[] = declarationAlerts({
      ...declaration,
      observedModel: outcome.observedModel,
      systemPromptDigest: systemPrompt?.digest,
      previous,
      probes: outcome.probes,
      errors: outcome.errors,
      firstError: outcome.firstError,
    });
    if (outcome.observedModels.length > 1)
      alerts.push({
        kind: 'model-version',
        message: `The provider answered with several models in one run: ${outcome.observedModels.join(
          ', ',
        )}`,
      });
    if (outcome.errors < outcome.probes)
      alerts.push(
        ...deviationAlerts(outcome, baseline, config.baseline.thresholdSigma),
      );
    const run: ModelApiProbeRun = {
      id: randomUUID(),
      entityRef,
      versionDigest: version.digest,
      providerId: declaration.providerId,
      model: declaration.model,
      modelPinned: declaration.modelPinned,
      systemPromptLocation: declaration.systemPrompt,
      systemPromptDigest: systemPrompt?.digest,
      startedAt,
      finishedAt: clock().toISOString(),
      probes: outcome.probes,
      errors: outcome.errors,
      latencyMs: outcome.latencyMs,
      similarity: outcome.similarity,
      refusalRate: outcome.refusalRate,
      observedModel: outcome.observedModel,
      healthy: alerts.length === 0 && outcome.errors === 0,
      alerts,
      results: outcome.results,
    };
    await this.options.probeRuns.insertRun(run);
    if (alerts.length > 0) {
      const digests = new Set([version.digest]);
      if (previous && previous.versionDigest !== version.digest)
        digests.add(previous.versionDigest);
      await this.quarantine(entityRef, [...digests], alerts);
    } else if (run.healthy && healthy.length + 1 >= config.baseline.minRuns) {
      await this.evaluate(entityRef, version.digest, startedAt);
    }
    return run;
  }

  /** A run that could not probe: stored with its error (an alert), and the API's versions quarantined. */
  private async recordFailure(
    entityRef: string,
    startedAt: string,
    providerId: string,
    model: string,
    modelPinned: boolean,
    error: string,
    declaration?: ModelApiDeclaration,
    systemPromptDigest?: string,
  ): Promise<ModelApiProbeRun> {
    const alerts: ModelApiAlert[] = [{ kind: 'probe-errors', message: error }];
    const run: ModelApiProbeRun = {
      id: randomUUID(),
      entityRef,
      versionDigest: declaration
        ? modelApiVersion(declaration, systemPromptDigest).digest
        : 'model-api:undeclared',
      providerId: providerId.slice(0, 64),
      model: model.slice(0, 255),
      modelPinned,
      systemPromptLocation: declaration?.systemPrompt,
      systemPromptDigest,
      startedAt,
      finishedAt: this.options.clock().toISOString(),
      probes: 0,
      errors: 0,
      latencyMs: 0,
      similarity: 0,
      refusalRate: 0,
      healthy: false,
      alerts,
      results: [],
      error,
    };
    await this.options.probeRuns.insertRun(run);
    const current = (await this.options.promotions.listVersions(entityRef))
      .filter(version => version.source === 'model-api' && version.current)
      .map(version => version.digest);
    await this.quarantine(entityRef, current, alerts);
    return run;
  }

  private async recordSighting(
    entityRef: string,
    version: { target: string; digest: string },
    at: string,
  ): Promise<void> {
    const state = await this.options.store.getEntity(entityRef);
    if (!state) return;
    await this.options.promotions.recordSighting({
      entityRef,
      entityKind: state.kind,
      entityOwner: state.owner,
      target: version.target,
      digest: version.digest,
      source: 'model-api',
      at,
    });
  }

  /** Enough healthy runs of this version: it is evaluated, with the entity's current decision. */
  private async evaluate(
    entityRef: string,
    digest: string,
    at: string,
  ): Promise<void> {
    const state = await this.options.store.getEntity(entityRef);
    if (!state) return;
    const { decision } = await this.options.decisions.evaluate(state);
    await this.options.promotions.recordEvaluation({
      entityRef,
      digest,
      decision,
      at,
    });
  }

  private async quarantine(
    entityRef: string,
    digests: string[],
    alerts: ModelApiAlert[],
  ): Promise<void> {
    const { promotions, notifier, auditor, clock, logger } = this.options;
    const reason = `Model API probe: ${alerts
      .map(alert => `[${alert.kind}] ${alert.message}`)
      .join('; ')}`;
    for (const digest of digests) {
      const event = await auditor.createEvent({
        eventId: 'model-api-requarantine',
        severityLevel: 'medium',
        meta: { entityRef, digest, alerts: alerts.map(alert => alert.kind) },
      });
      try {
        const version = await promotions.requarantine({
          entityRef,
          digest,
          actor: PROBER_ACTOR,
          at: clock().toISOString(),
          reason,
        });
        await event.success({ meta: { moved: Boolean(version) } });
        if (!version) continue;
        const state = await this.options.store.getEntity(entityRef);
        await notifier.requarantined(version, reason, [state?.owner]);
        logger.warn(`${entityRef} ${digest} back in quarantine: ${reason}`);
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }
    }
  }
}
