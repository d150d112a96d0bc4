import { createScanner } from '../../createScanner';
import {
  sparseSafetensors,
  sparseTorchZip,
  startFakeS3,
  torchStateDictPickle,
  VirtualObject,
  type FakeS3,
} from '../../test-support/remote';
import {
  createRemoteSource,
  newTransferContext,
  type RemoteSourcesConfig,
} from '../remoteSources';
import { scanRemoteSource } from '../scanRemote';
import { parseS3Uri } from './S3Source';

jest.setTimeout(30_000);

const GiB = 1024 ** 3;
/** Protocol 0: `os.system('echo pwned')` when loaded. */
const SYSTEM_PICKLE = "cos\nsystem\n(S'echo pwned'\ntR.";
let s3: FakeS3;

beforeAll(async () => {
  const models: Record<string, VirtualObject> = {
    'models/llm/config.json': VirtualObject.of('{"model_type":"llama"}'),
    'models/llm/model-00001-of-00002.safetensors': sparseSafetensors(
      2.5 * GiB,
      300,
      'a',
    ),
    'models/llm/model-00002-of-00002.safetensors': sparseSafetensors(
      2.5 * GiB,
      300,
      'b',
    ),
    'models/llm-large/decoy.pkl': VirtualObject.of('not part of models/llm'),
    // Keys a path join would fold onto one file: each object must be scanned as itself.
    'hostile/x//evil.pkl': VirtualObject.of(SYSTEM_PICKLE),
    'hostile/x/evil.pkl': VirtualObject.of('benign notes\n'),
    'hostile/a': VirtualObject.of('a file where a folder would go\n'),
    'hostile/a/b.pkl': VirtualObject.of(SYSTEM_PICKLE),
    'hostile/./c.pkl': VirtualObject.of(SYSTEM_PICKLE),
    'hostile/d\\e.pkl': VirtualObject.of(SYSTEM_PICKLE),
    'models/torch.pt': sparseTorchZip(
      torchStateDictPickle(300, 1000, 'id'),
      2 * GiB,
      300,
    ),
  };
  s3 = await startFakeS3({ 'ml-models': models }, { pageSize: 2 });
});
afterAll(() => s3.close());
beforeEach(() => {
  s3.served.body = 0;
  s3.served.log.length = 0;
});

function config(accessKeyId = 'AKIATESTKEY'): RemoteSourcesConfig {
  return {
    s3: {
      endpoint: s3.origin,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'secret' },
      maxAttempts: 2,
    },
  };
}

async function scan(uri: string, cfg = config()) {
  const transfer = newTransferContext();
  return scanRemoteSource(
    createScanner(),
    createRemoteSource(uri, cfg, transfer),
    transfer,
  );
}

describe('S3 source', () => {
  it('lists a prefix across pages and judges 5 GiB of safetensors shards under 1 MB per GB', async () => {
    const result = await scan('s3://ml-models/models/llm');
    expect(result.files.map(f => f.path)).toEqual([
      'config.json',
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
    ]);
    expect(result.findings.filter(f => f.ruleId.startsWith('SCAN-'))).toEqual(
      [],
    );
    expect(s3.served.body).toBeLessThan(5 * 1_000_000);
    // Path-style addressing against the configured endpoint, every request signed with SigV4.
    expect(
      s3.served.log.every(entry => entry.url.startsWith('/ml-models')),
    ).toBe(true);
    expect(
      s3.served.log.every(entry =>
        entry.authorization?.startsWith(
          'AWS4-HMAC-SHA256 Credential=AKIATESTKEY/',
        ),
      ),
    ).toBe(true);
    expect(
      s3.served.log.filter(entry => entry.url.includes('list-type=2')),
    ).toHaveLength(2);
  });

  it('scans every object as itself when keys would fold onto one file path (a//b, a/./b, a beside a/b, backslashes)', async () => {
    const result = await scan('s3://ml-models/hostile/');
    const calls = (path: string) =>
      result.findings.some(
        f =>
          f.location.path === path &&
          f.severity === 'critical' &&
          f.message.includes('os.system'),
      );
    expect(result.files.map(f => f.path).sort()).toEqual(
      ['a', 'a/b.pkl', 'd\\e.pkl', 'x//evil.pkl', 'x/evil.pkl'].sort(),
    );
    // The malicious objects are found under their own names; the benign neighbour stays benign.
    for (const path of ['x//evil.pkl', 'a/b.pkl', 'd\\e.pkl'])
      expect({ path, found: calls(path) }).toEqual({ path, found: true });
    expect(
      result.findings.some(
        f => f.location.path === 'x/evil.pkl' && f.severity === 'critical',
      ),
    ).toBe(false);
    // What could not be laid out for the project analyzers is said, per object.
    const incomplete = (path: string) =>
      result.findings
        .filter(
          f =>
            f.ruleId === 'SCAN-REMOTE-INCOMPLETE' && f.location.path === path,
        )
        .map(f => f.message);
    for (const path of ['x//evil.pkl', 'a/b.pkl', 'd\\e.pkl', './c.pkl'])
      expect(incomplete(path)).toContainEqual(
        expect.stringContaining('not laid out for the dependency'),
      );
    // A `.` segment cannot be addressed in an S3 URL (URL parsing removes it): that object is
    // unreadable, which is an incomplete scan, never a pass.
    expect(incomplete('./c.pkl')).toContainEqual(
      expect.stringContaining('NoSuchKey'),
    );
    expect(
      result.findings.filter(f => f.ruleId === 'SCAN-REMOTE-INCOMPLETE').length,
    ).toBe(5);
  });

  it('reads one object by ranges and finds what its pickle calls', async () => {
    const result = await scan('s3://ml-models/models/torch.pt');
    expect(result.files.map(f => f.path)).toEqual(['torch.pt']);
    expect(
      result.findings.some(
        f => f.severity === 'critical' && f.message.includes('os.system'),
      ),
    ).toBe(true);
    expect(s3.served.body).toBeLessThan(2 * 1_000_000);
  }, 60_000);

  it('gives the same digest while nothing changes, without reading objects, and a new one when an ETag changes', async () => {
    const first = await createRemoteSource(
      's3://ml-models/models/llm',
      config(),
    ).digest();
    expect(
      await createRemoteSource('s3://ml-models/models/llm', config()).digest(),
    ).toBe(first);
    expect(s3.served.body).toBe(0);
    const bucket = s3.buckets['ml-models'];
    const original = bucket['models/llm/config.json'];
    bucket['models/llm/config.json'] = VirtualObject.of(
      '{"model_type":"changed"}',
    );
    try {
      expect(
        await createRemoteSource(
          's3://ml-models/models/llm',
          config(),
        ).digest(),
      ).not.toBe(first);
    } finally {
      bucket['models/llm/config.json'] = original;
    }
  });

  it('fails the read of an object replaced after listing (If-Match) instead of mixing versions', async () => {
    const transfer = newTransferContext();
    const source = createRemoteSource(
      's3://ml-models/models/torch.pt',
      config(),
      transfer,
    );
    const bucket = s3.buckets['ml-models'];
    const original = bucket['models/torch.pt'];
    const tree = await source.open();
    bucket['models/torch.pt'] = sparseTorchZip(
      torchStateDictPickle(1, 10),
      1024 * 1024,
      1,
    );
    try {
      await expect(tree.files[0].open().read(0, 10)).rejects.toThrow(
        /PreconditionFailed|412/,
      );
    } finally {
      bucket['models/torch.pt'] = original;
    }
  });

  it('reports refused credentials as an incomplete source, never a pass', async () => {
    const result = await scan('s3://ml-models/models/llm', config('AKIAWRONG'));
    expect(result.findings).toEqual([
      expect.objectContaining({
        ruleId: 'SCAN-REMOTE-INCOMPLETE',
        message: expect.stringContaining('403'),
      }),
    ]);
  });

  it('accepts only DNS-compatible bucket names and configured buckets', () => {
    expect(parseS3Uri('s3://ml-models/a/b')).toEqual({
      bucket: 'ml-models',
      prefix: 'a/b',
    });
    expect(parseS3Uri('s3://169.254.169.254:80/x')).toBeUndefined();
    expect(parseS3Uri('s3://Evil_Bucket/x')).toBeUndefined();
    expect(() =>
      createRemoteSource('s3://other-bucket/x', {
        s3: { ...config().s3, allowedBuckets: ['ml-models'] },
      }),
    ).toThrow(/allowedBuckets/);
  });
});
