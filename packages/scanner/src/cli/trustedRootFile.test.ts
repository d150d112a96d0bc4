import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  logEntry,
  makeBundle,
  newKey,
  newTestCa,
  newTestLog,
  statementFor,
  trustedRootJson,
} from '../signatures/__testUtils__/signing';
import { main } from './main';
import { MAX_TRUSTED_ROOT_FILE_BYTES } from './trustedRootFile';
import { captureIo } from './testing';

const MODEL: Record<string, string> = {
  'tokenizer.json': '{"vocab":{}}',
  'config.json': '{"model_type":"test"}',
};
const EMAIL = 'release@example.com';
const ISSUER = 'https://accounts.example.com';

// Keyless signing as Sigstore does it: a 10-minute certificate, long expired at scan time, whose
// signing time only the transparency log proves.
const ca = newTestCa('Keyless Test Root');
const log = newTestLog();
const key = newKey('p256');
const certificate = ca.issue(key, {
  email: EMAIL,
  issuer: ISSUER,
  start: '20200101000000Z',
  end: '20200101001000Z',
});
const signed = makeBundle({
  statement: statementFor(MODEL),
  key: key.privateKey,
  certificates: [certificate],
});
const bundle = JSON.parse(signed.json);
bundle.verificationMaterial.tlogEntries = [
  logEntry(
    log,
    signed.payload,
    signed.signature,
    Date.UTC(2020, 0, 1, 0, 5) / 1000,
  ),
];

const POLICY = [
  'apiVersion: mlgov/v1',
  'signatures:',
  '  require_signature: true',
  '  trusted_root_file: ../trust/trusted_root.json',
  '  signers:',
  `    - subject: ${EMAIL}`,
  `      issuer: ${ISSUER}`,
].join('\n');

async function checkout(trustedRoot: string | Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-root-'));
  const files: Record<string, string | Buffer> = {
    'policy/mlgov.yaml': POLICY,
    'trust/trusted_root.json': trustedRoot,
    'model/model.sig': JSON.stringify(bundle),
  };
  for (const [name, content] of Object.entries(MODEL))
    files[`model/${name}`] = content;
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

async function scan(dir: string) {
  const { io, output } = captureIo(dir);
  const code = await main(
    ['scan', 'model', '--policy', 'policy/mlgov.yaml', '--format', 'json'],
    io,
  );
  return { code, ...output };
}

describe('signatures.trusted_root_file', () => {
  it('verifies a keyless signature against the trusted root the policy names, relative to the policy', async () => {
    const root = trustedRootJson({
      certificateAuthorities: [[ca.der]],
      tlogs: [log],
    });
    const result = await scan(await checkout(JSON.stringify(root)));
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('MODEL-SIGNATURE-VERIFIED');
    expect(result.stdout).not.toMatch(
      /MODEL-SIGNATURE-(INVALID|UNTRUSTED-SIGNER|MISSING)/,
    );
    expect(result.code).toBe(0);
  });

  it('refuses the same bundle when the root does not list the log that timestamped it', async () => {
    const root = trustedRootJson({ certificateAuthorities: [[ca.der]] });
    const result = await scan(await checkout(JSON.stringify(root)));
    expect(result.stdout).toContain('MODEL-SIGNATURE-UNTRUSTED-SIGNER');
    expect(result.stdout).not.toContain('MODEL-SIGNATURE-VERIFIED');
    expect(result.code).toBe(20);
  });

  it.each([
    ['a file that is not JSON', '{ not json', /is not JSON/],
    [
      'JSON that is not a trusted root',
      JSON.stringify({ tlogs: 'nope' }),
      /not a Sigstore trusted root/,
    ],
    [
      'a file over the limit',
      Buffer.alloc(MAX_TRUSTED_ROOT_FILE_BYTES + 1, 0x20),
      /larger than/,
    ],
  ])(
    'stops with a usage error, not a weaker check, on %s',
    async (_, content, message) => {
      const result = await scan(await checkout(content));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    },
  );

  it('stops with a usage error when the file is missing', async () => {
    const dir = await checkout('{}');
    await writeFile(
      join(dir, 'policy/mlgov.yaml'),
      POLICY.replace('../trust/', '../nowhere/'),
    );
    const result = await scan(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'cannot read signatures.trusted_root_file ../nowhere/trusted_root.json: ENOENT',
    );
  });
});
