/**
 * Cosign signatures on manifest digests, against Debian's real docker-registry. Keys come from
 * testing/cosign-keys.sh (OpenSSL), generated in the test. Skipped, loudly, without the binaries.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../cli/main';
import { captureIo } from '../cli/testing';
import { EXIT_CODES } from '../cli/exitCodes';
import { createScanner } from '../createScanner';
import { DEFAULT_POLICY } from '../policy/defaults';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import { simpleSigningPayload, type ImageSignatureOptions } from './cosign';
import { DEFAULT_IMAGE_LIMITS } from './limits';
import { parseRegistryReference, registryStore } from './registry';
import { scanImage } from './scanImage';
import {
  cosignKey,
  pushCosignSignature,
  type CosignKey,
} from './testing/cosignSigner';
import {
  registryToolsInstalled,
  startLocalRegistry,
  type LocalRegistry,
} from './testing/localRegistry';

if (!registryToolsInstalled)
  console.warn(
    'cosign registry tests skipped: docker-registry or skopeo is not installed',
  );
const describeRegistry = registryToolsInstalled ? describe : describe.skip;
// skopeo pushes and pulls of real images: seconds each on a loaded CI machine.
jest.setTimeout(60_000);

const IMAGE = (text: string) => [
  {
    config: { User: '10001', Cmd: ['python', 'serve.py'] },
    layers: [
      [{ name: 'app/serve.py', data: `print(${JSON.stringify(text)})\n` }],
    ],
  },
];

describeRegistry('cosign signatures on image digests', () => {
  let registry: LocalRegistry;
  let producer: CosignKey;
  let stranger: CosignKey;

  beforeAll(async () => {
    registry = await startLocalRegistry();
    producer = await cosignKey(registry.dir, 'producer');
    stranger = await cosignKey(registry.dir, 'stranger');
  }, 60_000);
  afterAll(async () => registry?.stop());

  async function scan(
    repo: string,
    tag: string,
    signatures: ImageSignatureOptions,
  ) {
    const uri = `oci://${registry.host}/${repo}:${tag}`;
    const result = await scanImage(
      uri,
      registryStore(parseRegistryReference(uri)!, DEFAULT_IMAGE_LIMITS),
      createScanner(),
      { signatures },
    );
    const signatureFindings = result.findings.filter(f =>
      f.ruleId.startsWith('IMAGE-SIGNATURE-'),
    );
    return {
      result,
      rules: signatureFindings.map(f => f.ruleId),
      findings: signatureFindings,
      decision: evaluatePolicy(result, DEFAULT_POLICY, { now: new Date() })
        .decision,
    };
  }

  it('verifies a signature by the configured key on the pinned digest', async () => {
    const digest = await registry.pushImage(
      'ml/signed',
      '1.0',
      IMAGE('signed'),
    );
    await pushCosignSignature(registry, 'ml/signed', producer, digest);
    const { rules, findings, decision, result } = await scan(
      'ml/signed',
      '1.0',
      {
        required: true,
        publicKeys: [producer.publicKeyPem],
      },
    );
    expect(rules).toEqual(['IMAGE-SIGNATURE-VERIFIED']);
    expect(findings[0].evidence.signerKey).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(findings[0].evidence.image).toBe(
      `${registry.host}/ml/signed@${digest}`,
    );
    expect(result.remote?.pinnedUri).toContain(digest);
    expect(decision).toBe('PASS');
  });

  it('rejects a signature copied onto a tampered manifest, and a payload edited to name it', async () => {
    const original = await registry.pushImage(
      'ml/tampered',
      '1.0',
      IMAGE('original'),
    );
    await pushCosignSignature(registry, 'ml/tampered', producer, original);
    // The tag now points at another manifest; the attacker copies the old signature to its tag.
    const tampered = await registry.pushImage(
      'ml/tampered',
      '1.0',
      IMAGE('tampered'),
    );
    expect(tampered).not.toBe(original);
    await pushCosignSignature(registry, 'ml/tampered', producer, original, {
      tagDigest: tampered,
    });
    const copied = await scan('ml/tampered', '1.0', {
      publicKeys: [producer.publicKeyPem],
    });
    expect(copied.rules).toEqual(['IMAGE-SIGNATURE-INVALID']);
    expect(copied.findings[0].message).toContain(`not ${tampered}`);
    expect(copied.decision).toBe('BLOCK');

    // Same, but the stored payload names the tampered digest: the signature no longer verifies.
    await pushCosignSignature(registry, 'ml/tampered', producer, original, {
      tagDigest: tampered,
      storedPayload: simpleSigningPayload(
        `${registry.host}/ml/tampered`,
        tampered,
      ),
    });
    const edited = await scan('ml/tampered', '1.0', {
      publicKeys: [producer.publicKeyPem],
    });
    expect(edited.rules).toEqual(['IMAGE-SIGNATURE-UNTRUSTED-SIGNER']);
    expect(edited.decision).toBe('BLOCK');
  });

  it('reports a signature by another key, and a signature for another repository', async () => {
    const digest = await registry.pushImage('ml/other', '1.0', IMAGE('other'));
    await pushCosignSignature(registry, 'ml/other', stranger, digest);
    const wrongKey = await scan('ml/other', '1.0', {
      publicKeys: [producer.publicKeyPem],
    });
    expect(wrongKey.rules).toEqual(['IMAGE-SIGNATURE-UNTRUSTED-SIGNER']);
    expect(wrongKey.decision).toBe('BLOCK');

    // A valid signature of the same digest pushed to another repository names that repository.
    const moved = await registry.pushImage('ml/moved', '1.0', IMAGE('other'));
    expect(moved).toBe(digest);
    await pushCosignSignature(registry, 'ml/other', producer, digest);
    const manifest = await (
      await fetch(
        `http://${registry.host}/v2/ml/other/manifests/${digest.replace(
          ':',
          '-',
        )}.sig`,
        {
          headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
        },
      )
    ).json();
    for (const blob of [manifest.config, ...manifest.layers]) {
      const bytes = Buffer.from(
        await (
          await fetch(
            `http://${registry.host}/v2/ml/other/blobs/${blob.digest}`,
          )
        ).arrayBuffer(),
      );
      await registry.putBlob('ml/moved', bytes);
    }
    await registry.putManifest(
      'ml/moved',
      `${digest.replace(':', '-')}.sig`,
      manifest,
    );
    const elsewhere = await scan('ml/moved', '1.0', {
      publicKeys: [producer.publicKeyPem],
    });
    expect(elsewhere.rules).toEqual(['IMAGE-SIGNATURE-INVALID']);
    expect(elsewhere.findings[0].message).toContain('names repository');
  });

  it('an unsigned image blocks only when signatures are required (CLI flags)', async () => {
    await registry.pushImage('ml/unsigned', '1.0', IMAGE('unsigned'));
    expect(
      (
        await scan('ml/unsigned', '1.0', {
          publicKeys: [producer.publicKeyPem],
        })
      ).rules,
    ).toEqual([]);

    const keyFile = join(registry.dir, 'producer.pub');
    await writeFile(keyFile, producer.publicKeyPem);
    const uri = `oci://${registry.host}/ml/unsigned:1.0`;
    const { io, output } = captureIo(registry.dir);
    const code = await main(
      [
        'scan',
        uri,
        '--image-key',
        keyFile,
        '--require-image-signature',
        '--format',
        'json',
      ],
      io,
    );
    expect(code).toBe(EXIT_CODES.BLOCK);
    expect(
      JSON.parse(output.stdout).findings.map(
        (f: { ruleId: string }) => f.ruleId,
      ),
    ).toContain('IMAGE-SIGNATURE-MISSING');

    const { io: badIo } = captureIo(registry.dir);
    await writeFile(
      join(registry.dir, 'bad.pub'),
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
    );
    expect(
      await main(
        [
          'scan',
          uri,
          '--image-key',
          join(registry.dir, 'bad.pub'),
          '--format',
          'json',
        ],
        badIo,
      ),
    ).toBe(EXIT_CODES.USAGE);
  });
});
