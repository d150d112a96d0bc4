/**
 * Against Debian's real docker-registry (distribution v2), with images pushed by skopeo. Skipped,
 * with a message, only when the binaries are not installed.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createScanner } from '../createScanner';
import { DEFAULT_POLICY } from '../policy/defaults';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import { main } from '../cli/main';
import { captureIo } from '../cli/testing';
import { EXIT_CODES } from '../cli/exitCodes';
import { DEFAULT_IMAGE_LIMITS } from './limits';
import {
  parseChallenge,
  parseRegistryReference,
  registryStore,
} from './registry';
import { scanImage } from './scanImage';
import { MALICIOUS_PICKLE } from './testing/imageBuilder';
import {
  REGISTRY_BINARY,
  SKOPEO_BINARY,
  registryToolsInstalled,
  startLocalRegistry,
  type LocalRegistry,
} from './testing/localRegistry';

const SKOPEO = SKOPEO_BINARY;
if (!registryToolsInstalled)
  console.warn(
    `registry tests skipped: ${REGISTRY_BINARY} or ${SKOPEO_BINARY} is not installed`,
  );
const describeRegistry = registryToolsInstalled ? describe : describe.skip;
// skopeo pushes and pulls of real images: seconds each on a loaded CI machine.
jest.setTimeout(60_000);
const run = promisify(execFile);

describe('registry references', () => {
  it('parses tags, digests and ports, and rejects anything else', () => {
    expect(parseRegistryReference('oci://127.0.0.1:5000/ml/model:1.0')).toEqual(
      { host: '127.0.0.1:5000', repository: 'ml/model', reference: '1.0' },
    );
    expect(
      parseRegistryReference(`oci://ghcr.io/org/img@sha256:${'a'.repeat(64)}`)
        ?.reference,
    ).toBe(`sha256:${'a'.repeat(64)}`);
    expect(parseRegistryReference('oci://ghcr.io/org/img')?.reference).toBe(
      'latest',
    );
    expect(parseRegistryReference('oci://ghcr.io/../x:1')).toBeUndefined();
    expect(
      parseChallenge(
        'Bearer realm="https://auth.io/token",service="reg",scope="repository:a:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.io/token',
        service: 'reg',
        scope: 'repository:a:pull',
      },
    });
  });
});

describeRegistry('scanning an image pulled from docker-registry', () => {
  let dir: string;
  let port: number;
  let registry: LocalRegistry;

  beforeAll(async () => {
    registry = await startLocalRegistry();
    dir = registry.dir;
    port = registry.port;
    await registry.pushImage('ml/benign', '1.0', [
      {
        config: { User: 'app' },
        layers: [[{ name: 'app/main.py', data: 'print(1)\n' }]],
      },
    ]);
    await registry.pushImage('ml/evil', '1.0', [
      {
        config: {
          User: 'app',
          Cmd: ['sh', '-c', 'pip install torch && python serve.py'],
        },
        layers: [[{ name: 'models/model.pkl', data: MALICIOUS_PICKLE }]],
      },
    ]);
  }, 60_000);

  afterAll(async () => registry?.stop());

  it('pulls by tag, pins the manifest digest, and re-pulls by that digest', async () => {
    const ref = parseRegistryReference(
      `oci://127.0.0.1:${port}/ml/benign:1.0`,
    )!;
    const store = registryStore(ref, DEFAULT_IMAGE_LIMITS);
    const result = await scanImage(
      `oci://127.0.0.1:${port}/ml/benign:1.0`,
      store,
      createScanner(),
    );
    expect(
      evaluatePolicy(result, DEFAULT_POLICY, { now: new Date() }).decision,
    ).toBe('PASS');
    expect(result.files.map(f => f.path)).toEqual(['app/main.py']);
    expect(result.remote?.pinnedUri).toMatch(/@sha256:[a-f0-9]{64}$/);
    expect(result.remote?.requests).toBeGreaterThanOrEqual(3);

    const byDigest = await scanImage(
      result.remote!.pinnedUri,
      registryStore(
        parseRegistryReference(result.remote!.pinnedUri.replace(':1.0@', '@'))!,
        DEFAULT_IMAGE_LIMITS,
      ),
      createScanner(),
    );
    expect(byDigest.remote?.digest).toBe(result.remote?.digest);
  });

  it('blocks the malicious image through the CLI and reports a missing tag as unreadable', async () => {
    const { io, output } = captureIo(dir);
    const code = await main(
      ['scan', `oci://127.0.0.1:${port}/ml/evil:1.0`, '--format', 'json'],
      io,
    );
    expect(code).toBe(EXIT_CODES.BLOCK);
    const rules = JSON.parse(output.stdout).findings.map(
      (f: { ruleId: string }) => f.ruleId,
    );
    expect(rules).toEqual(expect.arrayContaining(['IMAGE-RUNTIME-INSTALL']));
    expect(rules.some((id: string) => id.startsWith('PICKLE-'))).toBe(true);

    const missing = await scanImage(
      'x',
      registryStore(
        parseRegistryReference(`oci://127.0.0.1:${port}/ml/evil:nope`)!,
        DEFAULT_IMAGE_LIMITS,
      ),
      createScanner(),
    );
    expect(missing.findings.map(f => f.ruleId)).toEqual(['IMAGE-UNREADABLE']);
  });

  it('authenticates with a Bearer token obtained with Docker config credentials', async () => {
    // A token-auth front for the registry, as Docker Hub and GHCR do: 401 + challenge, then a token
    // from the realm for Basic credentials, then the registry's answers for that token only.
    const seen: string[] = [];
    const front: Server = createHttpServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const auth = req.headers.authorization ?? '';
      if (url.pathname === '/token') {
        seen.push(`token ${url.searchParams.get('scope')}`);
        if (auth !== `Basic ${Buffer.from('alice:s3cret').toString('base64')}`)
          res.writeHead(401).end();
        else
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ token: 'tok-123' }));
        return;
      }
      if (auth !== 'Bearer tok-123') {
        const realm = `http://127.0.0.1:${
          (front.address() as { port: number }).port
        }/token`;
        res
          .writeHead(401, {
            'www-authenticate': `Bearer realm="${realm}",service="test",scope="repository:ml/benign:pull"`,
          })
          .end();
        return;
      }
      const upstream = await fetch(`http://127.0.0.1:${port}${url.pathname}`, {
        headers: { accept: String(req.headers.accept ?? '*/*') },
      });
      const headers: Record<string, string> = {};
      upstream.headers.forEach((value, key) => {
        if (key !== 'content-encoding' && key !== 'transfer-encoding')
          headers[key] = value;
      });
      res
        .writeHead(upstream.status, headers)
        .end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>(resolve => front.listen(0, '127.0.0.1', resolve));
    const frontPort = (front.address() as { port: number }).port;
    try {
      const home = join(dir, 'home');
      await mkdir(join(home, '.docker'), {
        recursive: true,
      });
      await writeFile(
        join(home, '.docker/config.json'),
        JSON.stringify({
          auths: {
            [`127.0.0.1:${frontPort}`]: {
              auth: Buffer.from('alice:s3cret').toString('base64'),
            },
          },
        }),
      );
      const { io, output } = captureIo(dir, { env: { HOME: home } });
      const code = await main(
        [
          'scan',
          `oci://127.0.0.1:${frontPort}/ml/benign:1.0`,
          '--format',
          'json',
        ],
        io,
      );
      expect(output.stderr).toBe('');
      expect(code).toBe(EXIT_CODES.PASS);
      expect(seen).toEqual(['token repository:ml/benign:pull']);

      const { io: anonIo, output: anon } = captureIo(dir, {
        env: { HOME: join(dir, 'nobody') },
      });
      expect(
        await main(
          [
            'scan',
            `oci://127.0.0.1:${frontPort}/ml/benign:1.0`,
            '--format',
            'json',
          ],
          anonIo,
        ),
      ).not.toBe(EXIT_CODES.PASS);
      expect(JSON.parse(anon.stdout).findings[0].ruleId).toBe(
        'IMAGE-UNREADABLE',
      );
    } finally {
      front.close();
    }
  });

  it('pulls and flattens zstd layers (tar+zstd) that skopeo pushed', async () => {
    await registry.pushImage('ml/zstd', '1.0', [
      {
        zstd: true,
        config: { User: 'app' },
        layers: [[{ name: 'models/model.pkl', data: MALICIOUS_PICKLE }]],
      },
    ]);
    const uri = `oci://127.0.0.1:${port}/ml/zstd:1.0`;
    const result = await scanImage(
      uri,
      registryStore(parseRegistryReference(uri)!, DEFAULT_IMAGE_LIMITS),
      createScanner(),
    );
    expect(result.findings.map(f => f.ruleId)).not.toContain(
      'IMAGE-UNREADABLE',
    );
    expect(
      result.findings.some(
        f =>
          f.ruleId.startsWith('PICKLE-') &&
          f.location.path === 'models/model.pkl',
      ),
    ).toBe(true);
  });

  it('reads the OCI and docker archives skopeo itself writes', async () => {
    for (const format of ['oci-archive', 'docker-archive']) {
      const file = join(dir, `${format}.tar`);
      await run(SKOPEO, [
        'copy',
        '--insecure-policy',
        '--src-tls-verify=false',
        `docker://127.0.0.1:${port}/ml/evil:1.0`,
        `${format}:${file}${format === 'docker-archive' ? ':ml/evil:1.0' : ''}`,
      ]);
      const { io, output } = captureIo(dir);
      const code = await main(
        ['scan', `${format}:${file}`, '--format', 'json'],
        io,
      );
      expect(code).toBe(EXIT_CODES.BLOCK);
      const findings = JSON.parse(output.stdout).findings as {
        ruleId: string;
        location: { path: string };
      }[];
      expect(
        findings.some(
          f =>
            f.ruleId.startsWith('PICKLE-') &&
            f.location.path === 'models/model.pkl',
        ),
      ).toBe(true);
    }
  });
});
