import {
  applyFault,
  listen,
  record,
  sendObject,
  ServedBytes,
  type Fault,
  type RunningServer,
} from './rangeServer';
import type { VirtualObject } from './virtualObject';

export interface FakeS3 extends RunningServer {
  served: ServedBytes;
  faults: Fault[];
  /** Replace or add objects while running (an ETag change between listing and read). */
  buckets: Record<string, Record<string, VirtualObject>>;
}

const xml = (value: string) =>
  value.replace(/[<>&'"]/g, c => `&#${c.charCodeAt(0)};`);

/**
 * An S3-compatible endpoint (path-style, as MinIO and Ceph serve it) on 127.0.0.1: ListObjectsV2
 * (`?list-type=2`, prefix, continuation tokens, `pageSize` keys per page), GetObject with Range and
 * If-Match (412 on a stale ETag), HeadObject. Every request must carry a SigV4 Authorization header
 * for the expected access key, or it gets 403 as S3 would; the signature itself is not verified.
 */
export async function startFakeS3(
  buckets: Record<string, Record<string, VirtualObject>>,
  options: { accessKeyId?: string; pageSize?: number; port?: number } = {},
): Promise<FakeS3> {
  const served = new ServedBytes();
  const faults: Fault[] = [];
  const accessKeyId = options.accessKeyId ?? 'AKIATESTKEY';
  const pageSize = options.pageSize ?? 1000;
  const running = await listen(
    (req, res) => {
      record(served, req);
      if (applyFault(faults, req, res)) return;
      const authorization = req.headers.authorization ?? '';
      if (
        !authorization.startsWith(
          `AWS4-HMAC-SHA256 Credential=${accessKeyId}/`,
        ) ||
        !/Signature=[0-9a-f]{64}/.test(authorization)
      ) {
        res.writeHead(403, { 'Content-Type': 'application/xml' });
        res.end(
          '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
        );
        return;
      }
      const url = new URL(req.url ?? '/', 'http://s3');
      const [, bucketName, ...keyParts] = url.pathname.split('/');
      const bucket = buckets[bucketName];
      if (!bucket) {
        res.writeHead(404, { 'Content-Type': 'application/xml' });
        res.end(
          '<?xml version="1.0"?><Error><Code>NoSuchBucket</Code></Error>',
        );
        return;
      }
      const key = decodeURIComponent(keyParts.join('/'));
      if (key === '' && url.searchParams.get('list-type') === '2') {
        const prefix = url.searchParams.get('prefix') ?? '';
        const keys = Object.keys(bucket)
          .filter(each => each.startsWith(prefix))
          .sort();
        const start = Number(url.searchParams.get('continuation-token') ?? '0');
        const page = keys.slice(
          start,
          start +
            Math.min(
              pageSize,
              Number(url.searchParams.get('max-keys') ?? 1000),
            ),
        );
        const truncated = start + page.length < keys.length;
        const body = [
          '<?xml version="1.0" encoding="UTF-8"?>',
          '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
          `<Name>${xml(bucketName)}</Name><Prefix>${xml(
            prefix,
          )}</Prefix><KeyCount>${page.length}</KeyCount>`,
          `<MaxKeys>1000</MaxKeys><IsTruncated>${truncated}</IsTruncated>`,
          truncated
            ? `<NextContinuationToken>${
                start + page.length
              }</NextContinuationToken>`
            : '',
          ...page.map(
            each =>
              `<Contents><Key>${xml(
                each,
              )}</Key><LastModified>2026-11-01T00:00:00.000Z</LastModified><ETag>${xml(
                bucket[each].etag,
              )}</ETag><Size>${
                bucket[each].size
              }</Size><StorageClass>STANDARD</StorageClass></Contents>`,
          ),
          '</ListBucketResult>',
        ].join('');
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        res.end(body);
        return;
      }
      const object = bucket[key];
      if (!object) {
        res.writeHead(404, { 'Content-Type': 'application/xml' });
        res.end('<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>');
        return;
      }
      const ifMatch = req.headers['if-match'];
      if (ifMatch && ifMatch !== object.etag) {
        res.writeHead(412, { 'Content-Type': 'application/xml' });
        res.end(
          '<?xml version="1.0"?><Error><Code>PreconditionFailed</Code></Error>',
        );
        return;
      }
      sendObject(req, res, object, served, {
        'Last-Modified': 'Sun, 01 Nov 2026 00:00:00 GMT',
      });
    },
    '127.0.0.1',
    options.port,
  );
  return Object.assign(running, { served, faults, buckets });
}
