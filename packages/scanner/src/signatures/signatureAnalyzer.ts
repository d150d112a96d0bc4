import type {
  ProjectAnalyzer,
  ProjectContext,
} from '../engine/ProjectAnalyzer';
import { PathEscapeError } from '../io/ScanTree';
import { sha256OfSource } from '../formats/models/provenance/pinnedHashAnalyzer';
import type * as Bundle from './bundle';
import { DEFAULT_SIGNATURE_FILE, type SignatureOptions } from './options';
import type * as Verify from './verify';
import type { SignerDescription } from './verify';

// The Sigstore libraries load only when a model carries a signature or one is required: a scan of
// anything else must not pay their start-up (docs/benchmarks.md, CLI start-up).
const lazy = {
  bundle: (): typeof Bundle => require('./bundle'),
  verify: (): typeof Verify => require('./verify'),
};

/**
 * Files a model loader reads (weights, configs, tokenizers, code): an unsigned one beside a signed
 * model changes what runs even though every signed file still matches.
 */
const LOADER_READ =
  /\.(safetensors|bin|pt|pth|ckpt|pkl|pickle|joblib|dill|h5|hdf5|keras|onnx|gguf|ggml|pb|tflite|npy|npz|msgpack|json|jsonl|yaml|yml|py|model|tiktoken|txt|jinja|jinja2)$/i;
/** Weight files: a folder holding one is a model folder that `require_signature` applies to. */
const WEIGHTS =
  /\.(safetensors|bin|pt|pth|ckpt|pkl|pickle|joblib|h5|keras|onnx|gguf|pb|tflite|npz)$/i;

/** Signed file names recorded on MODEL-SIGNATURE-VERIFIED; the count is always there. */
const SIGNED_NAMES_SHOWN = 50;

const dirOf = (path: string) =>
  path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
const join = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);
const isUnder = (path: string, dir: string) =>
  dir === '' || path === dir || path.startsWith(`${dir}/`);

/** A signed name as a scanner path inside the model folder; undefined if it climbs out. */
function normaliseSignedName(name: string): string | undefined {
  const parts = name.split('/').filter(p => p !== '' && p !== '.');
  if (
    name.startsWith('/') ||
    name.includes('\\') ||
    parts.includes('..') ||
    parts.length === 0
  )
    return undefined;
  return parts.join('/');
}

function describe(
  signer: SignerDescription | undefined,
): Record<string, string> {
  if (!signer) return {};
  if (signer.kind === 'key') return { signerKey: signer.fingerprint };
  return {
    signerSubject: signer.subject ?? '',
    signerIssuer: signer.issuer ?? '',
    signingTime: signer.signingTime,
    signingTimeSource: signer.timeSource,
  };
}

async function readBundleBytes(
  ctx: ProjectContext,
  path: string,
): Promise<Uint8Array> {
  const source = await ctx.openSource(path);
  try {
    const { BundleFormatError, MAX_BUNDLE_BYTES } = lazy.bundle();
    if (source.size > MAX_BUNDLE_BYTES)
      throw new BundleFormatError(
        `signature file is larger than ${MAX_BUNDLE_BYTES} bytes`,
      );
    return await source.read(0, source.size);
  } finally {
    await source.close();
  }
}

async function checkSignedFolder(
  ctx: ProjectContext,
  signaturePath: string,
  options: SignatureOptions,
): Promise<void> {
  const folder = dirOf(signaturePath);
  const invalid = (reason: string, extra: Record<string, string> = {}) =>
    ctx.emit({
      ruleId: 'MODEL-SIGNATURE-INVALID',
      message: `${signaturePath}: ${reason}`,
      location: { path: signaturePath },
      evidence: extra,
      key: 'invalid',
    });
  let bundle;
  try {
    bundle = lazy
      .bundle()
      .decodeBundle(await readBundleBytes(ctx, signaturePath));
  } catch (error) {
    if (error instanceof PathEscapeError) return;
    if (error instanceof lazy.bundle().BundleFormatError) {
      invalid(error.message);
      return;
    }
    throw error;
  }
  const verification = lazy.verify().verifyBundle(bundle, options);
  if (!verification.ok) {
    ctx.emit({
      ruleId: verification.rule,
      message: `${signaturePath}: ${verification.reason}`,
      location: { path: signaturePath },
      evidence: describe(verification.signer),
      key:
        verification.rule === 'MODEL-SIGNATURE-INVALID' ? 'invalid' : 'signer',
    });
    return; // an unverified manifest says nothing about the files
  }
  const signer = describe(verification.signer);
  let manifest;
  try {
    manifest = lazy.bundle().parseStatement(bundle.payloadType, bundle.payload);
  } catch (error) {
    if (error instanceof lazy.bundle().BundleFormatError) {
      invalid(error.message, signer);
      return;
    }
    throw error;
  }

  const files = new Set(ctx.files);
  const signed = new Set<string>();
  let problems = 0;
  for (const resource of manifest.resources) {
    const name = normaliseSignedName(resource.name);
    if (name === undefined) {
      invalid(
        `signed file name "${resource.name.slice(
          0,
          200,
        )}" leaves the model folder`,
        signer,
      );
      return;
    }
    const path = join(folder, name);
    signed.add(path);
    if (!files.has(path)) {
      ctx.emit({
        ruleId: 'MODEL-SIGNATURE-MISMATCH',
        message: `${path} is signed in ${signaturePath} but missing from the model`,
        location: { path },
        evidence: {
          expected: resource.digestHex,
          signature: signaturePath,
          ...signer,
        },
        key: `missing:${name}`,
      });
      problems++;
      continue;
    }
    let actual: string;
    try {
      actual = await sha256OfSource(await ctx.openSource(path));
    } catch (error) {
      if (error instanceof PathEscapeError) continue;
      throw error;
    }
    if (actual !== resource.digestHex) {
      ctx.emit({
        ruleId: 'MODEL-SIGNATURE-MISMATCH',
        message: `${path} has SHA-256 ${actual}, but ${signaturePath} signed ${resource.digestHex}`,
        location: { path },
        evidence: {
          expected: resource.digestHex,
          actual,
          signature: signaturePath,
          ...signer,
        },
        key: `digest:${name}`,
      });
      problems++;
    }
  }

  const ignored = manifest.ignorePaths
    .map(normaliseSignedName)
    .filter((p): p is string => p !== undefined);
  for (const path of ctx.files) {
    if (!isUnder(path, folder) || path === signaturePath || signed.has(path))
      continue;
    const inner = folder ? path.slice(folder.length + 1) : path;
    if (
      ignored.some(ignore => inner === ignore || inner.startsWith(`${ignore}/`))
    )
      continue;
    if (!LOADER_READ.test(path)) continue;
    ctx.emit({
      ruleId: 'MODEL-SIGNATURE-EXTRA-FILE',
      message: `${path} is in the signed model folder ${
        folder || '.'
      } but not covered by ${signaturePath}`,
      location: { path },
      evidence: { signature: signaturePath, ...signer },
      key: inner,
    });
    problems++;
  }
  // Positive evidence for the provenance panel: who signed, over how many files, and whether all held.
  ctx.emit({
    ruleId: 'MODEL-SIGNATURE-VERIFIED',
    message: `${signaturePath}: signature verified (${
      manifest.resources.length
    } signed files${
      problems ? `, ${problems} problems reported separately` : ', all match'
    })`,
    location: { path: signaturePath },
    evidence: {
      ...signer,
      signedFiles: String(manifest.resources.length),
      // Which files, for the provenance panel; a manifest of thousands is summarised by its count.
      signedFileNames: manifest.resources
        .slice(0, SIGNED_NAMES_SHOWN)
        .map(resource => resource.name)
        .join('\n'),
      problems: String(problems),
      modelName: manifest.modelName,
    },
    key: 'verified',
  });
}

/**
 * Verifies OpenSSF model signatures (`model.sig`, a Sigstore bundle) over every folder that has
 * one, and with `require_signature` reports model folders that have none. Reader option
 * `signatures` (see options.ts) holds the allowed signers and the offline trust roots.
 */
export const signatureAnalyzer: ProjectAnalyzer = {
  id: 'model-signatures',
  async analyze(ctx: ProjectContext) {
    const options = (ctx.options.signatures ?? {}) as SignatureOptions;
    const fileName = options.file ?? DEFAULT_SIGNATURE_FILE;
    const signatures = ctx.files.filter(
      path => path === fileName || path.endsWith(`/${fileName}`),
    );
    for (const signaturePath of signatures)
      await checkSignedFolder(ctx, signaturePath, options);
    if (!options.required) return;

    const signedFolders = signatures.map(dirOf);
    const modelFolders = new Set<string>();
    for (const path of ctx.files)
      if (WEIGHTS.test(path)) modelFolders.add(dirOf(path));
    for (const component of ctx.components)
      if (component.type === 'machine-learning-model' && component.path)
        modelFolders.add(dirOf(component.path));
    for (const folder of [...modelFolders].sort()) {
      if (signedFolders.some(signedFolder => isUnder(folder, signedFolder)))
        continue;
      ctx.emit({
        ruleId: 'MODEL-SIGNATURE-MISSING',
        message: `Model folder ${
          folder || '.'
        } has no ${fileName}, and the policy requires signed models`,
        location: { path: join(folder, fileName) },
        evidence: {},
        key: folder || '.',
      });
    }
  },
};
