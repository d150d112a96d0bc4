import { readFile, mkdir, writeFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { ScanResult } from '../model/finding';
import { SEVERITIES, type Severity } from '../model/severity';
import type { Scanner, ScanOptions } from '../engine/Scanner';
import { createScanner } from '../createScanner';
import { DEFAULT_POLICY } from '../policy/defaults';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import { scanOptionsFromPolicy, withFailOn } from '../policy/scanOptions';
import type { Policy, PolicyEvaluation } from '../policy/types';
import { EXIT_CODES, UsageError, exitCodeFor } from './exitCodes';
import type { CliIo } from './io';
import { ProgressLine } from './progress';
import { loadTrustedRootFile } from './trustedRootFile';
import { SCAN_HELP } from './help';
import type * as RemoteCli from '../sources/cliScan';
import type * as ImageCli from '../images/cli';
import type * as ReportTo from './reportTo';

// What only some scans need loads when they need it (each costs start-up time on every scan of a local
// folder otherwise): the policy parser (yaml + the zod schema) with --policy, the remote and image
// sources (HTTP stack, registries) for URI targets, each report writer for its format, the portal
// client with --report-to. Synchronous require, as in main.ts, keeps jest and the TypeScript runner working.
const lazy = {
  parsePolicy: (): typeof import('../policy/parsePolicy') =>
    require('../policy/parsePolicy'),
  remoteCli: (): typeof RemoteCli => require('../sources/cliScan'),
  imageCli: (): typeof ImageCli => require('../images/cli'),
  reportTo: (): typeof ReportTo => require('./reportTo'),
  textReport: (): typeof import('../report/textReport') =>
    require('../report/textReport'),
  jsonReport: (): typeof import('../report/jsonReport') =>
    require('../report/jsonReport'),
  sarifReport: (): typeof import('../report/sarifReport') =>
    require('../report/sarifReport'),
  cycloneDxReport: (): typeof import('../report/cyclonedxReport') =>
    require('../report/cyclonedxReport'),
};

/**
 * Whether a target starts with a scheme (`hf://`, `s3://`, `oci-archive:`…): only then can it be a
 * remote source or a container image, so only then are their modules loaded to decide.
 */
function mayBeUriOrImage(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'cyclonedx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** One report to produce: a format and a file (`undefined` or `-` for stdout). */
interface ReportTarget {
  format: ReportFormat;
  file?: string;
}

/**
 * What `mlgov scan` can be given instead of its defaults (tests inject a scanner with fake readers).
 *
 * @public
 */
export interface ScanCommandDeps {
  /** Builds the scanner; tests inject one with fake readers. */
  createScanner?: (options: ScanOptions) => Scanner;
}

export async function scanCommand(
  args: string[],
  io: CliIo,
  deps: ScanCommandDeps = {},
): Promise<number> {
  const { values, positionals, tokens } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    tokens: true,
    options: {
      policy: { type: 'string', short: 'p' },
      format: { type: 'string', short: 'f', multiple: true },
      output: { type: 'string', short: 'o', multiple: true },
      sarif: { type: 'string', multiple: true },
      cyclonedx: { type: 'string', multiple: true },
      json: { type: 'string', multiple: true },
      text: { type: 'string', multiple: true },
      'fail-on': { type: 'string' },
      'trusted-root': { type: 'string', multiple: true },
      'require-signature': { type: 'boolean' },
      'image-key': { type: 'string', multiple: true },
      'require-image-signature': { type: 'boolean' },
      'report-to': { type: 'string' },
      entity: { type: 'string' },
      commit: { type: 'string' },
      'run-url': { type: 'string' },
      'token-env': { type: 'string' },
      'no-progress': { type: 'boolean' },
      platform: { type: 'string', multiple: true },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(SCAN_HELP);
    return EXIT_CODES.PASS;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `scan takes exactly one path (got ${positionals.length}); see mlgov scan --help`,
    );

  const reportTo = values['report-to'];
  if ((reportTo === undefined) !== (values.entity === undefined))
    throw new UsageError(
      '--report-to and --entity go together: the portal URL and the entity to report for',
    );
  const provenance = reportTo
    ? lazy.reportTo().ciProvenance(io.env, {
        commit: values.commit,
        runUrl: values['run-url'],
      })
    : {};

  const targets = reportTargets(tokens ?? [], values.quiet === true);
  const target = positionals[0];
  const absolute = resolve(io.cwd, target);
  // hf://, s3://, mlflow:// and Hub URLs are read by ranges from where they live (sources/).
  // oci-archive:, docker-archive: and oci-layout: name a container image (images/).
  const hasScheme = mayBeUriOrImage(target);
  const imageCli = hasScheme ? lazy.imageCli() : undefined;
  const image = imageCli?.parseImageTarget(target);
  const remoteCli = hasScheme && !image ? lazy.remoteCli() : undefined;
  const remote = remoteCli?.looksLikeUri(target) ? remoteCli : undefined;
  const targetStat =
    remote || image ? undefined : await stat(absolute).catch(() => undefined);
  if (!remote && !image && !targetStat)
    throw new UsageError(`${target}: no such file or directory`);

  let policy = await loadPolicy(values.policy, io);
  if (values['fail-on'] !== undefined)
    policy = withFailOn(policy, parseSeverity(values['fail-on'], '--fail-on'));

  policy = await withSignatureFlags(policy, values, io);

  const options = scanOptionsFromPolicy(policy);
  const scanner = (deps.createScanner ?? createScanner)({
    limits: options.limits,
    readerOptions: options.readerOptions,
  });
  const progress =
    io.stderr.isTTY && !values['no-progress'] && !values.quiet
      ? new ProgressLine(io.stderr, () => io.now())
      : undefined;

  let result: ScanResult;
  try {
    if (imageCli && image)
      result = await imageCli.scanImageTarget(target, image, io.cwd, scanner, {
        ignore: options.ignore,
        env: io.env,
        fetch: io.fetch,
        // --platform wins over the policy's image_platforms.
        platforms:
          values.platform ??
          (options.readerOptions?.imagePlatforms as string[] | undefined),
        signatures: await imageSignatureFlags(values, io),
      });
    else
      result = remote
        ? await remote.scanRemoteTarget(target, scanner, io.env, p =>
            progress?.update(p),
          )
        : await scanner.scanPath(absolute, {
            ignore: options.ignore,
            onProgress: p => progress?.update(p),
          });
  } catch (error) {
    if (
      imageCli &&
      (error instanceof imageCli.ImageTargetError ||
        error instanceof imageCli.ImageSignatureKeyError)
    ) {
      progress?.finish();
      throw new UsageError(error.message);
    }
    if (remote && error instanceof remote.RemoteReadError) {
      progress?.finish();
      throw new UsageError(error.message);
    }
    progress?.finish();
    io.stderr.write(
      `mlgov: the scan could not complete: ${(error as Error).message}\n`,
    );
    return EXIT_CODES.INTERNAL;
  }
  progress?.finish();
  result = { ...result, target };

  const evaluation = evaluatePolicy(result, policy, {
    now: new Date(io.now()),
  });
  const scanRoot =
    !targetStat || targetStat.isDirectory() ? absolute : dirname(absolute);
  const pathPrefix = remote || image ? '' : sarifPathPrefix(io.cwd, scanRoot);
  if (
    targets.some(t => t.format === 'sarif') &&
    (pathPrefix.startsWith('..') || isAbsolute(pathPrefix))
  ) {
    io.stderr.write(
      `mlgov: warning: ${target} is outside the working directory; SARIF paths are relative to it, so run mlgov from the repository root for code scanning to place the alerts\n`,
    );
  }
  const failures = await writeReports(
    targets,
    result,
    evaluation,
    io,
    pathPrefix,
  );

  if (reportTo) {
    // The portal's decision is the one that counts: it applies the entity's policy and acceptances.
    try {
      const { reportToPortal, ciScanBody } = lazy.reportTo();
      const answer = await reportToPortal(
        ciScanBody(result, evaluation.decision, provenance),
        {
          portalUrl: reportTo,
          entityRef: values.entity!,
          tokenEnv: values['token-env'] ?? 'MLGOV_TOKEN',
          ...provenance,
        },
        io,
      );
      io.stderr.write(
        `mlgov: reported to ${reportTo} (scan ${
          answer.runId
        }): portal decision ${answer.decision ?? 'UNKNOWN'}\n`,
      );
      if (!answer.decision) return EXIT_CODES.INTERNAL;
      if (failures > 0 && answer.decision !== 'BLOCK')
        return EXIT_CODES.INTERNAL;
      return exitCodeFor(answer.decision);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      io.stderr.write(
        `mlgov: could not report the scan: ${(error as Error).message}\n`,
      );
      return EXIT_CODES.INTERNAL;
    }
  }

  const decisionCode = exitCodeFor(evaluation.decision);
  // Findings are never hidden behind an error: a BLOCK stays a BLOCK even if a report could not be written.
  if (failures > 0 && evaluation.decision !== 'BLOCK')
    return EXIT_CODES.INTERNAL;
  return decisionCode;
}

/**
 * Pairs `--format`/`--output` in command-line order (each --output belongs to the --format before it),
 * adds the `--sarif f`-style shorthands, and makes sure at most one report goes to stdout.
 */
function reportTargets(
  tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>,
  quiet: boolean,
): ReportTarget[] {
  const targets: (ReportTarget & { fromFormat: boolean })[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    if (token.name === 'format') {
      targets.push({ format: parseFormat(token.value), fromFormat: true });
    } else if (token.name === 'output') {
      const open = [...targets]
        .reverse()
        .find(t => t.fromFormat && t.file === undefined);
      if (open) open.file = token.value;
      else
        targets.push({
          format: formatFromFileName(token.value),
          file: token.value,
          fromFormat: false,
        });
    } else if ((REPORT_FORMATS as readonly string[]).includes(token.name)) {
      targets.push({
        format: token.name as ReportFormat,
        file: token.value,
        fromFormat: false,
      });
    }
  }
  const toStdout = targets.filter(t => t.file === undefined || t.file === '-');
  if (toStdout.length > 1) {
    throw new UsageError(
      `only one report can go to stdout, but ${toStdout
        .map(t => t.format)
        .join(' and ')} would; add --output <file>`,
    );
  }
  if (toStdout.length === 0 && !quiet)
    targets.push({ format: 'text', fromFormat: false });
  return targets.map(({ format, file }) => ({
    format,
    file: file === '-' ? undefined : file,
  }));
}

async function writeReports(
  targets: ReportTarget[],
  result: ScanResult,
  evaluation: PolicyEvaluation,
  io: CliIo,
  pathPrefix: string,
): Promise<number> {
  let failures = 0;
  for (const target of targets) {
    const color =
      target.file === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR;
    const content = render(target.format, result, evaluation, {
      color,
      pathPrefix,
    });
    if (target.file === undefined) {
      io.stdout.write(content);
      continue;
    }
    const path = resolve(io.cwd, target.file);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    } catch (error) {
      failures++;
      io.stderr.write(
        `mlgov: cannot write the ${target.format} report to ${target.file}: ${
          (error as Error).message
        }\n`,
      );
    }
  }
  return failures;
}

function render(
  format: ReportFormat,
  result: ScanResult,
  evaluation: PolicyEvaluation,
  options: { color: boolean; pathPrefix: string },
): string {
  switch (format) {
    case 'text':
      return lazy
        .textReport()
        .textReport(result, evaluation, { color: options.color });
    case 'json':
      return lazy.jsonReport().jsonReport(result, evaluation);
    case 'sarif':
      return `${JSON.stringify(
        lazy
          .sarifReport()
          .sarifReport(result, evaluation, { pathPrefix: options.pathPrefix }),
        null,
        2,
      )}\n`;
    case 'cyclonedx':
      return `${JSON.stringify(
        lazy.cycloneDxReport().cycloneDxReport(result, evaluation),
        null,
        2,
      )}\n`;
    default:
      throw new UsageError(`unknown format ${format as string}`);
  }
}

/**
 * `--trusted-root <pem>` (repeatable) adds offline CA certificates for model signatures to the
 * policy's `signatures.trusted_roots`; `--require-signature` turns on `require_signature`.
 */
async function withSignatureFlags(
  policy: Policy,
  values: { 'trusted-root'?: string[]; 'require-signature'?: boolean },
  io: CliIo,
): Promise<Policy> {
  const roots = values['trusted-root'] ?? [];
  if (roots.length === 0 && !values['require-signature']) return policy;
  const pems: string[] = [];
  for (const file of roots) {
    let pem: string;
    try {
      pem = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read trusted root ${file}: ${
          (error as NodeJS.ErrnoException).code ?? (error as Error).message
        }`,
      );
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      throw new UsageError(`trusted root ${file} is not a PEM certificate`);
    pems.push(pem);
  }
  const signatures = policy.signatures ?? {};
  return {
    ...policy,
    signatures: {
      ...signatures,
      required: signatures.required || values['require-signature'] === true,
      trustedRoots: [...(signatures.trustedRoots ?? []), ...pems],
    },
  };
}

/** `--image-key <cosign.pub>` (repeatable) and `--require-image-signature` for registry images. */
async function imageSignatureFlags(
  values: { 'image-key'?: string[]; 'require-image-signature'?: boolean },
  io: CliIo,
): Promise<{ required: boolean; publicKeys: string[] }> {
  const publicKeys: string[] = [];
  for (const file of values['image-key'] ?? []) {
    const pem = await readFile(resolve(io.cwd, file), 'utf8').catch(
      (error: NodeJS.ErrnoException) => {
        throw new UsageError(
          `cannot read image key ${file}: ${error.code ?? error.message}`,
        );
      },
    );
    if (!pem.includes('-----BEGIN PUBLIC KEY-----'))
      throw new UsageError(`image key ${file} is not a PEM public key`);
    publicKeys.push(pem);
  }
  return {
    required: values['require-image-signature'] === true,
    publicKeys,
  };
}

async function loadPolicy(
  file: string | undefined,
  io: CliIo,
): Promise<Policy> {
  if (file === undefined) return structuredClone(DEFAULT_POLICY) as Policy;
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read policy ${file}: ${
        (error as NodeJS.ErrnoException).code ?? (error as Error).message
      }`,
    );
  }
  const { parsePolicy, PolicyError } = lazy.parsePolicy();
  let policy: Policy;
  try {
    policy = parsePolicy(text, file);
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(error.message);
    throw error;
  }
  await loadTrustedRootFile(policy, resolve(io.cwd, file));
  return policy;
}

/** The scan root relative to the working directory (taken as the repository root, `%SRCROOT%`). */
function sarifPathPrefix(cwd: string, scanRoot: string): string {
  const path = relative(cwd, scanRoot);
  return isAbsolute(path) ? path : path.split(sep).join('/');
}

export function parseSeverity(value: string, option: string): Severity {
  const lower = value.toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(lower))
    return lower as Severity;
  throw new UsageError(
    `${option} ${value}: expected one of ${SEVERITIES.join(', ')}`,
  );
}

function parseFormat(value: string): ReportFormat {
  if ((REPORT_FORMATS as readonly string[]).includes(value))
    return value as ReportFormat;
  throw new UsageError(
    `--format ${value}: expected one of ${REPORT_FORMATS.join(', ')}`,
  );
}

function formatFromFileName(file: string): ReportFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.sarif') || lower.endsWith('.sarif.json')) return 'sarif';
  if (lower.endsWith('.cdx.json') || lower.endsWith('.bom.json'))
    return 'cyclonedx';
  if (lower.endsWith('.json')) return 'json';
  return 'text';
}
