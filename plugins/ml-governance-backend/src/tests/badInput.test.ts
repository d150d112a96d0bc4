import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import request from 'supertest';
import {
  API_ROUTES as ROUTES,
  type ApiRoute as Route,
  type Method,
} from '../__testUtils__/apiRoutes';
import {
  ALICE,
  BOB,
  DAVE,
  createExampleCatalog,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const API = '/api/ml-governance';
const ENTITY = 'resource/default/fraud-model';
const LONG = 'a'.repeat(300);
const NUL = '%00';

interface BadRequest {
  name: string;
  method: Method;
  url: string;
  body?: unknown;
}

function fill(
  path: string,
  parts: { entity?: string; group?: string; id?: string },
) {
  return path
    .replace('{entity}', parts.entity ?? ENTITY)
    .replace('{group}', parts.group ?? 'default/fraud')
    .replace('{id}', parts.id ?? '00000000-0000-4000-8000-000000000000');
}

/** The hostile variants of one route: path params, query values and body fields. */
function badRequestsFor(route: Route): BadRequest[] {
  const out: BadRequest[] = [];
  const add = (name: string, url: string, body: unknown = route.body) =>
    out.push({
      name: `${route.method.toUpperCase()} ${route.path}: ${name}`,
      method: route.method,
      url: API + url,
      body,
    });
  const base = fill(route.path, {});

  if (route.path.includes('{entity}')) {
    add(
      'NUL in entity name',
      fill(route.path, { entity: `resource/default/fraud${NUL}model` }),
    );
    add(
      'overlong entity name',
      fill(route.path, { entity: `resource/default/${LONG}` }),
    );
    add(
      'malformed kind',
      fill(route.path, {
        entity: `${encodeURIComponent('::://')}/default/fraud-model`,
      }),
    );
    add(
      'control character in namespace',
      fill(route.path, { entity: 'resource/de%0Afault/fraud-model' }),
    );
  }
  if (route.path.includes('{group}')) {
    add(
      'NUL in group name',
      fill(route.path, { group: `default/fr${NUL}aud` }),
    );
    add('overlong group name', fill(route.path, { group: `default/${LONG}` }));
  }
  if (route.path.includes('{id}')) {
    add(
      'NUL in id',
      fill(route.path, { id: `00000000-0000-4000-8000-00000000000${NUL}` }),
    );
    add('id not a UUID', fill(route.path, { id: "1' OR '1'='1" }));
    add('overlong id', fill(route.path, { id: LONG }));
  }
  add('unknown query parameter', `${base}?debug=1`);
  add('NUL in a query value', `${base}?${route.queryParam ?? 'x'}=a${NUL}b`);
  add(
    'overlong query value',
    `${base}?${route.queryParam ?? 'x'}=${'b'.repeat(2000)}`,
  );
  if (route.queryParam) {
    add(
      'query value of the wrong type (object)',
      `${base}?${route.queryParam}[a]=1`,
    );
    add(
      'query value repeated where one is expected',
      `${base}?${route.queryParam}=1&${route.queryParam}=2`,
    );
  }
  if (route.body) {
    add('body is an array', base, []);
    add('body is a string', base, '"hello"');
    add('unknown body property', base, { ...route.body, extra: true });
    for (const [field, value] of Object.entries(route.body)) {
      if (typeof value === 'string') {
        add(`NUL in body.${field}`, base, {
          ...route.body,
          [field]: `${value}\u0000`,
        });
        add(`overlong body.${field}`, base, {
          ...route.body,
          [field]: 'x'.repeat(9000),
        });
        add(`body.${field} of the wrong type`, base, {
          ...route.body,
          [field]: 42,
        });
      } else {
        add(`body.${field} of the wrong type`, base, {
          ...route.body,
          [field]: 'not-a-number',
        });
      }
    }
    if ('entityRef' in route.body)
      add('malformed body.entityRef', base, {
        ...route.body,
        entityRef: '::://',
      });
  }
  return out;
}

async function rowCounts(knex: Knex): Promise<Record<string, number>> {
  const tables =
    knex.client.config.client === 'pg'
      ? (
          await knex.raw(
            `select tablename as name from pg_tables where schemaname = current_schema()`,
          )
        ).rows
      : await knex.raw(`select name from sqlite_master where type = 'table'`);
  const counts: Record<string, number> = {};
  for (const { name } of tables as { name: string }[]) {
    if (!name.startsWith('mlgov_')) continue;
    const [{ n }] = await knex(name).count({ n: '*' });
    counts[name] = Number(n);
  }
  return counts;
}

describe('bad input on every route', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let harness: TestHarness;
    let knex: Knex;
    const real: { acceptanceId?: string; reportId?: string } = {};

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const catalog = createExampleCatalog();
      harness = await startMlGovernanceBackend({
        entities: catalog.entities,
        allowedFileRoots: [catalog.root],
        database: knex,
      });
      await harness.runTask('ml-governance-scan-round');
      // Real rows behind the ids, so a 400 is about the input and not a missing record.
      const findings = await request(harness.server)
        .get(`${API}/entities/${ENTITY}/findings?status=open`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      const created = await request(harness.server)
        .post(`${API}/acceptances`)
        .set('Authorization', mockCredentials.user.header(ALICE))
        .send({
          ...ROUTES.find(r => r.path === '/acceptances' && r.body)!.body,
          ruleId: undefined,
          fingerprint: findings.body.items[0].fingerprint,
        });
      real.acceptanceId = created.body.id;
      const report = await request(harness.server)
        .post(`${API}/reports/stale-imports`)
        .set('Authorization', mockCredentials.user.header(BOB))
        .send({});
      real.reportId = report.body.id;
      if (created.status !== 201 || report.status !== 201) {
        throw new Error(`seeding failed: ${created.status} ${report.status}`);
      }
    });

    afterAll(() => harness.stop());

    it('refuses each hostile variant with an InputError and writes nothing', async () => {
      const before = await rowCounts(knex);
      expect(before.mlgov_findings).toBeGreaterThan(0);
      const cases = ROUTES.flatMap(badRequestsFor);
      const unexpected: string[] = [];
      for (const bad of cases) {
        // Dave owns fraud-model and is an approver: no permission check stands in for validation.
        let call = request(harness.server)
          [bad.method](bad.url)
          .set('Authorization', mockCredentials.user.header(DAVE));
        if (bad.body !== undefined) {
          call =
            typeof bad.body === 'string'
              ? call.set('Content-Type', 'application/json').send(bad.body)
              : call.send(bad.body as object);
        }
        const res = await call;
        const shape = res.body?.error?.name;
        if (res.status !== 400 || shape !== 'InputError')
          unexpected.push(
            `${bad.name} → ${res.status} ${shape ?? res.text.slice(0, 80)}`,
          );
      }
      expect(unexpected).toEqual([]);
      expect(cases.length).toBeGreaterThan(140);
      expect(await rowCounts(knex)).toEqual(before);
    });

    it('still serves the same routes with valid input (the table is not refusing everything)', async () => {
      const as = mockCredentials.user.header(DAVE);
      const ok = async (url: string) =>
        (
          await request(harness.server)
            .get(API + url)
            .set('Authorization', as)
        ).status;
      expect(await ok(`/entities/${ENTITY}/findings?q=pickle&limit=5`)).toBe(
        200,
      );
      expect(await ok(`/acceptances/${real.acceptanceId}`)).toBe(200);
      expect(
        await ok(
          `/reports/stale-imports/${real.reportId}?owner=group:default/fraud`,
        ),
      ).toBe(200);
      expect(await ok('/teams/default/fraud?trendDays=7')).toBe(200);
    });
  });
});
