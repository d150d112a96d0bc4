/** Builds OCI image layouts and archives in code for tests: real digests, gzip layers, optional index fan-out. */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  buildTar,
  type TarEntrySpec,
} from '../../formats/archive/testing/tarWriter';
import type { ImageConfigFile, Platform } from '../manifests';
import { zstdCompressor } from './zstdCompress';

export interface TestImage {
  layers: TarEntrySpec[][];
  config?: ImageConfigFile['config'];
  platform?: Platform;
  /** Store layers uncompressed instead of gzip. */
  plain?: boolean;
  /** Compress layers with zstd (`tar+zstd`) instead of gzip. */
  zstd?: boolean;
}

type Blobs = Map<string, Uint8Array>;

function put(
  blobs: Blobs,
  bytes: Uint8Array | string,
): { digest: string; size: number } {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  blobs.set(digest, data);
  return { digest, size: data.length };
}

function compressLayer(
  tar: Uint8Array,
  image: TestImage,
): { bytes: Uint8Array; suffix: string } {
  if (image.plain) return { bytes: tar, suffix: '' };
  if (!image.zstd) return { bytes: gzipSync(tar), suffix: '+gzip' };
  const zstd = zstdCompressor();
  if (!zstd) throw new Error('no zstd compressor (zstd CLI or node:zlib)');
  return { bytes: zstd.compress(tar), suffix: '+zstd' };
}

function manifestOf(blobs: Blobs, image: TestImage) {
  const platform = image.platform ?? { os: 'linux', architecture: 'amd64' };
  const layers = image.layers.map(entries => {
    const tar = buildTar(entries);
    const { bytes, suffix } = compressLayer(tar, image);
    return {
      mediaType: `application/vnd.oci.image.layer.v1.tar${suffix}`,
      ...put(blobs, bytes),
    };
  });
  const config = put(
    blobs,
    JSON.stringify({
      ...platform,
      config: image.config ?? {},
      rootfs: { type: 'layers', diff_ids: [] },
    }),
  );
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      ...config,
    },
    layers,
  });
  return {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    ...put(blobs, manifest),
    platform,
  };
}

/** Files of an OCI layout: `oci-layout`, `index.json`, `blobs/sha256/*`. Several images make a multi-platform index. */
export function layoutFiles(
  images: TestImage[],
  options: { nestedIndex?: boolean } = {},
): Map<string, Uint8Array> {
  const blobs: Blobs = new Map();
  const descriptors = images.map(image => manifestOf(blobs, image));
  let manifests: object[] = descriptors;
  if (options.nestedIndex) {
    const inner = put(
      blobs,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: descriptors,
      }),
    );
    manifests = [
      { mediaType: 'application/vnd.oci.image.index.v1+json', ...inner },
    ];
  }
  const files = new Map<string, Uint8Array>();
  files.set('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  files.set(
    'index.json',
    Buffer.from(JSON.stringify({ schemaVersion: 2, manifests })),
  );
  for (const [digest, bytes] of blobs)
    files.set(`blobs/sha256/${digest.slice(7)}`, bytes);
  return files;
}

export async function writeLayout(
  dir: string,
  images: TestImage[],
  options: { nestedIndex?: boolean } = {},
): Promise<string> {
  for (const [path, bytes] of layoutFiles(images, options)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
  return dir;
}

/** An OCI archive: the layout as one tarball. */
export function ociArchive(images: TestImage[]): Uint8Array {
  return buildTar(
    [...layoutFiles(images)].map(([name, data]) => ({ name, data })),
  );
}

/** A `docker save` export: manifest.json naming a config file and `<id>/layer.tar` paths. */
export function dockerSaveArchive(image: TestImage): Uint8Array {
  const entries: TarEntrySpec[] = [];
  const layerPaths = image.layers.map((layer, index) => {
    const path = `layer${index}/layer.tar`;
    entries.push({ name: path, data: buildTar(layer) });
    return path;
  });
  entries.push({
    name: 'config.json',
    data: JSON.stringify({
      os: 'linux',
      architecture: 'amd64',
      config: image.config ?? {},
    }),
  });
  entries.push({
    name: 'manifest.json',
    data: JSON.stringify([
      { Config: 'config.json', RepoTags: ['demo:1'], Layers: layerPaths },
    ]),
  });
  return buildTar(entries);
}

/** A pickle that would call os.system('echo hi') on load. Never loaded: the scanner reads opcodes. */
export const MALICIOUS_PICKLE = Buffer.from(
  '\x80\x02cos\nsystem\nq\x00X\x07\x00\x00\x00echo hiq\x01\x85q\x02Rq\x03.',
  'latin1',
);

export const SITE = 'usr/local/lib/python3.12/site-packages';

export function distInfo(
  name: string,
  version: string,
  licence: string,
): TarEntrySpec {
  return {
    name: `${SITE}/${name.replace(/-/g, '_')}-${version}.dist-info/METADATA`,
    data: `Metadata-Version: 2.4\nName: ${name}\nVersion: ${version}\nLicense-Expression: ${licence}\n`,
  };
}
