/**
 * Against Debian's real docker-registry (distribution v2), with images pushed by skopeo. Skipped,
 * with a message, only when the binaries are not installed.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
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
import { MALICIOUS_PICKLE, writeLayout } from './testing/imageBuilder';

const REGISTRY = '/usr/bin/docker-registry';
const SKOPEO = '/usr/bin/skopeo';
const available = existsSync(REGISTRY) && existsSync(SKOPEO);
if (!available)
  console.warn(
    `registry tests skipped: ${REGISTRY} or ${SKOPEO} is not installed`,
  );
const describeRegistry = available ? describe : describe.skip;
const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

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
  let registry: ChildProcess;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlgov-registry-'));
    port = await freePort();
    await writeFile(
      join(dir, 'config.yml'),
      `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${join(
        dir,
        'storage',
      )}\nhttp:\n  addr: 127.0.0.1:${port}\nlog:\n  level: error\n`,
    );
    registry = spawn(REGISTRY, ['serve', join(dir, 'config.yml')], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`http://127.0.0.1:${port}/v2/`).then(
        r => r.ok,
        () => false,
      );
      if (up) break;
      await new Promise(r => setTimeout(r, 100));
    }
    const push = async (
      name: string,
      layers: Parameters<typeof writeLayout>[1],
    ) => {
      const layout = await writeLayout(join(dir, name), layers);
      await run(SKOPEO, [
        'copy',
        '--insecure-policy',
        '--dest-tls-verify=false',
        `oci:${layout}`,
        `docker://127.0.0.1:${port}/ml/${name}:1.0`,
      ]);
    };
    await push('benign', [
      {
        config: { User: 'app' },
        layers: [[{ name: 'app/main.py', data: 'print(1)\n' }]],
      },
    ]);
    await push('evil', [
      {
        config: {
          User: 'app',
          Cmd: ['sh', '-c', 'pip install torch && python serve.py'],
        },
        layers: [[{ name: 'models/model.pkl', data: MALICIOUS_PICKLE }]],
      },
    ]);
  }, 60_000);

  afterAll(async () => {
    registry?.kill();
    await rm(dir, { recursive: true, force: true });
  });

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
});
