import {
  TestDatabases,
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { SEVERITIES } from '@ml-governance/plugin-ml-governance-common';
import { DatabaseMlGovernanceStore } from './DatabaseMlGovernanceStore';
import type { MlGovernanceStore } from './MlGovernanceStore';
import { FindingCountersStore } from './FindingCountersStore';
import { PolicyRegistry } from '../policy/PolicyRegistry';
import { DecisionService } from '../service/DecisionService';
import { recordDailyHistory } from '../scheduler/tasks';
import { entityRecord, scannedFinding } from '../__testUtils__/testData';
import { prng } from '../__testUtils__/prng';

jest.setTimeout(180_000);

const RULES = ['PICKLE-EXEC', 'PICKLE-IMPORT', 'DEP-VULNERABLE', 'SCAN-LIMIT'];
const OWNERS = ['group:default/a', 'group:default/b', undefined];
const ENTITY_NAMES = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'];

/** What the counters must say, counted here from the source tables independently of the store. */
async function truth(knex: Knex) {
  // Counters are kept for entities in scope; findings of an entity that left wait for its return.
  const findings = await knex('mlgov_findings')
    .whereIn('status', ['open', 'accepted'])
    .whereIn('entity_ref', knex('mlgov_entities').select('entity_ref'));
  const rules: Record<string, number> = {};
  for (const f of findings) {
    const key = `${f.entity_ref}|${f.rule_id}|${f.status}`;
    rules[key] = (rules[key] ?? 0) + 1;
  }
  const teams: Record<string, Record<string, number>> = {};
  for (const e of await knex('mlgov_entities')) {
    const owner = e.entity_owner ?? '';
    const team = (teams[owner] ??= {
      entity_count: 0,
      decision_block: 0,
      decision_ticket: 0,
      decision_pass: 0,
      decision_unknown: 0,
      accepted_count: 0,
      ...Object.fromEntries(SEVERITIES.map(s => [`open_${s}`, 0])),
    });
    team.entity_count++;
    team[`decision_${(e.decision ?? 'unknown').toLowerCase()}`]++;
    team.accepted_count += Number(e.accepted_count);
    for (const s of SEVERITIES) team[`open_${s}`] += Number(e[`open_${s}`]);
  }
  // Top rules: open findings per owner and rule, of entities in scope (titles are one per rule here).
  const teamRules: Record<string, number> = {};
  for (const f of findings) {
    if (f.status !== 'open') continue;
    const [entity] = await knex('mlgov_entities').where(
      'entity_ref',
      f.entity_ref,
    );
    const key = `${entity.entity_owner ?? ''}|${f.rule_id}|${f.title}`;
    teamRules[key] = (teamRules[key] ?? 0) + 1;
  }
  // The trend: history rows summed per owner (as recorded) and day.
  const teamDays: Record<string, Record<string, number>> = {};
  for (const h of await knex('mlgov_decision_history')) {
    const day = (teamDays[`${h.entity_owner ?? ''}|${h.day}`] ??= {
      blocked_entities: 0,
      ...Object.fromEntries(SEVERITIES.map(s => [`open_${s}`, 0])),
    });
    if (h.decision === 'BLOCK') day.blocked_entities++;
    for (const s of SEVERITIES) day[`open_${s}`] += Number(h[`open_${s}`]);
  }
  return { rules, teams, teamRules, teamDays };
}

async function counters(knex: Knex) {
  const rules: Record<string, number> = {};
  for (const r of await knex('mlgov_rule_counters'))
    rules[`${r.entity_ref}|${r.rule_id}|${r.status}`] = Number(r.finding_count);
  const teams: Record<string, Record<string, number>> = {};
  for (const { owner, ...row } of await knex('mlgov_team_counters'))
    teams[owner] = Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, Number(v)]),
    );
  const teamRules: Record<string, number> = {};
  for (const r of await knex('mlgov_team_rule_counters'))
    teamRules[`${r.owner}|${r.rule_id}|${r.title}`] = Number(r.finding_count);
  const teamDays: Record<string, Record<string, number>> = {};
  for (const { owner, day, ...row } of await knex('mlgov_team_history'))
    teamDays[`${owner}|${day}`] = Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, Number(v)]),
    );
  return { rules, teams, teamRules, teamDays };
}

describe('FindingCountersStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseMlGovernanceStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    let tick = Date.parse('2026-01-01T00:00:00.000Z');
    const clock = () => new Date(tick);
    const decisions = new DecisionService(store, new PolicyRegistry({}), clock);
    const now = () => new Date((tick += 1000)).toISOString();
    const advance = (ms: number) => {
      tick += ms;
    };
    return { knex, store, decisions, now, clock, advance };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('equal a recount after every one of 150 random writes, rolled-back ones included', async () => {
      const { knex, store, decisions, now, clock, advance } = await setup(
        databaseId,
      );
      const random = prng(14);
      const pick = <T>(items: T[]) =>
        items[Math.floor(random() * items.length)];
      const owners = new Map<string, string | undefined>();
      const record = (name: string) =>
        entityRecord(name, { owner: owners.get(name) });
      for (const name of ENTITY_NAMES) owners.set(name, pick(OWNERS));
      await store.upsertEntities(ENTITY_NAMES.map(record), now());

      const randomFindings = () =>
        Array.from({ length: Math.floor(random() * 8) }, () => {
          const n = Math.floor(random() * 12);
          return scannedFinding(`fp${n}`, {
            ruleId: RULES[n % RULES.length],
            severity: SEVERITIES[n % SEVERITIES.length],
          });
        });
      const scan = async (name: string, store2: MlGovernanceStore = store) => {
        const entity = record(name);
        await store2.applyScanFindings({
          entity,
          scannedTargets: entity.targets,
          findings: randomFindings(),
          now: now(),
        });
        await store2.releaseClaim(entity.entityRef, 'none', {
          lastScannedAt: now(),
        });
        await decisions.recompute(entity.entityRef, store2);
      };
      let acceptances = 0;
      const operations: Record<string, () => Promise<unknown>> = {
        scan: () => store.transaction(tx => scan(pick(ENTITY_NAMES), tx)),
        groupScan: () =>
          store.transaction(async tx => {
            const names = ENTITY_NAMES.filter(() => random() < 0.5);
            await tx.applyScanFindingsMany(
              names.map(name => ({
                entity: record(name),
                scannedTargets: ['file:/models'],
                findings: randomFindings(),
              })),
              now(),
            );
            const states = await tx.listEntities({
              entityRefs: names.map(n => record(n).entityRef),
            });
            await decisions.recomputeMany(states, tx);
          }),
        crashedScan: () =>
          store
            .transaction(async tx => {
              await scan(pick(ENTITY_NAMES), tx);
              throw new Error('replica died mid-commit');
            })
            .catch(() => undefined),
        acceptRule: async () => {
          const name = pick(ENTITY_NAMES);
          const at = now();
          await store.insertAcceptance(
            {
              id: `acc-${++acceptances}`,
              entityRef: record(name).entityRef,
              entityKind: 'resource',
              ruleId: pick(RULES),
              status: 'active',
              justification: 'random test',
              checklist: {} as any,
              expiresAt: '2027-01-01T00:00:00.000Z',
              requestedBy: 'user:default/x',
              requestedAt: at,
              revision: 1,
            },
            { action: 'requested', actor: 'user:default/x', at },
          );
          await store.transaction(tx =>
            decisions.recompute(record(name).entityRef, tx),
          );
        },
        expireAcceptance: async () => {
          if (acceptances === 0) return;
          const id = `acc-${1 + Math.floor(random() * acceptances)}`;
          await store.transaction(async tx => {
            const expired = await tx.transitionAcceptance({
              id,
              fromStatus: ['active'],
              to: { status: 'expired' },
              event: { action: 'expired', actor: 'system', at: now() },
            });
            if (expired) await decisions.recompute(expired.entityRef, tx);
          });
        },
        moveOwner: async () => {
          const name = pick(ENTITY_NAMES);
          owners.set(name, pick(OWNERS));
          await store.upsertEntities([record(name)], now());
        },
        removeAndReturn: async () => {
          const name = pick(ENTITY_NAMES);
          const syncedAt = now();
          await store.upsertEntities(
            ENTITY_NAMES.filter(n => n !== name).map(record),
            syncedAt,
          );
          await store.removeEntitiesNotSyncedSince(syncedAt);
          if (random() < 0.7) await store.upsertEntities([record(name)], now());
        },
        scanError: () =>
          store.markEntityScanError(
            record(pick(ENTITY_NAMES)).entityRef,
            'none',
            'could not read',
          ),
        // The trend's days: a new day, and the daily history task that writes every entity's row.
        nextDay: async () => advance(86_400_000),
        dailyHistory: () => recordDailyHistory(store, clock),
      };
      const names = Object.keys(operations);
      for (let step = 0; step < 150; step++) {
        const operation = pick(names);
        await operations[operation]();
        const expected = await truth(knex);
        const actual = await counters(knex);
        expect({ step, operation, ...actual }).toEqual({
          step,
          operation,
          ...expected,
        });
      }
      // The run exercised what it claims to: findings, waivers and several teams.
      const { rules, teams, teamRules, teamDays } = await truth(knex);
      expect(Object.keys(rules).some(k => k.endsWith('|accepted'))).toBe(true);
      expect(Object.keys(teams).length).toBeGreaterThan(1);
      expect(Object.keys(teamRules).length).toBeGreaterThan(1);
      expect(
        new Set(Object.keys(teamDays).map(k => k.split('|').pop())).size,
      ).toBeGreaterThan(2);
    });

    it('equal a recount after concurrent writers on the same teams and entities', async () => {
      const { knex, store, decisions, now } = await setup(databaseId);
      const names = Array.from({ length: 12 }, (_, i) => `c${i}`);
      const records = names.map((name, i) =>
        entityRecord(name, { owner: OWNERS[i % 2] }),
      );
      await store.upsertEntities(records, now());
      const scanOnce = (entity: (typeof records)[number], round: number) =>
        store.transaction(async tx => {
          await tx.applyScanFindings({
            entity,
            scannedTargets: entity.targets,
            findings: Array.from({ length: 1 + ((round * 5) % 7) }, (_, j) =>
              scannedFinding(`fp${(round + j) % 9}`, {
                ruleId: RULES[j % RULES.length],
              }),
            ),
            now: now(),
          });
          await tx.releaseClaim(entity.entityRef, 'none', {
            lastScannedAt: now(),
          });
          await decisions.recompute(entity.entityRef, tx);
        });
      for (let round = 0; round < 10; round++) {
        // Every entity of both teams at once: the team rows are where writers meet.
        await Promise.all(records.map(entity => scanOnce(entity, round)));
        expect(await counters(knex)).toEqual(await truth(knex));
      }
    });

    it('stay exact when an entity changes teams and back within a day', async () => {
      const { knex, store, decisions, now } = await setup(databaseId);
      const name = 'mover';
      const owners = ['group:default/a', 'group:default/b'];
      for (const owner of [...owners, owners[0]]) {
        const entity = entityRecord(name, { owner });
        await store.upsertEntities([entity], now());
        await store.transaction(async tx => {
          await tx.applyScanFindings({
            entity,
            scannedTargets: entity.targets,
            findings: [scannedFinding('a'), scannedFinding('b')],
            now: now(),
          });
          await decisions.recompute(entity.entityRef, tx);
        });
        expect(await counters(knex)).toEqual(await truth(knex));
      }
      // One day, one entity, back where it started: the other team's day was emptied, not kept.
      const days = await knex('mlgov_team_history');
      expect(days).toHaveLength(1);
      expect(days[0].owner).toBe(
        (await knex('mlgov_entities').first()).entity_owner,
      );
    });

    it('are rebuilt exactly by the repair path after being corrupted', async () => {
      const { knex, store, decisions, now } = await setup(databaseId);
      const entity = entityRecord('r', { owner: 'group:default/a' });
      await store.upsertEntities([entity], now());
      await store.transaction(async tx => {
        await tx.applyScanFindings({
          entity,
          scannedTargets: entity.targets,
          findings: [scannedFinding('a'), scannedFinding('b')],
          now: now(),
        });
        await tx.releaseClaim(entity.entityRef, 'none', {
          lastScannedAt: now(),
        });
        await decisions.recompute(entity.entityRef, tx);
      });
      const good = await counters(knex);
      expect(good.rules['resource:default/r|PICKLE-EXEC|open']).toBe(2);
      await knex('mlgov_rule_counters').update({ finding_count: 99 });
      await knex('mlgov_team_counters').update({ open_critical: 99 });
      await knex('mlgov_team_counters').insert({
        owner: 'group:default/ghost',
      });
      const isPostgres = databaseId.startsWith('POSTGRES');
      await new FindingCountersStore(knex, isPostgres).recountAll();
      expect(await counters(knex)).toEqual(good);
    });
  });
});
