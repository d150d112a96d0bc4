import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main';
import { captureIo } from '../cli/testing';
import {
  makeBundle,
  newKey,
  newTestCa,
  statementFor,
} from './__testUtils__/signing';

/** A minimal valid safetensors file, so the full default scanner has nothing else to say. */
function weights(): string {
  const header = '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([prefix, Buffer.from(header), Buffer.alloc(4)]).toString(
    'latin1',
  );
}

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-sig-cli-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content, 'latin1');
  }
  return dir;
}

async function run(argv: string[], cwd: string) {
  const { io, output } = captureIo(cwd);
  return { code: await main(argv, io), ...output };
}

describe('mlgov scan --trusted-root / --require-signature', () => {
  const ca = newTestCa();
  const key = newKey('p256');
  const model = { 'model/model.safetensors': weights() };
  const statement = statementFor({
    'model.safetensors': Buffer.from(weights(), 'latin1'),
  });
  const signature = makeBundle({
    statement,
    key: key.privateKey,
    certificates: [
      ca.issue(key, {
        email: 'release@example.com',
        issuer: 'https://idp.example',
      }),
    ],
  }).json;
  const policy = [
    'apiVersion: mlgov/v1',
    'signatures:',
    '  signers:',
    '    - subject: release@example.com',
    '      issuer: https://idp.example',
  ].join('\n');

  it('passes a model signed under the root given on the command line, and blocks without it', async () => {
    const dir = await tree({
      ...model,
      'model/model.sig': signature,
      'root.pem': ca.rootPem,
      'policy.yaml': policy,
    });
    const trusted = await run(
      [
        'scan',
        'model',
        '--policy',
        'policy.yaml',
        '--trusted-root',
        'root.pem',
        '--quiet',
      ],
      dir,
    );
    expect(trusted.code).toBe(0);
    const untrusted = await run(
      ['scan', 'model', '--policy', 'policy.yaml', '--format', 'json'],
      dir,
    );
    expect(untrusted.code).toBe(20);
    expect(untrusted.stdout).toContain('MODEL-SIGNATURE-UNTRUSTED-SIGNER');
  });

  it('blocks an unsigned model with --require-signature and refuses a root that is not a certificate', async () => {
    const dir = await tree({ ...model, 'root.pem': 'not a certificate' });
    const plain = await run(['scan', 'model', '--format', 'json'], dir);
    expect(plain.code).toBe(0);
    const required = await run(
      ['scan', 'model', '--require-signature', '--format', 'json'],
      dir,
    );
    expect(required.code).toBe(20);
    expect(required.stdout).toContain('MODEL-SIGNATURE-MISSING');
    const bad = await run(['scan', 'model', '--trusted-root', 'root.pem'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a PEM certificate');
  });
});
