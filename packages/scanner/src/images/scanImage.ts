/**
 * Scans a container image: resolves its manifests (each platform of an index), flattens the layers
 * with whiteouts applied, materialises the final filesystem into a private temporary directory
 * (regular files only, within maxFilesystemBytes) and runs the normal scanner over it, so installed
 * distributions, model files and Python source get every existing analyzer. The image config is
 * analysed on its own. The result pins the manifest digest.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Scanner } from '../engine/Scanner';
import { toFinding } from '../engine/toFinding';
import type { Finding, ScanResult } from '../model/finding';
import type { Signal } from '../model/evidence';
import { applyLayer, type FinalFile } from './flatten';
import { analyseImageConfig } from './imageConfig';
import { archiveStore, layoutStore, type ImageStore } from './imageStore';
import { parseLayerTar } from './layerEntries';
import { checkImageSignature, type ImageSignatureOptions } from './cosign';
import type { RegistryStore } from './registry';
import {
  DEFAULT_IMAGE_LIMITS,
  ImageReadError,
  type ImageLimits,
} from './limits';
import {
  decompressLayer,
  platformLabel,
  resolveImages,
  type ResolvedImage,
} from './manifests';

export type ImageTarget = { kind: 'oci-archive' | 'oci-layout'; path: string };

/** `oci-archive:<file.tar>`, `docker-archive:<file.tar>` or `oci-layout:<dir>` (skopeo's spelling). */
export function parseImageTarget(target: string): ImageTarget | undefined {
  const match =
    /^(oci-archive|docker-archive|oci-layout|oci):(?!\/\/)(.+)$/.exec(target);
  if (!match) return undefined;
  const path = match[2];
  return {
    kind:
      match[1] === 'oci-layout' || match[1] === 'oci'
        ? 'oci-layout'
        : 'oci-archive',
    path,
  };
}

/** @public */
export interface ImageScanOptions {
  limits?: Partial<ImageLimits>;
  /** `linux/amd64`-style labels; empty scans every platform of an index. */
  platforms?: readonly string[];
  ignore?: readonly string[];
  /** Cosign signature check on the top manifest digest (registry images). */
  signatures?: ImageSignatureOptions;
}

export async function openImageStore(
  target: ImageTarget,
  limits: ImageLimits,
): Promise<ImageStore> {
  return target.kind === 'oci-layout'
    ? layoutStore(target.path, limits)
    : archiveStore(target.path, limits);
}

export async function scanImage(
  uri: string,
  store: ImageStore,
  scanner: Scanner,
  options: ImageScanOptions = {},
): Promise<ScanResult> {
  const limits = { ...DEFAULT_IMAGE_LIMITS, ...options.limits };
  const started = Date.now();
  let images: ResolvedImage[];
  try {
    images = await resolveImages(store, limits, {
      platforms: options.platforms,
    });
  } catch (error) {
    if (!(error instanceof ImageReadError)) throw error;
    const empty = await mkdtemp(join(tmpdir(), 'mlgov-image-'));
    try {
      const result = await scanner.scanPath(empty);
      return {
        ...result,
        target: uri,
        findings: [unreadable(error.message, '.')],
      };
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  }
  const results: ScanResult[] = [];
  for (const image of images) {
    const prefix = images.length > 1 ? `${platformLabel(image.platform)}/` : '';
    results.push(
      prefixed(await scanOne(image, scanner, limits, options), prefix),
    );
  }
  const digests = images.map(image => image.manifestDigest);
  const signatureFindings = (
    await imageSignatureSignals(
      store,
      store.resolvedDigest ?? digests[0],
      options,
      limits,
    )
  ).map(signal => toFinding(signal));
  const bytesTransferred = store.bytesRead;
  return {
    ...results[0],
    target: uri,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    files: results.flatMap(r => r.files),
    findings: [...signatureFindings, ...results.flatMap(r => r.findings)],
    components: results.flatMap(r => r.components),
    remote: {
      kind: 'oci-image',
      uri,
      pinnedUri: `${uri.replace(/@sha256:[a-f0-9]{64}$/, '')}@${
        store.resolvedDigest ?? digests[0]
      }`,
      digest: digests.join(','),
      revision: digests.join(','),
      bytesTransferred,
      requests: store.requests ?? 0,
    },
  };
}

function isRegistryStore(store: ImageStore): store is RegistryStore {
  return (
    typeof (store as Partial<RegistryStore>).manifestIfPresent === 'function'
  );
}

async function imageSignatureSignals(
  store: ImageStore,
  digest: string,
  options: ImageScanOptions,
  limits: ImageLimits,
): Promise<Signal[]> {
  const signatures = options.signatures;
  if (!signatures || (!signatures.required && !signatures.publicKeys?.length))
    return [];
  if (isRegistryStore(store))
    return checkImageSignature(store, digest, signatures, limits);
  if (!signatures.required) return [];
  // Cosign keeps signatures in the registry, beside the manifest; a local layout or archive has none.
  return [
    {
      ruleId: 'IMAGE-SIGNATURE-MISSING',
      message: `image ${digest} was read from a local layout or archive, where no cosign signature can be checked; scan it from its registry`,
      location: { path: '.' },
      evidence: { image: digest },
      key: `IMAGE-SIGNATURE-MISSING:${digest}`,
    },
  ];
}

function unreadable(message: string, path: string): Finding {
  return toFinding({
    ruleId: 'IMAGE-UNREADABLE',
    message,
    location: { path },
    evidence: {},
    key: message.slice(0, 80),
  });
}

function prefixed(result: ScanResult, prefix: string): ScanResult {
  if (!prefix) return result;
  const move = (path: string) =>
    path === '.' ? prefix.slice(0, -1) : `${prefix}${path}`;
  return {
    ...result,
    files: result.files.map(f => ({ ...f, path: move(f.path) })),
    findings: result.findings.map(f => ({
      ...f,
      location: { ...f.location, path: move(f.location.path) },
    })),
  };
}

async function scanOne(
  image: ResolvedImage,
  scanner: Scanner,
  limits: ImageLimits,
  options: ImageScanOptions,
): Promise<ScanResult> {
  const signals: Signal[] = analyseImageConfig(image.config, '.');
  const tree = new Map<string, FinalFile>();
  let entries = 0;
  for (const [index, layer] of image.layers.entries()) {
    try {
      const tar = decompressLayer(layer.bytes, limits);
      const parsed = parseLayerTar(tar, limits.maxEntries - entries);
      entries += parsed.entries.length;
      for (const problem of parsed.problems)
        signals.push({
          ruleId: 'IMAGE-UNREADABLE',
          message: `layer ${index} (${layer.digest}): ${problem}`,
          location: { path: '.' },
          evidence: { layer: layer.digest },
          key: `${layer.digest}:${problem.slice(0, 60)}`,
        });
      applyLayer(tree, parsed.entries, index);
    } catch (error) {
      if (!(error instanceof ImageReadError)) throw error;
      signals.push({
        ruleId: 'IMAGE-UNREADABLE',
        message: `layer ${index} (${layer.digest}): ${error.message}`,
        location: { path: '.' },
        evidence: { layer: layer.digest },
        key: layer.digest,
      });
    }
  }
  const root = await mkdtemp(join(tmpdir(), 'mlgov-image-'));
  try {
    let total = 0;
    for (const [path, file] of tree) {
      const data = fileBytes(tree, file);
      if (!data) continue;
      total += data.length;
      if (total > limits.maxFilesystemBytes) {
        signals.push({
          ruleId: 'IMAGE-UNREADABLE',
          message: `the flattened filesystem is larger than maxFilesystemBytes (${limits.maxFilesystemBytes}); the rest was not scanned`,
          location: { path: '.' },
          evidence: {},
          key: 'maxFilesystemBytes',
        });
        break;
      }
      const out = join(root, path);
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, data, { mode: 0o600 });
    }
    const result = await scanner.scanPath(root, { ignore: options.ignore });
    const configFindings = signals.map(signal => toFinding(signal));
    return { ...result, findings: [...configFindings, ...result.findings] };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Regular files have their bytes; hard links inside the image resolve to their target's. Symlinks
 * are not followed (they may point anywhere on the scanning host) and devices are skipped.
 */
function fileBytes(
  tree: Map<string, FinalFile>,
  file: FinalFile,
): Uint8Array | undefined {
  if (file.kind === 'file') return file.data;
  if (file.kind === 'hardlink')
    return tree.get(file.linkName?.replace(/^\.?\//, '') ?? '')?.data;
  return undefined;
}
