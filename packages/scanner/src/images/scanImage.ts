/**
 * Scans a container image: resolves its manifests (each platform of an index), flattens the layers
 * with whiteouts applied, materialises the final filesystem into a private temporary directory
 * (regular files only, within maxFilesystemBytes) and runs the normal scanner over it, so installed
 * distributions, model files and Python source get every existing analyzer. The image config is
 * analysed on its own. The result pins the manifest digest.
 */
import { copyFile, mkdtemp, mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Scanner } from '../engine/Scanner';
import { toFinding } from '../engine/toFinding';
import type { Finding, ScanResult } from '../model/finding';
import type { Signal } from '../model/evidence';
import { applyLayer, type FinalFile } from './flatten';
import { analyseImageConfig } from './imageConfig';
import { archiveStore, layoutStore, type ImageStore } from './imageStore';
import { parseLayerTar, shownPath, type Spool } from './layerEntries';
import { decompressedLayer } from './layerDecompress';
import { checkImageSignature, type ImageSignatureOptions } from './cosign';
import type { RegistryStore } from './registry';
import {
  DEFAULT_IMAGE_LIMITS,
  ImageReadError,
  type ImageLimits,
} from './limits';
import { platformLabel, resolveImages, type ResolvedImage } from './manifests';

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
  // Layer members are spooled to disk as they stream (never held in memory), then the final ones are
  // moved into the scanned root; deleted and overwritten ones go with the spool.
  const spoolDir = await mkdtemp(join(tmpdir(), 'mlgov-layers-'));
  const root = await mkdtemp(join(tmpdir(), 'mlgov-image-'));
  try {
    const spool: Spool = {
      dir: spoolDir,
      files: 0,
      bytesLeft: limits.maxFilesystemBytes,
    };
    await readLayers(image, limits, spool, tree, signals);
    if (spool.exhausted) signals.push(tooLarge(limits));
    await materialise(tree, root, limits, signals);
    const result = await scanner.scanPath(root, { ignore: options.ignore });
    const configFindings = signals.map(signal => toFinding(signal));
    return { ...result, findings: [...configFindings, ...result.findings] };
  } finally {
    await rm(root, { recursive: true, force: true });
    await rm(spoolDir, { recursive: true, force: true });
  }
}

async function readLayers(
  image: ResolvedImage,
  limits: ImageLimits,
  spool: Spool,
  tree: Map<string, FinalFile>,
  signals: Signal[],
) {
  let entries = 0;
  for (const [index, layer] of image.layers.entries()) {
    try {
      const parsed = await parseLayerTar(
        decompressedLayer(await layer.open(), limits),
        limits.maxEntries - entries,
        spool,
      );
      entries += parsed.entries.length;
      for (const problem of parsed.problems)
        signals.push({
          ruleId: 'IMAGE-UNREADABLE',
          message: `layer ${index} (${layer.digest}): ${problem}`,
          location: { path: '.' },
          evidence: { layer: layer.digest },
          key: `${layer.digest}:${problem.slice(0, 60)}`,
        });
      for (const problem of applyLayer(tree, parsed.entries, index))
        signals.push({
          ruleId: 'IMAGE-UNREADABLE',
          message: `layer ${index} (${layer.digest}): ${problem}`,
          location: { path: '.' },
          evidence: { layer: layer.digest },
          key: `${layer.digest}:${problem.slice(0, 200)}`,
        });
    } catch (error) {
      // A layer that breaks mid-stream (a limit, its digest, its compression) is not applied at all.
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
}

function tooLarge(limits: ImageLimits): Signal {
  return {
    ruleId: 'IMAGE-UNREADABLE',
    message: `the flattened filesystem is larger than maxFilesystemBytes (${limits.maxFilesystemBytes}); files that did not fit were not scanned`,
    location: { path: '.' },
    evidence: {},
    key: 'maxFilesystemBytes',
  };
}

/**
 * Moves the final regular files from the spool into `root`; names sharing one spool file (hard links,
 * resolved in applyLayer) get copies. No symlink is ever created in `root`, so every write lands in
 * a real folder under it. Symlinks and devices are skipped. A name the host cannot hold (a NUL, a
 * segment or path too long) is a finding; the other files are still laid out.
 */
async function materialise(
  tree: Map<string, FinalFile>,
  root: string,
  limits: ImageLimits,
  signals: Signal[],
) {
  let total = 0;
  const within = (size: number) => {
    total += size;
    if (total <= limits.maxFilesystemBytes) return true;
    if (!signals.some(signal => signal.key === 'maxFilesystemBytes'))
      signals.push(tooLarge(limits));
    return false;
  };
  // Where each spool file went, so a second name for it copies from there.
  const placed = new Map<string, string>();
  for (const [path, file] of tree) {
    if (file.kind !== 'file' || !file.spill || !within(file.size ?? 0))
      continue;
    const out = join(root, path);
    try {
      await mkdir(dirname(out), { recursive: true });
      const from = placed.get(file.spill);
      if (from) await copyFile(from, out);
      else {
        await rename(file.spill, out);
        placed.set(file.spill, out);
      }
    } catch (error) {
      const code = (error as { code?: string }).code ?? String(error);
      signals.push({
        ruleId: 'IMAGE-UNREADABLE',
        message: `layer ${file.layer}: ${shownPath(
          path,
        )} could not be laid out in the scan folder (${code}); it was not scanned`,
        location: { path: '.' },
        evidence: { layer: file.layer },
        key: `layout:${shownPath(path)}`,
      });
    }
  }
}
