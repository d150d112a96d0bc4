import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MlGovernanceClient } from './MlGovernanceClient';

const baseUrl = 'http://backstage.test/api/ml-governance';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function createClient() {
  return new MlGovernanceClient({
    discoveryApi: {
      getBaseUrl: async pluginId => `http://backstage.test/api/${pluginId}`,
    },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
}

describe('MlGovernanceClient', () => {
  it('reads an entity summary from the lower-cased entity path', async () => {
    server.use(
      http.get(`${baseUrl}/entities/resource/default/fraud-model/summary`, () =>
        HttpResponse.json({
          entityRef: 'resource:default/fraud-model',
          decision: 'BLOCK',
        }),
      ),
    );
    const summary = await createClient().getEntitySummary(
      'Resource:default/fraud-model',
    );
    expect(summary.decision).toBe('BLOCK');
  });

  it('sends finding filters as comma-separated query parameters', async () => {
    let seen: URLSearchParams | undefined;
    server.use(
      http.get(
        `${baseUrl}/entities/component/default/scorer/findings`,
        ({ request }) => {
          seen = new URL(request.url).searchParams;
          return HttpResponse.json({
            items: [],
            totalCount: 0,
            offset: 20,
            limit: 10,
          });
        },
      ),
    );
    await createClient().getFindings('component:default/scorer', {
      status: ['open', 'accepted'],
      severity: ['critical'],
      offset: 20,
      limit: 10,
      q: 'os.system',
    });
    expect(seen?.get('status')).toBe('open,accepted');
    expect(seen?.get('severity')).toBe('critical');
    expect(seen?.get('offset')).toBe('20');
    expect(seen?.get('q')).toBe('os.system');
  });

  it('posts a decision as JSON and passes an explicit token', async () => {
    let body: unknown;
    let authorization: string | null = null;
    server.use(
      http.post(
        `${baseUrl}/acceptances/a%2F1/decision`,
        async ({ request }) => {
          body = await request.json();
          authorization = request.headers.get('authorization');
          return HttpResponse.json({
            id: 'a/1',
            status: 'active',
            revision: 2,
          });
        },
      ),
    );
    const result = await createClient().decideAcceptance(
      'a/1',
      { decision: 'approve', comment: 'ok until retrain', revision: 1 },
      { token: 'secret' },
    );
    expect(result.status).toBe('active');
    expect(body).toEqual({
      decision: 'approve',
      comment: 'ok until retrain',
      revision: 1,
    });
    expect(authorization).toBe('Bearer secret');
  });

  it('addresses teams by group namespace and name', async () => {
    server.use(
      http.get(`${baseUrl}/teams/default/ml-platform`, ({ request }) =>
        HttpResponse.json({
          owner: 'group:default/ml-platform',
          trendDays: new URL(request.url).searchParams.get('trendDays'),
        }),
      ),
    );
    const team = await createClient().getTeamSummary(
      'group:default/ml-platform',
      { trendDays: 30 },
    );
    expect(team).toMatchObject({
      owner: 'group:default/ml-platform',
      trendDays: '30',
    });
  });

  it('builds the export download URL without fetching', async () => {
    await expect(
      createClient().getStaleImportReportDownloadUrl('latest', 'csv'),
    ).resolves.toBe(
      `${baseUrl}/reports/stale-imports/latest/export?format=csv`,
    );
  });

  it('throws a ResponseError carrying the backend error on a conflict', async () => {
    server.use(
      http.post(`${baseUrl}/acceptances/42/decision`, () =>
        HttpResponse.json(
          {
            error: { name: 'ConflictError', message: 'revision 1 is stale' },
            request: {},
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await createClient()
      .decideAcceptance('42', {
        decision: 'reject',
        comment: 'no',
        revision: 1,
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.name).toBe('ConflictError');
  });

  it('reads the gate used by CI', async () => {
    server.use(
      http.get(`${baseUrl}/gate/resource/default/fraud-model`, () =>
        HttpResponse.json({
          entityRef: 'resource:default/fraud-model',
          decision: 'PASS',
          blocking: [],
        }),
      ),
    );
    await expect(
      createClient().getGate('resource:default/fraud-model'),
    ).resolves.toMatchObject({ decision: 'PASS' });
  });

  it('asks for the probe series of a model API by entity ref and limit', async () => {
    let seen: URLSearchParams | undefined;
    server.use(
      http.get(`${baseUrl}/model-apis/probes`, ({ request }) => {
        seen = new URL(request.url).searchParams;
        return HttpResponse.json({
          entityRef: 'api:default/support-llm',
          provider: 'openai-compatible',
          model: 'gpt-4o',
          modelPinned: false,
          thresholdSigma: 3,
          runs: [],
        });
      }),
    );
    const series = await createClient().getModelApiProbes(
      'api:default/support-llm',
      { limit: 50 },
    );
    expect(seen?.get('entityRef')).toBe('api:default/support-llm');
    expect(seen?.get('limit')).toBe('50');
    expect(series.modelPinned).toBe(false);
  });

  it('leaves the run limit to the server when none is given', async () => {
    let seen: URLSearchParams | undefined;
    server.use(
      http.get(`${baseUrl}/model-apis/probes`, ({ request }) => {
        seen = new URL(request.url).searchParams;
        return HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'no model API' } },
          { status: 404 },
        );
      }),
    );
    const error = await createClient()
      .getModelApiProbes('component:default/scorer')
      .catch(e => e);
    expect(seen?.has('limit')).toBe(false);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
  });
});
