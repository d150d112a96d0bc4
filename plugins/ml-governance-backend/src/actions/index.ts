import type {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  mlGovernanceAcceptanceDecidePermission,
  mlGovernanceFindingReadPermission,
  mlGovernanceGateReadPermission,
} from '@ml-governance/plugin-ml-governance-common';
import { getRule } from '@ml-governance/scanner';
import type { MlGovernanceStore } from '../database/MlGovernanceStore';
import type { EntityAccess } from '../permissions/EntityAccess';
import type { DecisionService } from '../service/DecisionService';
import { publicJson } from '../service/publicView';
import { parseEntityRefInput } from '../service/requestGuards';
import type { SummaryService } from '../service/SummaryService';

export interface MlGovernanceActionsOptions {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  userInfo: UserInfoService;
  access: EntityAccess;
  store: MlGovernanceStore;
  summaries: SummaryService;
  decisions: DecisionService;
}

/** JSON-safe copy as readers may see it (the registry validates outputs as plain JSON objects). */
const asJson = <T>(value: T): any => JSON.parse(publicJson(value));

/**
 * Actions for assistants (MCP through the actions registry). Each performs the same permission checks
 * as the route that serves the same data, with the caller's own credentials: an assistant can never
 * see more than its user could in the portal.
 */
export function registerMlGovernanceActions(
  options: MlGovernanceActionsOptions,
): void {
  const {
    actionsRegistry,
    auth,
    userInfo,
    access,
    store,
    summaries,
    decisions,
  } = options;

  async function readableEntity(
    credentials: BackstageCredentials,
    entityRef: string,
    ...permissions: Parameters<EntityAccess['require']>[1][]
  ) {
    const entity = await summaries.requireEntity(
      parseEntityRefInput(entityRef),
    );
    for (const permission of permissions)
      await access.require(credentials, permission, entity);
    return entity;
  }

  actionsRegistry.register({
    name: 'get-release-blockers',
    title: 'What blocks the release of an ML entity',
    description: `Returns the ML Governance release decision of a catalog entity (BLOCK, TICKET, PASS or UNKNOWN),
the policy's reasons, and each blocking finding with its rule, severity, location and any pending risk-acceptance
request. Use it to answer "what blocks the release of X" or "why does the CI gate fail for X".
Needs the same permissions as the portal's gate and findings views (ml-governance.gate.read and ml-governance.finding.read).`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .max(255)
            .describe('Entity ref, e.g. resource:default/fraud-model'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          decision: z.enum(['BLOCK', 'TICKET', 'PASS', 'UNKNOWN']),
          reasons: z.array(z.string()),
          lastScanAt: z.string().optional(),
          blocking: z.array(z.object({}).passthrough()),
        }),
    },
    action: async ({ input, credentials }) => {
      const entity = await readableEntity(
        credentials,
        input.entityRef,
        mlGovernanceGateReadPermission,
        mlGovernanceFindingReadPermission,
      );
      const [gate, evaluated] = await Promise.all([
        summaries.gate(entity),
        decisions.evaluate(entity),
      ]);
      const byFingerprint = new Map(
        evaluated.findings.map(f => [f.fingerprint, f]),
      );
      const blocking = gate.blocking.map(item => {
        const finding = byFingerprint.get(item.fingerprint);
        return {
          ...item,
          location: finding?.location,
          message: finding?.message,
          fix: finding?.fix,
        };
      });
      return {
        output: asJson({
          entityRef: gate.entityRef,
          decision: gate.decision,
          reasons: evaluated.evaluation.reasons,
          ...(gate.lastScanAt ? { lastScanAt: gate.lastScanAt } : {}),
          blocking,
        }),
      };
    },
  });

  actionsRegistry.register({
    name: 'list-acceptances-to-decide',
    title: 'Open risk-acceptance requests I can decide',
    description: `Lists the risk-acceptance requests waiting for a decision that the calling user may approve or reject:
requests on entities the user may read, never the user's own requests (nobody decides their own). Empty for users
without the ml-governance.acceptance.decide permission. Each item has the entity, the finding fingerprint or rule,
the justification, the checklist, the requested expiry and the revision to quote when deciding.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .max(255)
            .optional()
            .describe('Only requests on this entity'),
        }),
      output: z =>
        z.object({ acceptances: z.array(z.object({}).passthrough()) }),
    },
    action: async ({ input, credentials }) => {
      if (!auth.isPrincipal(credentials, 'user'))
        throw new NotAllowedError('Only users decide risk acceptances');
      const readable = await access.filter(
        credentials,
        mlGovernanceFindingReadPermission,
      );
      if (
        !(await access.can(credentials, mlGovernanceAcceptanceDecidePermission))
      )
        return { output: { acceptances: [] } };
      const { userEntityRef } = await userInfo.getUserInfo(credentials);
      const entityRef = input.entityRef
        ? parseEntityRefInput(input.entityRef)
        : undefined;
      const list = await store.listAcceptances({
        status: ['requested'],
        notRequestedBy: userEntityRef,
        ...(entityRef ? { entityRef } : {}),
      });
      return { output: { acceptances: asJson(list.filter(readable)) } };
    },
  });

  actionsRegistry.register({
    name: 'explain-finding',
    title: 'Why a finding has its severity',
    description: `Explains one ML Governance finding of an entity: the finding (message, location, evidence the scanner
recorded), the rule behind it (description, CWE and OWASP LLM IDs, default severity, fix) and how the entity's policy
weighed it (effective severity, whether the policy changed it, whether it blocks, waits for a ticket or passes, and any
acceptance or allow entry covering it). Use it to answer "why is this finding high". Needs ml-governance.finding.read.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .max(255)
            .describe('Entity ref, e.g. resource:default/fraud-model'),
          fingerprint: z
            .string()
            .regex(/^[0-9a-f]{8,128}$/)
            .describe(
              'The finding fingerprint (from findings or get-release-blockers)',
            ),
        }),
      output: z =>
        z.object({
          finding: z.object({}).passthrough(),
          rule: z.object({}).passthrough(),
          policy: z.object({}).passthrough(),
        }),
    },
    action: async ({ input, credentials }) => {
      const entity = await readableEntity(
        credentials,
        input.entityRef,
        mlGovernanceFindingReadPermission,
      );
      const finding = await store.getFinding(
        entity.entityRef,
        input.fingerprint,
      );
      if (!finding)
        throw new NotFoundError(
          `No finding ${input.fingerprint} on ${entity.entityRef}`,
        );
      const rule = getRule(finding.ruleId);
      const evaluated = (await decisions.evaluate(entity)).evaluation;
      const weighed = evaluated.findings.find(
        f => f.fingerprint === finding.fingerprint,
      );
      return {
        output: asJson({
          finding,
          rule: {
            id: rule.id,
            title: rule.title,
            category: rule.category,
            defaultSeverity: rule.severity,
            description: rule.description,
            cwe: rule.cwe,
            owaspLlm: rule.owaspLlm,
            fix: rule.fix,
          },
          policy: {
            policyName: entity.policyName ?? 'default',
            failOn: evaluated.failOn,
            ticketOn: evaluated.ticketOn,
            effectiveSeverity: weighed?.severity ?? finding.severity,
            ...(weighed?.originalSeverity
              ? { severityChangedByPolicyFrom: weighed.originalSeverity }
              : {}),
            outcome:
              weighed?.outcome ??
              (finding.status === 'resolved' ? 'PASS' : 'UNKNOWN'),
            ...(weighed?.acceptedBy ? { acceptedBy: weighed.acceptedBy } : {}),
            ...(weighed?.suppressed
              ? { suppressedBy: weighed.suppressed }
              : {}),
          },
        }),
      };
    },
  });
}
