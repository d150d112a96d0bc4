import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { ModelApiProbeSeries } from '@ml-governance/plugin-ml-governance-common';
import request from 'supertest';
import {
  fakeEmbedding,
  startFakeModelProvider,
  type FakeModelProvider,
} from '../__testUtils__/fakeModelProvider';
import {
  ALICE,
  startMlGovernanceBackend,
  type TestHarness,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const REFERENCE = 'Paris is the capital of France.';
// No word in common with the reference: the lexical measure scores it 0.
const ANSWER = 'The French seat of government sits beside the Seine river.';

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

const api: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: {
    name: 'assistant',
    namespace: 'default',
    annotations: {},
  },
  spec: {
    type: 'llm',
    lifecycle: 'production',
    owner: 'group:default/fraud',
    definition: 'chat',
  },
};

/** The similarity the prober reports with the embedding measure configured against `provider`. */
describe('embedding similarity (mlGovernance.modelApis.similarity.type: embedding)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let fake: FakeModelProvider;
  const harnesses: TestHarness[] = [];

  beforeAll(async () => {
    fake = await startFakeModelProvider();
    fake.documents.set(
      'suite.yaml',
      `probes:\n  - id: capital\n    kind: reference\n    prompt: What is the capital of France?\n    reference: ${JSON.stringify(
        REFERENCE,
      )}\n`,
    );
    fake.behaviour.answerOverride = ANSWER;
    api.metadata.annotations = {
      'ml-governance.io/model-api': 'fake/gpt-test-2024-08-06',
      'ml-governance.io/probe-suite': fake.docUrl('suite.yaml'),
    };
  });

  afterAll(async () => {
    for (const harness of harnesses) await harness.stop();
    await fake?.close();
  });

  async function probeOnce(embeddingProvider: string) {
    const harness = await startMlGovernanceBackend({
      database: await databases.init('SQLITE_3'),
      allowedFileRoots: [],
      entities: [api],
      rootConfig: { backend: { reading: { allow: [{ host: fake.host }] } } },
      mlGovernance: {
        modelApis: {
          schedule: { frequency: { hours: 24 }, timeout: { minutes: 5 } },
          providers: {
            fake: {
              baseUrl: fake.baseUrl,
              apiKey: fake.token,
              requestsPerMinute: 6000,
            },
            'fake-bad-token': {
              baseUrl: fake.baseUrl,
              apiKey: 'not-the-token',
              requestsPerMinute: 6000,
            },
          },
          similarity: {
            type: 'embedding',
            provider: embeddingProvider,
            model: 'embed-test',
          },
        },
      },
    });
    harnesses.push(harness);
    await harness.runTask('ml-governance-scan-round');
    fake.requests.length = 0;
    await harness.runTask('ml-governance-model-api-prober');
    const res = await request(harness.server)
      .get('/api/ml-governance/model-apis/probes')
      .query({ entityRef: 'api:default/assistant' })
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(res.status).toBe(200);
    return (res.body as ModelApiProbeSeries).runs.at(-1)!;
  }

  it("scores answers by the provider's embeddings, not by shared words", async () => {
    const expected = cosine(fakeEmbedding(ANSWER), fakeEmbedding(REFERENCE));
    // The chosen texts share embedding buckets though no words: the two measures disagree.
    expect(expected).toBeGreaterThan(0.05);
    const run = await probeOnce('fake');
    expect(run).toMatchObject({ probes: 1, errors: 0 });
    expect(run.similarity).toBeCloseTo(expected, 6);
    const embeddings = fake.requests.filter(r => r.path === '/v1/embeddings');
    expect(embeddings).toHaveLength(1);
    expect(embeddings[0]).toMatchObject({
      authorized: true,
      body: { model: 'embed-test', input: [ANSWER, REFERENCE] },
    });
  });

  it('records a failed embedding call as an error of the probe, never as a score', async () => {
    const run = await probeOnce('fake-bad-token');
    expect(run).toMatchObject({ probes: 1, errors: 1 });
    expect(run.alerts.map(alert => alert.kind)).toContain('probe-errors');
  });
});
