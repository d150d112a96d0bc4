import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main';
import { captureIo } from '../cli/testing';
import { EXIT_CODES } from '../cli/exitCodes';
import {
  MALICIOUS_PICKLE,
  ociArchive,
  writeLayout,
} from './testing/imageBuilder';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlgov-image-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]) {
  const { io, output } = captureIo(dir);
  const code = await main(argv, io);
  return { code, ...output };
}

describe('mlgov scan <image>', () => {
  it('scans oci-layout: and oci-archive: targets and reports the pinned digest in JSON', async () => {
    await writeLayout(join(dir, 'ok'), [
      {
        config: { User: 'app' },
        layers: [[{ name: 'app/main.py', data: 'print(1)\n' }]],
      },
    ]);
    const ok = await run(['scan', 'oci-layout:ok', '--format', 'json']);
    expect(ok.code).toBe(EXIT_CODES.PASS);
    expect(JSON.parse(ok.stdout).remote.digest).toMatch(
      /^sha256:[a-f0-9]{64}$/,
    );

    await writeFile(
      join(dir, 'evil.tar'),
      ociArchive([
        {
          config: { User: 'app' },
          layers: [[{ name: 'model.pkl', data: MALICIOUS_PICKLE }]],
        },
      ]),
    );
    const evil = await run(['scan', 'oci-archive:evil.tar']);
    expect(evil.code).toBe(EXIT_CODES.BLOCK);
    expect(evil.stdout).toContain('model.pkl');
  });

  it('refuses a missing image path with a usage error', async () => {
    const missing = await run(['scan', 'oci-archive:nope.tar']);
    expect(missing.code).toBe(EXIT_CODES.USAGE);
    expect(missing.stderr).toContain('nope.tar');
  });

  it('scans every platform of an index, or only the --platform ones', async () => {
    await writeLayout(join(dir, 'multi'), [
      {
        config: { User: 'app' },
        platform: { os: 'linux', architecture: 'amd64' },
        layers: [[{ name: 'ok.txt', data: 'ok' }]],
      },
      {
        config: { User: 'app' },
        platform: { os: 'linux', architecture: 'arm64' },
        layers: [[{ name: 'model.pkl', data: MALICIOUS_PICKLE }]],
      },
    ]);
    expect((await run(['scan', 'oci-layout:multi'])).code).toBe(
      EXIT_CODES.BLOCK,
    );
    expect(
      (await run(['scan', 'oci-layout:multi', '--platform', 'linux/amd64']))
        .code,
    ).toBe(EXIT_CODES.PASS);

    // The same choice in a policy file; --platform still overrides it.
    await writeFile(
      join(dir, 'policy.yaml'),
      'apiVersion: mlgov/v1\nimage_platforms: [linux/amd64]\n',
    );
    expect(
      (await run(['scan', 'oci-layout:multi', '--policy', 'policy.yaml'])).code,
    ).toBe(EXIT_CODES.PASS);
    expect(
      (
        await run([
          'scan',
          'oci-layout:multi',
          '--policy',
          'policy.yaml',
          '--platform',
          'linux/arm64',
        ])
      ).code,
    ).toBe(EXIT_CODES.BLOCK);
    await writeFile(
      join(dir, 'bad.yaml'),
      'apiVersion: mlgov/v1\nimage_platforms: [amd64]\n',
    );
    expect(
      (await run(['scan', 'oci-layout:multi', '--policy', 'bad.yaml'])).code,
    ).toBe(EXIT_CODES.USAGE);
  });
});
