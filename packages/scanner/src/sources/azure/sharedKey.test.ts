import { createHmac } from 'node:crypto';
import { parseListBlobs } from './listBlobs';
import { sharedKeyAuthorization, sharedKeyStringToSign } from './sharedKey';

const KEY = Buffer.from('a test account key, not a real one').toString(
  'base64',
);

describe('Azure Shared Key', () => {
  it('builds the documented string-to-sign of the Blob service example (container metadata, version 2015-02-21)', () => {
    // From "Authorize with Shared Key", Blob service example: twelve standard fields, all empty.
    expect(
      sharedKeyStringToSign(
        'GET',
        new URL(
          'https://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=metadata&timeout=20',
        ),
        {
          'x-ms-version': '2015-02-21',
          'x-ms-date': 'Fri, 26 Jun 2015 23:39:12 GMT',
        },
        'myaccount',
      ),
    ).toBe(
      'GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\nx-ms-version:2015-02-21\n/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20',
    );
  });

  it('signs a ranged, conditional read: If-Match in its slot, x-ms-* sorted, decoded query values, the emulator account twice', () => {
    const url = new URL(
      'http://127.0.0.1:10000/devstoreaccount1/models/llm/a%20b.pt?Comp=x&prefix=a%2Fb',
    );
    const headers = {
      'x-ms-version': '2021-08-06',
      'x-ms-range': 'bytes=0-2047',
      'X-MS-Date': 'Sun, 01 Nov 2026 00:00:00 GMT',
      'If-Match': '"0x8D1"',
      'Content-Length': '0',
    };
    const expected =
      'GET\n\n\n\n\n\n\n\n"0x8D1"\n\n\n\n' +
      'x-ms-date:Sun, 01 Nov 2026 00:00:00 GMT\nx-ms-range:bytes=0-2047\nx-ms-version:2021-08-06\n' +
      '/devstoreaccount1/devstoreaccount1/models/llm/a%20b.pt\ncomp:x\nprefix:a/b';
    expect(sharedKeyStringToSign('GET', url, headers, 'devstoreaccount1')).toBe(
      expected,
    );
    const signature = createHmac('sha256', Buffer.from(KEY, 'base64'))
      .update(expected, 'utf8')
      .digest('base64');
    expect(
      sharedKeyAuthorization('GET', url, headers, 'devstoreaccount1', KEY),
    ).toBe(`SharedKey devstoreaccount1:${signature}`);
  });
});

describe('List Blobs answers', () => {
  it('reads names (escaped and Encoded="true"), ETags, sizes and the next marker', () => {
    const page = parseListBlobs(
      '\uFEFF<?xml version="1.0" encoding="utf-8"?><EnumerationResults ContainerName="c"><Prefix>m</Prefix>' +
        '<Blobs><Blob><Name>m/a&amp;b.pt</Name><Properties><Etag>0x8DA</Etag><Content-Length>12</Content-Length></Properties></Blob>' +
        '<Blob><Name Encoded="true">m/%EF%BF%BEodd</Name><Properties><Etag>"0x8DB"</Etag><Content-Length>0</Content-Length></Properties></Blob>' +
        '<BlobPrefix><Name>m/dir/</Name></BlobPrefix></Blobs><NextMarker>2!m/c</NextMarker></EnumerationResults>',
    );
    expect(page).toEqual({
      blobs: [
        { name: 'm/a&b.pt', etag: '0x8DA', size: 12 },
        { name: 'm/\uFFFEodd', etag: '"0x8DB"', size: 0 },
      ],
      nextMarker: '2!m/c',
    });
    expect(
      parseListBlobs(
        '<EnumerationResults><Blobs></Blobs><NextMarker /></EnumerationResults>',
      ),
    ).toEqual({ blobs: [] });
  });

  it('refuses what is not a listing, or a blob without a size, rather than listing nothing', () => {
    expect(() => parseListBlobs('<Error><Code>X</Code></Error>')).toThrow(
      /not a List Blobs answer/,
    );
    expect(() =>
      parseListBlobs(
        '<EnumerationResults><Blobs><Blob><Name>a</Name><Properties><Etag>e</Etag></Properties></Blob></Blobs></EnumerationResults>',
      ),
    ).toThrow(/no usable name, ETag or size/);
  });
});
