import { randomUUID } from 'node:crypto';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import request from 'supertest';
import {
  ALICE,
  createExampleCatalog,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const API = '/api/ml-governance';
const ENTITY = 'resource/default/fraud-model';
const REF = 'resource:default/fraud-model';
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

/** A stored finding row; few distinct sort values, so ties are broken by first-seen time and id. */
function findingRow(n: number, firstSeenAt: string, entityRef = REF) {
  const severity = SEVERITIES[n % SEVERITIES.length];
  return {
    id: randomUUID(),
    entity_ref: entityRef,
    entity_kind: 'resource',
    entity_owner: 'group:default/fraud',
    fingerprint: `page-${n}-${randomUUID()}`,
    target: 'file:./models',
    rule_id: `RULE-${n % 4}`,
    title: `Rule ${n % 4}`,
    severity,
    severity_rank: 5 - SEVERITIES.indexOf(severity),
    message: `finding ${n}`,
    path: `models/${n % 3}.pkl`,
    location: '{}',
    evidence: '{}',
    details: '{}',
    status: n % 7 === 0 ? 'accepted' : 'open',
    acceptance_id: null,
    first_seen_at: firstSeenAt,
    last_seen_at: firstSeenAt,
    resolved_at: null,
  };
}

describe('keyset pagination of the list routes', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let harness: TestHarness;
    let knex: Knex;
    const get = (path: string) =>
      request(harness.server)
        .get(`${API}${path}`)
        .set('Authorization', mockCredentials.user.header(ALICE));

    /** Every id of a list, walked a page at a time through the cursors. */
    async function walk(path: string, limit: number): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 100; page++) {
        const sep = path.includes('?') ? '&' : '?';
        const res = await get(
          `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).toBe(200);
        ids.push(...res.body.items.map((f: { id: string }) => f.id));
        cursor = res.body.nextCursor;
        if (!cursor) return ids;
        expect(res.body.items).toHaveLength(limit);
      }
      throw new Error('the cursor never ended');
    }

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const catalog = createExampleCatalog();
      harness = await startMlGovernanceBackend({
        entities: catalog.entities,
        allowedFileRoots: [catalog.root],
        database: knex,
      });
      await harness.runTask('ml-governance-scan-round');
      const rows = Array.from({ length: 230 }, (_, n) =>
        findingRow(
          n,
          `2026-01-${String(1 + (n % 9)).padStart(2, '0')}T00:00:00.000Z`,
        ),
      );
      for (let i = 0; i < rows.length; i += 50)
        await knex('mlgov_findings').insert(rows.slice(i, i + 50));
    });

    afterAll(() => harness.stop());

    it.each([
      ['default order (severity)', ''],
      ['rule, ascending', '?orderBy=ruleId'],
      ['path, descending', '?orderBy=path&order=desc'],
      [
        'first seen, filtered',
        '?orderBy=firstSeenAt&status=open&severity=critical,high',
      ],
    ])(
      'walks %s page by page in exactly the order of one big page',
      async (_, query) => {
        const sep = query ? '&' : '?';
        const all = await get(
          `/entities/${ENTITY}/findings${query}${sep}limit=500`,
        );
        expect(all.status).toBe(200);
        expect(all.body.nextCursor).toBeUndefined();
        const expected = all.body.items.map((f: { id: string }) => f.id);
        expect(expected.length).toBeGreaterThan(30);
        expect(await walk(`/entities/${ENTITY}/findings${query}`, 17)).toEqual(
          expected,
        );
      },
    );

    it.each([
      ['default order (severity)', ''],
      ['rule, ascending', '?orderBy=ruleId'],
      ['filtered', '?status=open&severity=critical,high,medium'],
    ])(
      'reads deep offset pages (a deferred join from offset 1,000 on) as the cursor walk does: %s',
      async (_, query) => {
        const deep = 'resource/default/broken-model';
        if (
          (await get(`/entities/${deep}/findings?limit=1`)).body.totalCount <
          2200
        ) {
          const rows = Array.from({ length: 2200 }, (_unused, n) =>
            findingRow(
              n,
              `2026-02-${String(1 + (n % 9)).padStart(2, '0')}T00:00:00.000Z`,
              'resource:default/broken-model',
            ),
          );
          for (let i = 0; i < rows.length; i += 100)
            await knex('mlgov_findings').insert(rows.slice(i, i + 100));
        }
        const walked = await walk(`/entities/${deep}/findings${query}`, 500);
        expect(walked.length).toBeGreaterThan(1050);
        const sep = query ? '&' : '?';
        for (const offset of [950, 999, 1000, 1001, 1037, walked.length - 20]) {
          const res = await get(
            `/entities/${deep}/findings${query}${sep}limit=50&offset=${offset}`,
          );
          expect(res.status).toBe(200);
          expect(res.body.totalCount).toBe(walked.length);
          expect(res.body.items.map((f: { id: string }) => f.id)).toEqual(
            walked.slice(offset, offset + 50),
          );
        }
      },
    );

    it('neither repeats nor skips a row while findings are added between pages', async () => {
      const before = await get(`/entities/${ENTITY}/findings?limit=500`);
      const existing = before.body.items.map((f: { id: string }) => f.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      let page = 0;
      do {
        const res = await get(
          `/entities/${ENTITY}/findings?limit=40${
            cursor ? `&cursor=${cursor}` : ''
          }`,
        );
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((f: { id: string }) => f.id));
        cursor = res.body.nextCursor;
        // New findings of every severity and age land before and after the cursor.
        const added = [];
        for (let n = 0; n < 10; n++)
          added.push(
            findingRow(
              1000 + page * 10 + n,
              `2026-01-0${1 + (n % 9)}T00:00:00.000Z`,
            ),
          );
        await knex('mlgov_findings').insert(added);
        page++;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(existing));
      // An offset walk would have shifted: the same page by offset now starts elsewhere.
      const byOffset = await get(
        `/entities/${ENTITY}/findings?limit=40&offset=40`,
      );
      expect(byOffset.body.items.map((f: { id: string }) => f.id)).not.toEqual(
        seen.slice(40, 80),
      );
    });

    it('refuses hostile and foreign cursors with 400, and pages beyond the limits', async () => {
      const first = await get(`/entities/${ENTITY}/findings?limit=5`);
      const good: string = first.body.nextCursor;
      expect(good).toEqual(expect.any(String));
      const payload = JSON.parse(Buffer.from(good, 'base64url').toString());
      const forge = (value: unknown) =>
        Buffer.from(JSON.stringify(value)).toString('base64url');
      const hostile: Record<string, string> = {
        garbage: '!!!not-a-cursor',
        'not JSON': Buffer.from('{"v":1,').toString('base64url'),
        'JSON array': forge([1, 2, 3]),
        'JSON null': forge(null),
        'other version': forge({ ...payload, v: 2 }),
        'key of the wrong type': forge({ ...payload, k: ['5', 'x', 'y'] }),
        'NUL in a key': forge({ ...payload, k: [5, 'a\u0000b', 'x'] }),
        'too few keys': forge({ ...payload, k: [5] }),
        'overlong key': forge({ ...payload, k: [5, 'a'.repeat(600), 'x'] }),
        'forged scope': forge({ ...payload, s: 'AAAAAAAAAAAAAAAA' }),
        'too long': 'A'.repeat(2049),
      };
      for (const [label, cursor] of Object.entries(hostile)) {
        const res = await get(
          `/entities/${ENTITY}/findings?limit=5&cursor=${encodeURIComponent(
            cursor,
          )}`,
        );
        expect({ label, status: res.status }).toEqual({ label, status: 400 });
        expect(res.body.error.name).toBe('InputError');
      }
      // A well-formed key is only a position: SQL in it is bound as a value, never run.
      const injected = await get(
        `/entities/${ENTITY}/findings?limit=5&cursor=${forge({
          ...payload,
          k: [5, "' OR 1=1; DROP TABLE mlgov_findings; --", 'x'],
        })}`,
      );
      expect(injected.status).toBe(200);
      expect(injected.body.totalCount).toBe(first.body.totalCount);
      expect(await knex.schema.hasTable('mlgov_findings')).toBe(true);
      // A real cursor replayed against other filters, another order, or with an offset.
      for (const path of [
        `/entities/${ENTITY}/findings?limit=5&status=open&cursor=${good}`,
        `/entities/${ENTITY}/findings?limit=5&orderBy=path&cursor=${good}`,
        `/entities/${ENTITY}/findings?limit=5&offset=5&cursor=${good}`,
        `/entities/resource/default/broken-model/findings?limit=5&cursor=${good}`,
        `/entities/${ENTITY}/scans?cursor=${good}`,
        `/teams/default/fraud?entityCursor=${good}`,
        `/acceptances?view=mine&cursor=${good}`,
      ]) {
        const res = await get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
      }
      for (const path of [
        `/entities/${ENTITY}/findings?limit=501`,
        `/entities/${ENTITY}/scans?limit=201`,
        '/acceptances?view=all&limit=501',
        '/teams/default/fraud?entityLimit=1001',
      ]) {
        expect((await get(path)).status).toBe(400);
      }
    });

    it('pages scan runs (queued ones first) through the next-cursor header', async () => {
      const at = (n: number) =>
        n < 0
          ? null
          : `2026-02-${String(1 + (n % 20)).padStart(2, '0')}T00:00:00.000Z`;
      await knex('mlgov_scan_runs').insert(
        Array.from({ length: 45 }, (_, n) => ({
          id: randomUUID(),
          entity_ref: REF,
          trigger: n < 3 ? 'manual' : 'schedule',
          status: n < 3 ? 'queued' : 'succeeded',
          started_at: at(n < 3 ? -1 : n),
          targets: '[]',
        })),
      );
      const all = await get(`/entities/${ENTITY}/scans?limit=200`);
      expect(all.headers['ml-governance-next-cursor']).toBeUndefined();
      expect(all.body.slice(0, 3).map((r: any) => r.status)).toEqual([
        'queued',
        'queued',
        'queued',
      ]);
      const ids: string[] = [];
      const exposed: (string | undefined)[] = [];
      let cursor: string | undefined;
      do {
        const res = await get(
          `/entities/${ENTITY}/scans?limit=7${
            cursor ? `&cursor=${cursor}` : ''
          }`,
        );
        expect(res.status).toBe(200);
        ids.push(...res.body.map((r: any) => r.id));
        cursor = res.headers['ml-governance-next-cursor'];
        if (cursor) exposed.push(res.headers['access-control-expose-headers']);
      } while (cursor);
      expect(ids).toEqual(all.body.map((r: any) => r.id));
      // A browser app on another origin may read the header on every page that has one.
      expect(exposed.length).toBeGreaterThan(3);
      for (const header of exposed)
        expect(header).toContain('ml-governance-next-cursor');
    });

    it('pages a team’s entities while the totals cover all of them', async () => {
      const whole = await get('/teams/default/fraud');
      expect(whole.status).toBe(200);
      expect(whole.body.entitiesNextCursor).toBeUndefined();
      expect(whole.body.entityCount).toBe(whole.body.entities.length);
      const refs: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await get(
          `/teams/default/fraud?entityLimit=1${
            cursor ? `&entityCursor=${cursor}` : ''
          }`,
        );
        expect(res.status).toBe(200);
        expect(res.body.entities.length).toBeLessThanOrEqual(1);
        expect(res.body.decisions).toEqual(whole.body.decisions);
        refs.push(...res.body.entities.map((e: any) => e.entityRef));
        cursor = res.body.entitiesNextCursor;
      } while (cursor);
      expect(refs).toEqual(whole.body.entities.map((e: any) => e.entityRef));
      expect(refs.length).toBeGreaterThan(1);
    });
  });
});
