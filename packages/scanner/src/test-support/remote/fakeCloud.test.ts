import { request } from 'node:http';
import { startFakeAzure, azureEtagOf } from './fakeAzure';
import { startFakeGcs, generationOf } from './fakeGcs';
import { VirtualObject } from './virtualObject';

function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      request(url, { headers }, res => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers }),
        );
      })
        .on('error', reject)
        .end();
    },
  );
}

const object = VirtualObject.of('0123456789');

describe('cloud storage stand-ins speak the protocol the sources rely on', () => {
  it('Cloud Storage: 206 for a range, 416 past the end, 304 for a matching If-None-Match, 404 for a stale generation', async () => {
    const gcs = await startFakeGcs({ b: { o: object } }, { token: 't' });
    try {
      const url = `${gcs.origin}/storage/v1/b/b/o/o?alt=media`;
      const auth = { Authorization: 'Bearer t' };
      expect(
        (await get(url, { ...auth, Range: 'bytes=2-4' })).headers[
          'content-range'
        ],
      ).toBe('bytes 2-4/10');
      expect((await get(url, { ...auth, Range: 'bytes=20-30' })).status).toBe(
        416,
      );
      expect(
        (await get(url, { ...auth, 'If-None-Match': object.etag })).status,
      ).toBe(304);
      expect((await get(`${url}&generation=1`, auth)).status).toBe(404);
      expect(
        (await get(`${url}&generation=${generationOf(object)}`, auth)).status,
      ).toBe(200);
      expect((await get(url)).status).toBe(401);
    } finally {
      await gcs.close();
    }
  });

  it('Azure Blob: x-ms-range 206, If-Match 412, If-None-Match 304, and no x-ms-version is refused', async () => {
    const azure = await startFakeAzure({
      acct: { sasSignature: 's', containers: { c: { o: object } } },
    });
    try {
      const url = `${azure.origin}/acct/c/o?sig=s`;
      const version = { 'x-ms-version': '2021-08-06' };
      const ranged = await get(url, { ...version, 'x-ms-range': 'bytes=0-3' });
      expect([ranged.status, ranged.headers['content-range']]).toEqual([
        206,
        'bytes 0-3/10',
      ]);
      expect(
        (await get(url, { ...version, 'If-Match': '"0x8Dother"' })).status,
      ).toBe(412);
      expect(
        (await get(url, { ...version, 'If-None-Match': azureEtagOf(object) }))
          .status,
      ).toBe(304);
      expect((await get(url)).status).toBe(400);
      expect((await get(`${azure.origin}/acct/c/o`, version)).status).toBe(401);
    } finally {
      await azure.close();
    }
  });
});
