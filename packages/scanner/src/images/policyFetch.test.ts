import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { hostPolicyFetch } from './policyFetch';

function listen(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as { port: number }).port }),
    ),
  );
}

describe('hostPolicyFetch (registry pulls in the portal)', () => {
  let registry: { server: Server; port: number };
  let storage: { server: Server; port: number };
  const seenByStorage: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    storage = await listen((req, res) => {
      seenByStorage.push(req.headers);
      res.writeHead(200).end('blob-bytes');
    });
    registry = await listen((req, res) => {
      if (req.url === '/v2/ml/app/blobs/to-storage')
        res
          .writeHead(307, {
            location: `http://localhost:${storage.port}/signed?x=1`,
          })
          .end();
      else if (req.url === '/v2/ml/app/blobs/to-metadata')
        res.writeHead(302, { location: 'http://169.254.169.254/latest' }).end();
      else if (req.url === '/v2/ml/app/blobs/huge')
        res.writeHead(200).end(Buffer.alloc(2048));
      else
        res.writeHead(200, { 'docker-content-digest': 'sha256:x' }).end('{}');
    });
  });
  afterAll(() => {
    registry.server.close();
    storage.server.close();
  });

  const policyFetch = (additionalHosts: string[] = []) =>
    hostPolicyFetch({
      allowedHosts: [`127.0.0.1:${registry.port}`, ...additionalHosts],
      retries: 0,
      timeoutMs: 5_000,
      maxBodyBytes: 1024,
    });

  it('answers the configured registry with its headers', async () => {
    const response = await policyFetch()(
      `http://127.0.0.1:${registry.port}/v2/ml/app/manifests/1.0`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe('sha256:x');
    expect(await response.text()).toBe('{}');
  });

  it('refuses hosts that are not configured, and redirects to them', async () => {
    await expect(
      policyFetch()(`http://127.0.0.1:${storage.port}/v2/`),
    ).rejects.toThrow(/not a configured host/);
    await expect(
      policyFetch()(
        `http://127.0.0.1:${registry.port}/v2/ml/app/blobs/to-metadata`,
      ),
    ).rejects.toThrow(/169\.254\.169\.254 is not a configured host/);
    await expect(
      policyFetch()(
        `http://127.0.0.1:${registry.port}/v2/ml/app/blobs/to-storage`,
      ),
    ).rejects.toThrow(/localhost:\d+ is not a configured host/);
  });

  it('follows a redirect to an allowed storage host without the registry credentials', async () => {
    const response = await policyFetch([`localhost:${storage.port}`])(
      `http://127.0.0.1:${registry.port}/v2/ml/app/blobs/to-storage`,
      { headers: { authorization: 'Bearer registry-token', accept: '*/*' } },
    );
    expect(await response.text()).toBe('blob-bytes');
    expect(seenByStorage.at(-1)?.authorization).toBeUndefined();
    expect(seenByStorage.at(-1)?.accept).toBe('*/*');
  });

  it('stops a body larger than the limit', async () => {
    await expect(
      policyFetch()(`http://127.0.0.1:${registry.port}/v2/ml/app/blobs/huge`),
    ).rejects.toThrow(/more than 1024 bytes/);
  });
});
