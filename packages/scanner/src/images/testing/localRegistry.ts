/**
 * Debian's docker-registry (distribution v2) on a free loopback port for tests, with images pushed
 * by skopeo and raw manifests (cosign signatures) pushed over the distribution API itself.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeLayout, type TestImage } from './imageBuilder';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
export const SKOPEO_BINARY = '/usr/bin/skopeo';
export const registryToolsInstalled =
  existsSync(REGISTRY_BINARY) && existsSync(SKOPEO_BINARY);

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

export interface LocalRegistry {
  dir: string;
  port: number;
  host: string;
  /** Pushes an image built in code as `<repo>:<tag>` with skopeo; returns the manifest digest. */
  pushImage(repo: string, tag: string, images: TestImage[]): Promise<string>;
  /** PUTs a blob and returns its digest. */
  putBlob(repo: string, bytes: Uint8Array): Promise<string>;
  /** PUTs a manifest under a tag; returns its digest. */
  putManifest(repo: string, tag: string, manifest: object): Promise<string>;
  stop(): Promise<void>;
}

export async function startLocalRegistry(): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  await writeFile(
    join(dir, 'config.yml'),
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${join(
      dir,
      'storage',
    )}\nhttp:\n  addr: ${host}\nlog:\n  level: error\n`,
  );
  const child: ChildProcess = spawn(
    REGISTRY_BINARY,
    ['serve', join(dir, 'config.yml')],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://${host}/v2/`).then(
      r => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise(r => setTimeout(r, 100));
  }
  const digestOf = (bytes: Uint8Array) =>
    `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  let layouts = 0;

  return {
    dir,
    port,
    host,
    async pushImage(repo, tag, images) {
      const layout = await writeLayout(
        join(dir, `layout-${layouts++}`),
        images,
      );
      await run(SKOPEO_BINARY, [
        'copy',
        '--insecure-policy',
        '--dest-tls-verify=false',
        `oci:${layout}`,
        `docker://${host}/${repo}:${tag}`,
      ]);
      const response = await fetch(
        `http://${host}/v2/${repo}/manifests/${tag}`,
        {
          method: 'HEAD',
          headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
        },
      );
      return response.headers.get('docker-content-digest') ?? '';
    },
    async putBlob(repo, bytes) {
      const digest = digestOf(bytes);
      const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, {
        method: 'POST',
      });
      const location = new URL(
        start.headers.get('location') ?? '',
        `http://${host}`,
      );
      location.searchParams.set('digest', digest);
      const done = await fetch(location, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.from(bytes),
      });
      if (done.status !== 201)
        throw new Error(`blob upload answered ${done.status}`);
      return digest;
    },
    async putManifest(repo, tag, manifest) {
      const bytes = Buffer.from(JSON.stringify(manifest));
      const response = await fetch(
        `http://${host}/v2/${repo}/manifests/${tag}`,
        {
          method: 'PUT',
          headers: {
            'content-type': 'application/vnd.oci.image.manifest.v1+json',
          },
          body: bytes,
        },
      );
      if (response.status !== 201)
        throw new Error(
          `manifest upload answered ${
            response.status
          }: ${await response.text()}`,
        );
      return digestOf(bytes);
    },
    async stop() {
      child.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
