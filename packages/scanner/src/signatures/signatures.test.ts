import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scanner } from '../engine/Scanner';
import { parsePolicy } from '../policy/parsePolicy';
import { scanOptionsFromPolicy } from '../policy/scanOptions';
import { signatureAnalyzer } from './signatureAnalyzer';
import type { SignatureOptions } from './options';
import { keyFingerprint } from './verify';
import {
  logEntry,
  makeBundle,
  newKey,
  newTestCa,
  newTestLog,
  statementFor,
  type BundleParts,
} from './__testUtils__/signing';

const MODEL: Record<string, string> = {
  'model.safetensors': 'weights-bytes-0123456789',
  'config.json': '{"model_type":"test"}',
  'tokenizer.json': '{"vocab":{}}',
};

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-sig-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

async function scanFindings(dir: string, signatures: SignatureOptions) {
  const result = await new Scanner({
    readers: [],
    analyzers: [signatureAnalyzer],
    readerOptions: { signatures },
  }).scanPath(dir);
  return result.findings;
}

/** The problems found; the informational MODEL-SIGNATURE-VERIFIED record is asserted on its own. */
async function scan(dir: string, signatures: SignatureOptions) {
  return (await scanFindings(dir, signatures))
    .filter(
      f =>
        f.ruleId.startsWith('MODEL-SIGNATURE') &&
        f.ruleId !== 'MODEL-SIGNATURE-VERIFIED',
    )
    .map(f => ({ rule: f.ruleId, path: f.location.path, message: f.message }));
}

/** The same bundle (same ECDSA signature) with a log entry added, as Sigstore clients add it. */
function withLogEntry(json: string, entry: object): string {
  const bundle = JSON.parse(json);
  bundle.verificationMaterial.tlogEntries = [entry];
  return JSON.stringify(bundle);
}

async function signedFolder(
  parts: Omit<BundleParts, 'statement'> & { statement?: object },
  files = MODEL,
) {
  const bundle = makeBundle({ statement: statementFor(files), ...parts });
  return { dir: await folder({ ...files, 'model.sig': bundle.json }), bundle };
}

describe('model signatures with public keys', () => {
  const ed = newKey('ed25519');
  const p256 = newKey('p256');

  it.each([
    ['Ed25519', ed],
    ['ECDSA P-256', p256],
  ])('accepts a model signed with an allowed %s key', async (_, key) => {
    const { dir } = await signedFolder({ key: key.privateKey });
    const options = { required: true, signers: [{ publicKey: key.publicPem }] };
    expect(await scan(dir, options)).toEqual([]);
    const verified = (await scanFindings(dir, options)).filter(
      f => f.ruleId === 'MODEL-SIGNATURE-VERIFIED',
    );
    expect(verified).toHaveLength(1);
    expect(verified[0].severity).toBe('info');
    expect(verified[0].evidence).toMatchObject({
      signerKey: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
      signedFiles: String(Object.keys(MODEL).length),
      signedFileNames: Object.keys(MODEL).sort().join('\n'),
      problems: '0',
    });
  });

  it('reports a file changed after signing, and a signed file that is gone', async () => {
    const { json } = makeBundle({
      statement: statementFor(MODEL),
      key: p256.privateKey,
    });
    const dir = await folder({
      'model.safetensors': 'weights-bytes-0123456789-tampered',
      'config.json': MODEL['config.json'],
      'model.sig': json,
    });
    const findings = await scan(dir, {
      signers: [{ publicKey: p256.publicPem }],
    });
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'MODEL-SIGNATURE-MISMATCH',
        path: 'model.safetensors',
      }),
      expect.objectContaining({
        rule: 'MODEL-SIGNATURE-MISMATCH',
        path: 'tokenizer.json',
      }),
    ]);
    expect(findings[0].message).toMatch(/signed [0-9a-f]{64}/);
    // The provenance record says the signature held but the files did not.
    const verified = (
      await scanFindings(dir, { signers: [{ publicKey: p256.publicPem }] })
    ).find(f => f.ruleId === 'MODEL-SIGNATURE-VERIFIED');
    expect(verified?.evidence.problems).toBe('2');
  });

  it('reports unsigned files a loader reads, but not documentation or signed ignore_paths', async () => {
    const { json } = makeBundle({
      statement: statementFor(MODEL, ['model.sig', '.git']),
      key: ed.privateKey,
    });
    const dir = await folder({
      ...MODEL,
      'model.sig': json,
      'modeling_evil.py': 'import os\n',
      'model-00002-of-00002.safetensors': 'extra shard',
      'README.md': '# notes',
      '.git/config': '[core]',
    });
    const findings = await scan(dir, {
      signers: [{ publicKey: ed.publicPem }],
    });
    expect(findings.map(f => [f.rule, f.path])).toEqual([
      ['MODEL-SIGNATURE-EXTRA-FILE', 'model-00002-of-00002.safetensors'],
      ['MODEL-SIGNATURE-EXTRA-FILE', 'modeling_evil.py'],
    ]);
  });

  it('reports a signature by a key the policy does not allow, and trusts none of its manifest', async () => {
    const { dir } = await signedFolder({ key: newKey('ed25519').privateKey });
    const findings = await scan(dir, {
      signers: [{ publicKey: ed.publicPem }],
    });
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
        path: 'model.sig',
      }),
    ]);
    expect(findings[0].message).toContain(keyFingerprint(ed.publicKey));
  });

  it('rejects a manifest edited after signing (digest swapped to match a tampered file)', async () => {
    const tampered = { ...MODEL, 'model.safetensors': 'evil weights' };
    const { json } = makeBundle({
      statement: statementFor(MODEL),
      key: ed.privateKey,
      tamperPayload: () => Buffer.from(JSON.stringify(statementFor(tampered))),
    });
    const dir = await folder({ ...tampered, 'model.sig': json });
    expect(
      (await scan(dir, { signers: [{ publicKey: ed.publicPem }] })).map(
        f => f.rule,
      ),
    ).toEqual(['MODEL-SIGNATURE-UNTRUSTED-SIGNER']);
  });

  it.each([
    ['not JSON', 'garbage{'],
    [
      'another bundle type',
      JSON.stringify({ mediaType: 'application/json', dsseEnvelope: {} }),
    ],
  ])('reports a signature file that is %s as invalid', async (_, content) => {
    const dir = await folder({ ...MODEL, 'model.sig': content });
    expect(
      (await scan(dir, { signers: [{ publicKey: ed.publicPem }] })).map(
        f => f.rule,
      ),
    ).toEqual(['MODEL-SIGNATURE-INVALID']);
  });

  it('rejects signed names that leave the model folder and inconsistent subject digests', async () => {
    const escaping = statementFor(MODEL);
    escaping.predicate.resources[0].name = '../outside.safetensors';
    // Recompute nothing: the subject still matches the digests, only the name escapes.
    const { json } = makeBundle({ statement: escaping, key: ed.privateKey });
    const dir = await folder({
      'sub/placeholder.txt': 'x',
      ...Object.fromEntries(
        Object.entries(MODEL).map(([k, v]) => [`sub/${k}`, v]),
      ),
      'sub/model.sig': json,
    });
    const findings = await scan(dir, {
      signers: [{ publicKey: ed.publicPem }],
    });
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'MODEL-SIGNATURE-INVALID',
        path: 'sub/model.sig',
      }),
    ]);
    expect(findings[0].message).toContain('leaves the model folder');

    const inconsistent = statementFor(MODEL);
    inconsistent.subject[0].digest.sha256 = '0'.repeat(64);
    const other = await signedFolder({
      key: ed.privateKey,
      statement: inconsistent,
    });
    const second = await scan(other.dir, {
      signers: [{ publicKey: ed.publicPem }],
    });
    expect(second.map(f => f.message)).toEqual([
      expect.stringContaining('subject digest does not match'),
    ]);
  });

  it('with require_signature, reports each unsigned model folder and leaves signed ones alone', async () => {
    const { json } = makeBundle({
      statement: statementFor(MODEL),
      key: ed.privateKey,
    });
    const dir = await folder({
      ...Object.fromEntries(
        Object.entries(MODEL).map(([k, v]) => [`signed/${k}`, v]),
      ),
      'signed/model.sig': json,
      'unsigned/model.onnx': 'onnx',
      'notes.md': 'no model here',
    });
    expect(
      await scan(dir, {
        required: true,
        signers: [{ publicKey: ed.publicPem }],
      }),
    ).toEqual([
      expect.objectContaining({
        rule: 'MODEL-SIGNATURE-MISSING',
        path: 'unsigned/model.sig',
      }),
    ]);
    expect(await scan(dir, { required: false })).toEqual([
      expect.objectContaining({
        rule: 'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
        path: 'signed/model.sig',
      }),
    ]);
  });
});

describe('model signatures with certificates chained to an offline root', () => {
  const ca = newTestCa();
  const otherCa = newTestCa('Someone Else Root');
  const ISSUER = 'https://accounts.example.com';
  const EMAIL = 'release@example.com';
  const allowed: SignatureOptions = {
    trustedRoots: [ca.rootPem],
    signers: [{ subject: EMAIL, issuer: ISSUER }],
  };

  it('accepts a certificate from the trusted root with an allowed subject and issuer', async () => {
    const key = newKey('p256');
    const { dir } = await signedFolder({
      key: key.privateKey,
      certificates: [ca.issue(key, { email: EMAIL, issuer: ISSUER })],
    });
    expect(await scan(dir, { ...allowed, required: true })).toEqual([]);
  });

  it.each([
    ['another subject', { email: 'intern@example.com', issuer: ISSUER }],
    [
      'the right subject from another issuer',
      { email: EMAIL, issuer: 'https://evil.example' },
    ],
  ])('reports %s as an untrusted signer', async (_, identity) => {
    const key = newKey('p256');
    const { dir } = await signedFolder({
      key: key.privateKey,
      certificates: [ca.issue(key, identity)],
    });
    const findings = await scan(dir, allowed);
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'MODEL-SIGNATURE-UNTRUSTED-SIGNER' }),
    ]);
    expect(findings[0].message).toContain(identity.email);
  });

  it('chains a leaf through an intermediate CA only when the policy trusts the intermediate', async () => {
    const intermediate = ca.intermediate('Test Intermediate');
    const key = newKey('p256');
    const leaf = intermediate.issue(key, { email: EMAIL, issuer: ISSUER });
    // The library builds the path from the trust material only: an intermediate the bundle
    // carries (v0.2 x509CertificateChain) is not trusted on the bundle's word.
    const chained = await signedFolder({
      key: key.privateKey,
      certificates: [leaf, intermediate.der],
      v02Chain: true,
    });
    expect(
      (await scan(chained.dir, allowed)).map(f => [f.rule, f.message]),
    ).toEqual([
      [
        'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
        expect.stringContaining('does not end at a trusted root'),
      ],
    ]);
    const withIntermediate = {
      ...allowed,
      trustedRoots: [ca.rootPem, intermediate.rootPem],
    };
    expect(await scan(chained.dir, withIntermediate)).toEqual([]);
    const leafOnly = await signedFolder({
      key: key.privateKey,
      certificates: [leaf],
    });
    expect(await scan(leafOnly.dir, withIntermediate)).toEqual([]);
  });

  it('reports a certificate from a root the policy does not trust', async () => {
    const key = newKey('p256');
    const { dir } = await signedFolder({
      key: key.privateKey,
      certificates: [otherCa.issue(key, { email: EMAIL, issuer: ISSUER })],
    });
    const findings = await scan(dir, allowed);
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'MODEL-SIGNATURE-UNTRUSTED-SIGNER' }),
    ]);
    expect(findings[0].message).toContain('does not end at a trusted root');
  });

  it('reports an expired certificate, unless a trusted log proves it signed while valid', async () => {
    const key = newKey('p256');
    const log = newTestLog();
    const certificate = ca.issue(key, {
      email: EMAIL,
      issuer: ISSUER,
      start: '20200101000000Z',
      end: '20200101001000Z',
    });
    const statement = statementFor(MODEL);
    const probe = makeBundle({
      statement,
      key: key.privateKey,
      certificates: [certificate],
    });
    const inValidity = Date.UTC(2020, 0, 1, 0, 5) / 1000;

    const noLog = await folder({ ...MODEL, 'model.sig': probe.json });
    const expired = await scan(noLog, allowed);
    expect(expired).toEqual([
      expect.objectContaining({ rule: 'MODEL-SIGNATURE-INVALID' }),
    ]);
    expect(expired[0].message).toMatch(
      /not valid at the signing time .*scan-time/,
    );

    const withLog = await folder({
      ...MODEL,
      'model.sig': withLogEntry(
        probe.json,
        logEntry(log, probe.payload, probe.signature, inValidity),
      ),
    });
    expect(
      await scan(withLog, { ...allowed, tlogKeys: [log.key.publicPem] }),
    ).toEqual([]);
    // The same entry with a log key the policy does not trust proves nothing, and a bundle
    // claiming a log the policy does not trust is not accepted on the strength of scan time.
    const otherLog = await scan(withLog, {
      ...allowed,
      tlogKeys: [newKey('p256').publicPem],
    });
    expect(otherLog.map(f => f.rule)).toEqual([
      'MODEL-SIGNATURE-UNTRUSTED-SIGNER',
    ]);
    expect(otherLog[0].message).toContain(
      'not signed by a log the policy trusts',
    );
    // A log time outside the validity (signed after expiry) is reported even when the log is trusted.
    const lateDir = await folder({
      ...MODEL,
      'model.sig': withLogEntry(
        probe.json,
        logEntry(log, probe.payload, probe.signature, inValidity + 3600),
      ),
    });
    const lateFindings = await scan(lateDir, {
      ...allowed,
      tlogKeys: [log.key.publicPem],
    });
    expect(lateFindings.map(f => f.message)).toEqual([
      expect.stringMatching(/2020-01-01T01:05:00.000Z \(transparency-log\)/),
    ]);
  });

  it('rejects a tampered manifest under a valid certificate as an invalid signature', async () => {
    const key = newKey('p256');
    const { dir } = await signedFolder({
      key: key.privateKey,
      certificates: [ca.issue(key, { email: EMAIL, issuer: ISSUER })],
      tamperPayload: p =>
        Buffer.from(p.toString().replace(/"digest":"[0-9a-f]/, '"digest":"0')),
    });
    expect((await scan(dir, allowed)).map(f => f.message)).toEqual([
      expect.stringContaining('does not verify with the certificate key'),
    ]);
  });
});

describe('signatures policy block', () => {
  it('parses require_signature and signers, and an unsigned model then blocks the release', async () => {
    const key = newKey('ed25519');
    const policy = parsePolicy(
      [
        'apiVersion: mlgov/v1',
        'signatures:',
        '  require_signature: true',
        '  signers:',
        '    - public_key: |',
        ...key.publicPem
          .trim()
          .split('\n')
          .map(line => `        ${line}`),
        '    - subject: release@example.com',
        '      issuer: https://accounts.example.com',
      ].join('\n'),
    );
    expect(policy.signatures?.required).toBe(true);
    expect(policy.signatures?.signers).toHaveLength(2);
    const dir = await folder({ 'model.safetensors': 'w' });
    const options = scanOptionsFromPolicy(policy);
    const result = await new Scanner({
      readers: [],
      analyzers: [signatureAnalyzer],
      readerOptions: options.readerOptions,
    }).scanPath(dir);
    const missing = result.findings.find(
      f => f.ruleId === 'MODEL-SIGNATURE-MISSING',
    );
    expect(missing?.severity).toBe('high'); // at the default fail_on
    expect(missing?.fix ?? '').toContain('model_signing sign');
  });

  it('rejects keys and roots that are not PEM when the policy is read, not during a scan', () => {
    expect(() =>
      parsePolicy(
        [
          'apiVersion: mlgov/v1',
          'signatures:',
          '  signers:',
          '    - public_key: not-a-key',
          '  trusted_roots: [not-a-certificate]',
        ].join('\n'),
      ),
    ).toThrow(/PEM public key[\s\S]*PEM certificate/);
  });

  it('rejects a certificate signer without an issuer', () => {
    expect(() =>
      parsePolicy(
        [
          'apiVersion: mlgov/v1',
          'signatures:',
          '  signers:',
          '    - subject: someone@example.com',
        ].join('\n'),
      ),
    ).toThrow(/subject together with its issuer/);
  });
});
