import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TestDatabases,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { entityRecord, scannedFinding } from '../__testUtils__/testData';
import {
  createScanHarness,
  entityRefResolver,
  scriptedScanner,
} from '../__testUtils__/scanHarness';
import { DefaultArtifactScanner } from '../scanning/ArtifactScanner';
import { FileTargetResolver } from '../scanning/FileTargetResolver';
import type { ScannedFinding } from '../database/MlGovernanceStore';

jest.setTimeout(120_000);

const REF = 'resource:default/m';
const NUL = '\u0000';
const HIGH = '\uD800';
const LOW = '\uDC00';

/** A protocol-2 pickle whose GLOBAL names `os\0evil.system\0` and whose REDUCE calls it with 'id'. */
const NUL_GLOBAL_PICKLE = Buffer.from(
  '\x80\x02cos\x00evil\nsystem\x00\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.',
  'latin1',
);

/** Makes every write of a finding whose rule matches `ruleLike` fail inside the database itself. */
async function failFindingWrites(
  knex: Knex,
  databaseId: TestDatabaseId,
  ruleLike: string,
) {
  if (databaseId === 'SQLITE_3') {
    await knex.raw(
      `CREATE TRIGGER mlgov_test_fail BEFORE INSERT ON mlgov_findings WHEN NEW.rule_id LIKE '${ruleLike}' BEGIN SELECT RAISE(ABORT, 'injected store failure at /srv/secret/path'); END`,
    );
    return;
  }
  await knex.raw(`CREATE OR REPLACE FUNCTION mlgov_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.rule_id LIKE TG_ARGV[0] THEN RAISE EXCEPTION 'injected store failure at /srv/secret/path'; END IF; RETURN NEW; END $$`);
  await knex.raw(
    `CREATE TRIGGER mlgov_test_fail BEFORE INSERT ON mlgov_findings FOR EACH ROW EXECUTE FUNCTION mlgov_test_fail('${ruleLike}')`,
  );
}

async function stopFailing(knex: Knex) {
  await knex.raw(
    `DROP TRIGGER mlgov_test_fail${
      knex.client.config.client === 'pg' ? ' ON mlgov_findings' : ''
    }`,
  );
}

describe('fail closed on storage', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('blocks a pickle whose GLOBAL name carries NUL bytes, and stores the finding with a visible escape', async () => {
      const knex = await databases.init(databaseId);
      const root = mkdtempSync(join(tmpdir(), 'mlgov-nul-'));
      try {
        writeFileSync(join(root, 'model.pkl'), NUL_GLOBAL_PICKLE);
        const { store, scans, summaries } = await createScanHarness({
          knex,
          scanner: new DefaultArtifactScanner(),
          resolvers: [new FileTargetResolver({ allowedRoots: [root] })],
        });
        await store.upsertEntities(
          [entityRecord('m', { targets: [`file:${root}`] })],
          new Date().toISOString(),
        );
        await store.requestScan(new Date(Date.now() - 1000).toISOString());
        expect(await scans.runScanRound()).toEqual([REF]);

        const entity = (await store.getEntity(REF))!;
        expect(entity.decision).toBe('BLOCK');
        const {
          items: [run],
        } = await store.listScanRuns(REF, { limit: 5 });
        expect(run.status).toBe('succeeded');
        const findings = await store.listFindings(REF, { limit: 50 });
        const global = findings.items.find(
          f => f.ruleId === 'PICKLE-GLOBAL-IMPORT',
        )!;
        expect(global).toBeDefined();
        expect(global.evidence.symbol).toBe('os\\u0000evil.system\\u0000');
        expect(global.message).toContain('os\\u0000evil.system\\u0000');
        expect(JSON.stringify(findings.items)).not.toContain(NUL);
        expect((await summaries.gate(entity)).decision).toBe('BLOCK');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    it('stores NUL and lone surrogates in every evidence field as visible escapes, and still blocks', async () => {
      const knex = await databases.init(databaseId);
      const hostile = (text: string) => `${text}${NUL}|${HIGH}|${LOW}|😀`;
      const finding: Omit<ScannedFinding, 'target'> = scannedFinding('f1', {
        title: hostile('title'),
        message: hostile('REDUCE calls os.system'),
        location: {
          path: hostile('weights/model.pkl'),
          member: hostile('archive/data.pkl'),
          offset: 3,
        } as any,
        evidence: {
          symbol: hostile('os.system'),
          module: hostile('os'),
          [hostile('key')]: [hostile('nested')],
        },
        fix: hostile('fix'),
      });
      const { store, scans, summaries } = await createScanHarness({
        knex,
        scanner: scriptedScanner(() => [finding]),
        resolvers: [entityRefResolver()],
      });
      await store.upsertEntities(
        [entityRecord('m', { owner: hostile('group:default/team') })],
        new Date().toISOString(),
      );
      await store.requestScan(new Date(Date.now() - 1000).toISOString());
      expect(await scans.runScanRound()).toEqual([REF]);

      const entity = (await store.getEntity(REF))!;
      expect(entity.decision).toBe('BLOCK');
      const [stored] = (await store.listFindings(REF, { limit: 5 })).items;
      const visible = (text: string) => `${text}\\u0000|\\uD800|\\uDC00|😀`;
      expect(stored.title).toBe(visible('title'));
      expect(stored.message).toBe(visible('REDUCE calls os.system'));
      expect(stored.location).toMatchObject({
        path: visible('weights/model.pkl'),
        member: visible('archive/data.pkl'),
      });
      expect(stored.evidence).toEqual({
        opcode: undefined,
        symbol: visible('os.system'),
        module: visible('os'),
        [visible('key')]: [visible('nested')],
      });
      expect(stored.fix).toBe(visible('fix'));
      expect((await summaries.gate(entity)).decision).toBe('BLOCK');
      // Free-text search finds it by the escaped form.
      expect(
        (await store.listFindings(REF, { q: '\\u0000evil', limit: 5 }))
          .totalCount,
      ).toBe(0);
      expect(
        (await store.listFindings(REF, { q: 'os.system\\u0000', limit: 5 }))
          .totalCount,
      ).toBe(1);
      // A NUL typed into the search is escaped as stored text was (and does not fail on PostgreSQL).
      expect(
        (await store.listFindings(REF, { q: `os.system${NUL}`, limit: 5 }))
          .totalCount,
      ).toBe(1);
    });

    it('a store failure mid-scan leaves the entity not PASS, with a SCAN-ERROR that names no server path', async () => {
      const knex = await databases.init(databaseId);
      let findings: Omit<ScannedFinding, 'target'>[] = [];
      const { store, scans, summaries } = await createScanHarness({
        knex,
        scanner: scriptedScanner(() => findings),
        resolvers: [entityRefResolver()],
      });
      await store.upsertEntities([entityRecord('m')], new Date().toISOString());
      await store.requestScan(new Date(Date.now() - 1000).toISOString());
      await scans.runScanRound();
      expect((await store.getEntity(REF))!.decision).toBe('PASS');

      // The model now calls os.system, and the database refuses to store that finding.
      await failFindingWrites(knex, databaseId, 'PICKLE-EXEC');
      findings = [scannedFinding('exec')];
      await store.requestScan(new Date().toISOString());
      expect(await scans.runScanRound()).toEqual([REF]);

      const entity = (await store.getEntity(REF))!;
      expect(entity.decision).toBe('BLOCK');
      expect(entity.scanError).toMatch(/^Scan results could not be stored/);
      const stored = (
        await store.listFindings(REF, { status: ['open'], limit: 10 })
      ).items;
      expect(stored.map(f => [f.ruleId, f.target])).toEqual([
        ['SCAN-ERROR', 'mlgov:store'],
      ]);
      expect(stored[0].message).not.toMatch(/\/srv|secret/);
      const {
        items: [run],
      } = await store.listScanRuns(REF, { limit: 1 });
      expect(run).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/could not be stored/),
      });
      expect(run.error).not.toMatch(/\/srv|secret/);
      const gate = await summaries.gate(entity);
      expect(gate.decision).toBe('BLOCK');
      expect(gate.blocking.map(b => b.ruleId)).toEqual(['SCAN-ERROR']);

      // Once the database accepts the findings again, the real finding blocks and the error resolves.
      await stopFailing(knex);
      await store.requestScan(new Date(Date.now() + 1).toISOString());
      await new Promise(resolve => setTimeout(resolve, 5));
      await scans.runScanRound();
      const after = (await store.getEntity(REF))!;
      expect(after.scanError).toBeUndefined();
      expect(
        (
          await store.listFindings(REF, { status: ['open'], limit: 10 })
        ).items.map(f => f.ruleId),
      ).toEqual(['PICKLE-EXEC']);
      expect(after.decision).toBe('BLOCK');
    });

    it('when not even the SCAN-ERROR can be stored, the entity row alone keeps the previous PASS from surviving', async () => {
      const knex = await databases.init(databaseId);
      let findings: Omit<ScannedFinding, 'target'>[] = [];
      // A lax policy, under which a SCAN-ERROR (high) alone would only open a ticket.
      const { store, scans, summaries } = await createScanHarness({
        knex,
        scanner: scriptedScanner(() => findings),
        resolvers: [entityRefResolver()],
        policies: { lax: { fail_on: 'critical', ticket_on: 'high' } },
      });
      await store.upsertEntities(
        [entityRecord('m', { policyName: 'lax' })],
        new Date().toISOString(),
      );
      await store.requestScan(new Date(Date.now() - 1000).toISOString());
      await scans.runScanRound();
      expect((await store.getEntity(REF))!.decision).toBe('PASS');

      await failFindingWrites(knex, databaseId, '%');
      findings = [scannedFinding('exec')];
      await store.requestScan(new Date().toISOString());
      await scans.runScanRound();

      const entity = (await store.getEntity(REF))!;
      expect(entity.decision).toBe('UNKNOWN');
      expect(entity.scanError).toMatch(/could not be stored/);
      expect((await summaries.gate(entity)).decision).toBe('UNKNOWN');
      const {
        items: [run],
      } = await store.listScanRuns(REF, { limit: 1 });
      expect(run.status).toBe('failed');
      // The claim ended: a rescan is not held up until the lease runs out.
      expect(
        Number(
          (
            await knex('mlgov_entities')
              .whereNotNull('claimed_by')
              .count({ n: '*' })
          )[0].n,
        ),
      ).toBe(0);
    });

    it('of several scans committed together, a store failure only affects its own entity', async () => {
      const knex = await databases.init(databaseId);
      const byEntity: Record<string, Omit<ScannedFinding, 'target'>[]> = {
        'resource:default/hostile': [
          scannedFinding('h', {
            message: `calls os.system${NUL}`,
            evidence: { symbol: `os.system${HIGH}` },
          }),
        ],
        'resource:default/refused': [scannedFinding('r')],
        'resource:default/clean': [],
      };
      const { store, scans } = await createScanHarness({
        knex,
        concurrency: 3,
        scanner: scriptedScanner(entityRef =>
          (byEntity[entityRef] ?? []).map(f => ({
            ...f,
            ruleId: entityRef.endsWith('refused')
              ? 'PICKLE-EXEC'
              : 'PICKLE-GLOBAL-IMPORT',
          })),
        ),
        resolvers: [entityRefResolver()],
      });
      await store.upsertEntities(
        [
          entityRecord('hostile'),
          entityRecord('refused'),
          entityRecord('clean'),
        ],
        new Date().toISOString(),
      );
      await failFindingWrites(knex, databaseId, 'PICKLE-EXEC');
      await store.requestScan(new Date(Date.now() - 1000).toISOString());
      expect((await scans.runScanRound()).sort()).toEqual(
        Object.keys(byEntity).sort(),
      );

      const decisions = Object.fromEntries(
        (await store.listEntities()).map(e => [e.entityRef, e.decision]),
      );
      expect(decisions).toEqual({
        'resource:default/hostile': 'BLOCK',
        // Its first scan could not be stored: nothing is known, which is not a PASS.
        'resource:default/refused': 'UNKNOWN',
        'resource:default/clean': 'PASS',
      });
      const hostile = (
        await store.listFindings('resource:default/hostile', { limit: 5 })
      ).items;
      expect(
        hostile.map(f => [f.ruleId, f.message, f.evidence.symbol]),
      ).toEqual([
        ['PICKLE-GLOBAL-IMPORT', 'calls os.system\\u0000', 'os.system\\uD800'],
      ]);
      const refused = (
        await store.listFindings('resource:default/refused', { limit: 5 })
      ).items;
      expect(refused.map(f => [f.ruleId, f.target])).toEqual([
        ['SCAN-ERROR', 'mlgov:store'],
      ]);
      const runs = await knex('mlgov_scan_runs')
        .select('entity_ref', 'status')
        .orderBy('entity_ref');
      expect(runs).toEqual([
        { entity_ref: 'resource:default/clean', status: 'succeeded' },
        { entity_ref: 'resource:default/hostile', status: 'succeeded' },
        { entity_ref: 'resource:default/refused', status: 'failed' },
      ]);
    });

    it('an unknown ml-governance.io/policy gives a SCAN-ERROR and never PASS', async () => {
      const knex = await databases.init(databaseId);
      const { store, scans, summaries } = await createScanHarness({
        knex,
        scanner: scriptedScanner(() => []),
        resolvers: [entityRefResolver()],
      });
      await store.upsertEntities([entityRecord('m')], new Date().toISOString());
      await store.requestScan(new Date(Date.now() - 1000).toISOString());
      await scans.runScanRound();
      expect((await store.getEntity(REF))!.decision).toBe('PASS');

      await store.upsertEntities(
        [entityRecord('m', { policyName: 'no-such-policy' })],
        new Date().toISOString(),
      );
      await store.requestScan(new Date().toISOString());
      await scans.runScanRound();
      const entity = (await store.getEntity(REF))!;
      expect(entity.decision).not.toBe('PASS');
      const open = (
        await store.listFindings(REF, { status: ['open'], limit: 10 })
      ).items;
      expect(open.map(f => [f.ruleId, f.target])).toEqual([
        ['SCAN-ERROR', 'mlgov:policy'],
      ]);
      expect(open[0].message).toContain("'no-such-policy'");
      expect((await summaries.gate(entity)).decision).not.toBe('PASS');

      // Back to a known policy: the finding resolves and the entity passes again.
      await store.upsertEntities([entityRecord('m')], new Date().toISOString());
      await store.requestScan(new Date(Date.now() + 1).toISOString());
      await new Promise(resolve => setTimeout(resolve, 5));
      await scans.runScanRound();
      expect((await store.getEntity(REF))!.decision).toBe('PASS');
    });
  });
});
