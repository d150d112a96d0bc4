import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  notificationService,
  type NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  AuthorizeResult,
  isResourcePermission,
  type Permission,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';
import {
  ML_GOVERNANCE_ENTITY_RESOURCE_TYPE,
  mlGovernanceAcceptanceDecidePermission,
  mlGovernanceAcceptanceRequestPermission,
  mlGovernanceFindingReadPermission,
  mlGovernanceGateReadPermission,
  mlGovernancePromotionApprovePermission,
  mlGovernancePromotionRequestPermission,
  mlGovernanceScanReportPermission,
} from '@ml-governance/plugin-ml-governance-common';
import { mlGovernancePlugin } from '../plugin';
import { MALICIOUS_PICKLE, modelEntity } from './testData';

export { MALICIOUS_PICKLE };
import {
  createMlGovernanceConditionalDecision,
  mlGovernanceConditions,
} from '../permissions/conditions';
import { mlGovernanceClockServiceRef } from '../service/clock';

export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';
export const CAROL = 'user:default/carol';
export const MALLORY = 'user:default/mallory';
/** Owns fraud-model and is an approver: may request, may decide others' requests, never his own. */
export const DAVE = 'user:default/dave';

/** Ownership claims of the test users, as the sign-in resolver would issue them. */
export const CLAIMS: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/fraud'],
  [BOB]: [BOB, 'group:default/ml-security'],
  [CAROL]: [CAROL, 'group:default/ml-security'],
  [MALLORY]: [MALLORY, 'group:default/vision'],
  [DAVE]: [DAVE, 'group:default/fraud', 'group:default/ml-security'],
};

/** Permissions that non-approvers hold only on entities they own. */
const OWNER_ONLY = new Set([
  mlGovernanceFindingReadPermission.name,
  mlGovernanceGateReadPermission.name,
  mlGovernanceScanReportPermission.name,
]);

/**
 * The example portal's policy in miniature: approvers (ml-security) decide and read everything;
 * everyone else reads and requests only for what they own. Service principals never reach it:
 * Backstage decides them from their token's access restrictions (see permissionsFactory below).
 */
export function testPolicy(
  permission: Permission,
  credentials: BackstageCredentials,
): PolicyDecision {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
  };
  if (principal.type !== 'user') return { result: AuthorizeResult.ALLOW };
  const claims = CLAIMS[principal.userEntityRef!] ?? [principal.userEntityRef!];
  const approver = claims.includes('group:default/ml-security');
  if (
    permission.name === mlGovernanceAcceptanceDecidePermission.name ||
    permission.name === mlGovernancePromotionApprovePermission.name
  ) {
    return { result: approver ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  }
  if (
    isResourcePermission(permission) &&
    (permission.name === mlGovernanceAcceptanceRequestPermission.name ||
      permission.name === mlGovernancePromotionRequestPermission.name ||
      (OWNER_ONLY.has(permission.name) && !approver))
  ) {
    return createMlGovernanceConditionalDecision(
      permission as ResourcePermission<
        typeof ML_GOVERNANCE_ENTITY_RESOURCE_TYPE
      >,
      mlGovernanceConditions.isEntityOwner({ claims }),
    );
  }
  return { result: AuthorizeResult.ALLOW };
}

/** A small example catalog rooted in a temp dir, with real files to scan. */
export function createExampleCatalog(): { root: string; entities: Entity[] } {
  const root = mkdtempSync(join(tmpdir(), 'mlgov-test-'));
  mkdirSync(join(root, 'models'));
  writeFileSync(join(root, 'models', 'scorer.pkl'), MALICIOUS_PICKLE);
  mkdirSync(join(root, 'clean'));
  writeFileSync(
    join(root, 'clean', 'README.md'),
    '# A model card without a model\n',
  );
  mkdirSync(join(root, 'pinned'));
  writeFileSync(
    join(root, 'pinned', 'README.md'),
    '# Weights published elsewhere\n',
  );
  const catalogFile = join(root, 'catalog-info.yaml');
  const entity = (name: string, owner: string, artifacts: string) =>
    modelEntity({ name, owner, catalogFile, artifacts });
  return {
    root,
    entities: [
      entity('fraud-model', 'group:default/fraud', 'file:./models'),
      entity('clean-model', 'group:default/vision', 'file:./clean'),
      entity('broken-model', 'group:default/fraud', 'file:./does-not-exist'),
      entity('outside-model', 'group:default/fraud', 'file:/etc'),
      // Pinned to a digest the file does not have: a swapped artifact.
      modelEntity({
        name: 'pinned-model',
        owner: 'group:default/vision',
        catalogFile,
        artifacts: 'file:./pinned',
        annotations: {
          'ml-governance.io/sha256': `README.md=${'0'.repeat(64)}`,
        },
      }),
    ],
  };
}

export interface TestHarness {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  notifications: jest.Mocked<NotificationService>;
  clock: { now: Date };
  runTask(id: string): Promise<void>;
  stop(): Promise<void>;
}

const FAR = { frequency: { hours: 24 }, timeout: { minutes: 5 } };

export async function startMlGovernanceBackend(options: {
  entities: Entity[];
  allowedFileRoots: string[];
  extraFeatures?: Parameters<typeof startTestBackend>[0]['features'];
  /** Extra top-level config (e.g. `backend.auth`). */
  rootConfig?: JsonObject;
  /** Extra keys under `mlGovernance` (e.g. `modelApis`). */
  mlGovernance?: JsonObject;
  /** A database from TestDatabases (default: the test backend's in-memory SQLite). */
  database?: Knex;
}): Promise<TestHarness> {
  const clock = { now: new Date('2026-03-01T10:00:00.000Z') };
  const notifications = {
    send: jest.fn(async () => {}),
  } as unknown as jest.Mocked<NotificationService>;
  const scheduler = mockServices.scheduler.mock();

  // Users go to the test policy; service principals (external-access tokens, plugins) to Backstage's own
  // permission client, which decides them locally from the token's accessRestrictions — so a test of a
  // gate-only token exercises the real restriction logic, not a copy of it.
  const permissionsFactory = createServiceFactory({
    service: coreServices.permissions,
    deps: {
      auth: coreServices.auth,
      config: coreServices.rootConfig,
      discovery: coreServices.discovery,
    },
    factory({ auth, config, discovery }) {
      const backstage = ServerPermissionClient.fromConfig(config, {
        auth,
        discovery,
      });
      const isService = (credentials: BackstageCredentials) =>
        auth.isPrincipal(credentials, 'service');
      return {
        async authorize(requests, opts) {
          if (opts && isService(opts.credentials))
            return backstage.authorize(requests, opts);
          return requests.map(r => {
            const decision = testPolicy(r.permission, opts!.credentials);
            return decision.result === AuthorizeResult.CONDITIONAL
              ? { result: AuthorizeResult.DENY }
              : decision;
          }) as any;
        },
        async authorizeConditional(requests, opts) {
          if (opts && isService(opts.credentials))
            return backstage.authorizeConditional(requests, opts);
          return requests.map(r =>
            testPolicy(r.permission, opts!.credentials),
          ) as any;
        },
      };
    },
  });

  const backend = await startTestBackend({
    features: [
      mlGovernancePlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => notifications,
      }),
      createServiceFactory({
        service: mlGovernanceClockServiceRef,
        deps: {},
        factory: () => ({ now: () => clock.now }),
      }),
      permissionsFactory,
      // Ownership claims as the sign-in resolver issues them (the owner sign-off reads them).
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          async getUserInfo(credentials: BackstageCredentials) {
            const { userEntityRef } = credentials.principal as {
              userEntityRef: string;
            };
            return {
              userEntityRef,
              ownershipEntityRefs: CLAIMS[userEntityRef] ?? [userEntityRef],
            };
          },
        }),
      }),
      scheduler.factory,
      ...(options.database
        ? [mockServices.database.factory({ knex: options.database })]
        : []),
      mockServices.rootConfig.factory({
        data: {
          mlGovernance: {
            schedule: FAR,
            reports: { schedule: FAR },
            approvers: ['group:default/ml-security'],
            policies: { strict: { fail_on: 'medium', ticket_on: 'info' } },
            scanning: { allowedFileRoots: options.allowedFileRoots },
            ...options.mlGovernance,
          },
          ...options.rootConfig,
        },
      }),
      ...(options.extraFeatures ?? []),
    ],
  });

  return {
    server: backend.server,
    notifications,
    clock,
    async runTask(id: string) {
      const call = scheduler.scheduleTask.mock.calls.find(
        ([task]) => task.id === id,
      );
      if (!call) throw new Error(`No scheduled task ${id}`);
      await call[0].fn(new AbortController().signal);
    },
    stop: () => backend.stop(),
  };
}
