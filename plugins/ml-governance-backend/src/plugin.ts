import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import type { FormatReader, ProjectAnalyzer } from '@ml-governance/scanner';
import { mlGovernancePermissions } from '@ml-governance/plugin-ml-governance-common';
import {
  mlGovernanceScannerExtensionPoint,
  mlGovernanceTargetResolverExtensionPoint,
  type TargetResolver,
} from '@ml-governance/plugin-ml-governance-node';
import { registerMlGovernanceActions } from './actions';
import { registerPromotionActions } from './actions/promotionActions';
import { readMlGovernanceConfig } from './config';
import { DatabaseMlGovernanceStore } from './database/DatabaseMlGovernanceStore';
import { DatabaseModelApiProbeStore } from './database/DatabaseModelApiProbeStore';
import { DatabasePromotionStore } from './database/DatabasePromotionStore';
import { createModelApis } from './modelApis/createModelApis';
import { readModelApisConfig } from './modelApis/modelApisConfig';
import { EntityAccess } from './permissions/EntityAccess';
import { mlGovernanceEntityResourceRef } from './permissions/resource';
import { mlGovernanceEntityRules } from './permissions/rules';
import { PolicyRegistry } from './policy/PolicyRegistry';
import { StaleImportReportService } from './reports/StaleImportReportService';
import { DefaultArtifactScanner } from './scanning/ArtifactScanner';
import { FileTargetResolver } from './scanning/FileTargetResolver';
import { RemoteTargetResolver } from './scanning/RemoteTargetResolver';
import { ImageTargetResolver } from './scanning/ImageTargetResolver';
import { readImageRegistriesConfig } from './scanning/imageRegistriesConfig';
import { readRemoteSourcesConfig } from './scanning/remoteSourcesConfig';
import { UrlTargetResolver } from './scanning/UrlTargetResolver';
import { AcceptanceService } from './service/AcceptanceService';
import { mlGovernanceClockServiceRef } from './service/clock';
import { DecisionService } from './service/DecisionService';
import { NotificationServiceNotifier } from './service/Notifier';
import { NotificationServicePromotionNotifier } from './service/PromotionNotifier';
import { PromotionService } from './service/PromotionService';
import { createRouter } from './service/router';
import { ScanService } from './service/ScanService';
import { SummaryService } from './service/SummaryService';
import { registerScheduledTasks } from './scheduler/tasks';

/**
 * ML Governance backend: scans ML entities from the catalog, stores findings and release decisions,
 * runs the risk-acceptance workflow and serves the API under `/api/ml-governance`.
 *
 * @public
 */
export const mlGovernancePlugin = createBackendPlugin({
  pluginId: 'ml-governance',
  register(env) {
    const readers: FormatReader[] = [];
    const analyzers: ProjectAnalyzer[] = [];
    const extraResolvers: TargetResolver[] = [];
    env.registerExtensionPoint(mlGovernanceScannerExtensionPoint, {
      addReader: (...added) => readers.push(...added),
      addAnalyzer: (...added) => analyzers.push(...added),
    });
    env.registerExtensionPoint(mlGovernanceTargetResolverExtensionPoint, {
      addTargetResolver: (...added) => extraResolvers.push(...added),
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        urlReader: coreServices.urlReader,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        notifications: notificationService,
        clock: mlGovernanceClockServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const config = readMlGovernanceConfig(deps.config);
        const clock = () => deps.clock.now();
        const remoteSources = readRemoteSourcesConfig(deps.config);
        const imageRegistries = readImageRegistriesConfig(deps.config);

        // Waits for another replica migrating the same database at the same moment.
        const store = await DatabaseMlGovernanceStore.create({
          database: deps.database,
          logger: deps.logger,
        });
        deps.permissionsRegistry.addResourceType({
          resourceRef: mlGovernanceEntityResourceRef,
          permissions: mlGovernancePermissions,
          rules: Object.values(mlGovernanceEntityRules),
          getResources: async refs => {
            const entities = await store.listEntities({ entityRefs: refs });
            const byRef = new Map(entities.map(e => [e.entityRef, e]));
            return refs.map(ref => {
              const entity = byRef.get(ref);
              return entity
                ? {
                    entityRef: entity.entityRef,
                    kind: entity.kind,
                    owner: entity.owner,
                  }
                : undefined;
            });
          },
        });

        const policies = new PolicyRegistry(config.policies);
        const notifier = new NotificationServiceNotifier(
          deps.notifications,
          deps.logger,
        );
        const decisions = new DecisionService(store, policies, clock);
        // Same database and migrations directory: the store above has already migrated it.
        const promotionStore = await DatabasePromotionStore.create({
          database: deps.database,
          skipMigrations: true,
        });
        const promotionNotifier = new NotificationServicePromotionNotifier(
          deps.notifications,
          deps.logger,
        );
        const promotions = new PromotionService({
          store,
          promotions: promotionStore,
          decisions,
          notifier: promotionNotifier,
          clock,
          logger: deps.logger,
          approvers: config.approvers,
        });
        const scans = new ScanService({
          store,
          catalog: deps.catalog,
          auth: deps.auth,
          logger: deps.logger,
          scanner: new DefaultArtifactScanner({
            limits: config.scanning.limits,
            readers,
            analyzers,
            remoteSources,
            imageRegistries,
          }),
          resolvers: [
            ...extraResolvers,
            new ImageTargetResolver(imageRegistries),
            new RemoteTargetResolver(remoteSources),
            new UrlTargetResolver(deps.urlReader),
            new FileTargetResolver({
              allowedRoots: config.scanning.allowedFileRoots,
            }),
          ],
          policies,
          decisions,
          notifier,
          clock,
          promotions,
          concurrency: config.concurrency,
          leaseMs: config.leaseMs,
          ciFreshForMs: config.ciFreshForMs,
          claimBatchSize: config.claimBatchSize,
        });
        const acceptances = new AcceptanceService({
          store,
          decisions,
          notifier,
          clock,
          approvers: config.approvers,
          maxDays: config.acceptance.maxDays,
          reminderDays: config.acceptance.reminderDays,
        });
        const reports = new StaleImportReportService({
          store,
          notifier,
          clock,
          staleDependencyRules: config.reports.staleDependencyRules,
          undeclaredImportRules: config.reports.undeclaredImportRules,
          quarterDays: config.reports.longOpenDays,
        });

        if (config.recountCountersOnStartup) {
          await store.recountCounters();
          deps.logger.info(
            'Dashboard counters rebuilt from findings and entities',
          );
        }

        // Runs a crashed replica left `running` are marked abandoned now, not only at the next round.
        await scans.markAbandonedRuns();

        const modelApisConfig = readModelApisConfig(deps.config);
        const modelApis = createModelApis({
          config: modelApisConfig,
          catalog: deps.catalog,
          auth: deps.auth,
          urlReader: deps.urlReader,
          store,
          probeRuns: await DatabaseModelApiProbeStore.create({
            database: deps.database,
          }),
          promotions: promotionStore,
          notifier: promotionNotifier,
          decisions,
          auditor: deps.auditor,
          logger: deps.logger,
          clock,
        });

        await registerScheduledTasks({
          scheduler: deps.scheduler,
          logger: deps.logger,
          config,
          store,
          scans,
          acceptances,
          reports,
          clock,
          modelApis: { prober: modelApis.prober, config: modelApisConfig },
        });

        const summaries = new SummaryService(store, decisions, clock);
        registerMlGovernanceActions({
          actionsRegistry: deps.actionsRegistry,
          auth: deps.auth,
          userInfo: deps.userInfo,
          access: new EntityAccess(deps.permissions, deps.permissionsRegistry),
          store,
          summaries,
          decisions,
        });
        registerPromotionActions({
          actionsRegistry: deps.actionsRegistry,
          auth: deps.auth,
          userInfo: deps.userInfo,
          access: new EntityAccess(deps.permissions, deps.permissionsRegistry),
          store,
          promotions,
        });

        deps.httpRouter.use(
          await createRouter({
            auth: deps.auth,
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            permissions: deps.permissions,
            permissionsRegistry: deps.permissionsRegistry,
            auditor: deps.auditor,
            store,
            summaries,
            scans,
            acceptances,
            reports,
            promotions,
            modelApis: { catalog: deps.catalog, series: modelApis.series },
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
