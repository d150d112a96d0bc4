/**
 * Signs image digests the way `cosign sign --key` does, for tests: keys from cosign-keys.sh
 * (OpenSSL), the simple-signing payload signed with `openssl dgst -sha256 -sign` (ECDSA DER), and the
 * signature manifest pushed under `sha256-<hex>.sig`.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  COSIGN_SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  signatureTag,
  simpleSigningPayload,
} from '../cosign';
import type { LocalRegistry } from './localRegistry';

const run = promisify(execFile);

export interface CosignKey {
  privateKeyPath: string;
  publicKeyPem: string;
}

export async function cosignKey(dir: string, name: string): Promise<CosignKey> {
  // eslint-disable-next-line no-restricted-syntax -- a test helper run from the sources, never built
  await run('sh', [join(__dirname, 'cosign-keys.sh'), dir, name]);
  return {
    privateKeyPath: join(dir, `${name}.key`),
    publicKeyPem: await readFile(join(dir, `${name}.pub`), 'utf8'),
  };
}

async function opensslSign(key: CosignKey, payload: Buffer): Promise<string> {
  const child = execFile(
    'openssl',
    ['dgst', '-sha256', '-sign', key.privateKeyPath],
    {
      encoding: 'buffer',
    },
  );
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stdin!.end(payload);
  await new Promise<void>((resolve, reject) =>
    child.on('close', code =>
      code === 0 ? resolve() : reject(new Error(`openssl exited ${code}`)),
    ),
  );
  return Buffer.concat(chunks).toString('base64');
}

/**
 * Pushes a signature for `signedDigest` under the tag of `tagDigest` (the same digest normally; a
 * different one simulates a signature copied onto another manifest). `payload` overrides what is
 * stored (an edited payload beside the original signature).
 */
export async function pushCosignSignature(
  registry: LocalRegistry,
  repo: string,
  key: CosignKey,
  signedDigest: string,
  options: { tagDigest?: string; storedPayload?: Buffer } = {},
): Promise<void> {
  const payload = simpleSigningPayload(
    `${registry.host}/${repo}`,
    signedDigest,
  );
  const signature = await opensslSign(key, payload);
  const stored = options.storedPayload ?? payload;
  const layerDigest = await registry.putBlob(repo, stored);
  const config = Buffer.from(
    '{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}}',
  );
  const configDigest = await registry.putBlob(repo, config);
  await registry.putManifest(
    repo,
    signatureTag(options.tagDigest ?? signedDigest),
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: [
        {
          mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
          digest: layerDigest,
          size: stored.length,
          annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signature },
        },
      ],
    },
  );
}
