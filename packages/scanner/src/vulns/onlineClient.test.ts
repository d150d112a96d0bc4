import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { delay, http, HttpResponse } from 'msw';
import { OsvOnlineClient, OSV_BATCH_SIZE } from './onlineClient';
import { TORCH_RCE } from './__fixtures__/advisories';

const API = 'https://osv.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface BatchBody {
  queries: {
    package: { name: string; ecosystem: string };
    version: string;
    page_token?: string;
  }[];
}

describe('OsvOnlineClient', () => {
  it('batches at 1000 queries, keeps input order and fetches each advisory once, then from the cache', async () => {
    const batchSizes: number[] = [];
    let detailCalls = 0;
    server.use(
      http.post(`${API}/v1/querybatch`, async ({ request }) => {
        const body = (await request.json()) as BatchBody;
        batchSizes.push(body.queries.length);
        return HttpResponse.json({
          results: body.queries.map(q =>
            q.package.name === 'torch' && q.package.ecosystem === 'PyPI'
              ? { vulns: [{ id: TORCH_RCE.id, modified: TORCH_RCE.modified }] }
              : {},
          ),
        });
      }),
      http.get(`${API}/v1/vulns/:id`, ({ params }) => {
        detailCalls++;
        return params.id === TORCH_RCE.id
          ? HttpResponse.json(TORCH_RCE)
          : new HttpResponse(null, { status: 404 });
      }),
    );
    const queries = Array.from({ length: OSV_BATCH_SIZE + 1 }, (_, i) => ({
      name: i === 3 || i === OSV_BATCH_SIZE ? 'torch' : `pkg-${i}`,
      version: '1.0',
    }));
    const cacheDir = await mkdtemp(join(tmpdir(), 'mlgov-osv-cache-'));
    const client = new OsvOnlineClient({
      apiUrl: API,
      timeoutMs: 5000,
      cacheDir,
    });

    const first = await client.lookup(queries);
    expect(batchSizes).toEqual([1000, 1]);
    expect(first.records[3].map(r => r.id)).toEqual([TORCH_RCE.id]);
    expect(first.records[OSV_BATCH_SIZE].map(r => r.id)).toEqual([
      TORCH_RCE.id,
    ]);
    expect(first.records[4]).toEqual([]);
    expect(first.newestModified).toBe(TORCH_RCE.modified);
    expect(detailCalls).toBe(1);
    expect(await readdir(cacheDir)).toEqual([`${TORCH_RCE.id}.json`]);

    await client.lookup(queries.slice(0, 5));
    expect(detailCalls).toBe(1);
  });

  it('follows next_page_token for the queries that have more results', async () => {
    const second = { ...TORCH_RCE, id: 'PYSEC-2025-41' };
    server.use(
      http.post(`${API}/v1/querybatch`, async ({ request }) => {
        const body = (await request.json()) as BatchBody;
        if (body.queries[0].page_token)
          return HttpResponse.json({
            results: [{ vulns: [{ id: second.id }] }],
          });
        return HttpResponse.json({
          results: [
            { vulns: [{ id: TORCH_RCE.id }], next_page_token: 'p2' },
            {},
          ],
        });
      }),
      http.get(`${API}/v1/vulns/:id`, ({ params }) =>
        HttpResponse.json(params.id === second.id ? second : TORCH_RCE),
      ),
    );
    const client = new OsvOnlineClient({ apiUrl: API, timeoutMs: 5000 });
    const { records } = await client.lookup([
      { name: 'torch', version: '2.0' },
      { name: 'numpy', version: '1.0' },
    ]);
    expect(records.map(list => list.map(r => r.id))).toEqual([
      [TORCH_RCE.id, second.id],
      [],
    ]);
  });

  it('fails with a clear error on timeouts and HTTP errors', async () => {
    server.use(
      http.post(`${API}/v1/querybatch`, async () => {
        await delay(500);
        return HttpResponse.json({ results: [{}] });
      }),
    );
    const client = new OsvOnlineClient({ apiUrl: API, timeoutMs: 50 });
    await expect(
      client.lookup([{ name: 'torch', version: '2.0' }]),
    ).rejects.toThrow(/no answer within 50 ms/);

    server.use(
      http.post(
        `${API}/v1/querybatch`,
        () => new HttpResponse('down', { status: 503 }),
      ),
    );
    await expect(
      client.lookup([{ name: 'torch', version: '2.0' }]),
    ).rejects.toThrow(/HTTP 503/);

    server.use(
      http.post(`${API}/v1/querybatch`, () =>
        HttpResponse.json({ results: [] }),
      ),
    );
    await expect(
      client.lookup([{ name: 'torch', version: '2.0' }]),
    ).rejects.toThrow(/0 results for 1 queries/);
  });
});
