import type { Finding, ScanResult } from '../model/finding';
import type { ReleaseDecision } from '../policy/types';
import { UsageError } from './exitCodes';
import type { CliIo } from './io';
import { parseEntityRef } from './gateCommand';

/**
 * `mlgov scan --report-to`: uploads a CI scan to the portal (POST .../ci-scans) and returns the
 * decision the portal computed, which is the one that counts (it knows the entity's policy and
 * active acceptances). The body fits the portal's limits, so a long message never loses a scan.
 */

/** The portal's limits (plugins/ml-governance-backend/src/service/requestSchemas.ts CI_SCAN_LIMITS). */
const LIMITS = {
  findings: 25_000,
  text: 4_000,
  title: 512,
  path: 1_024,
  evidenceKeys: 32,
  list: 16,
};

export interface ReportToOptions {
  portalUrl: string;
  entityRef: string;
  commitSha?: string;
  runUrl?: string;
  tokenEnv: string;
}

export interface PortalAnswer {
  decision: ReleaseDecision | undefined;
  runId: string;
}

const cut = (value: string, max: number) =>
  value.length > max ? `${value.slice(0, max - 1)}…` : value;

/** What the CI run is, from flags or the runner's own variables (GitHub Actions, GitLab CI). */
export function ciProvenance(
  env: CliIo['env'],
  flags: { commit?: string; runUrl?: string },
): { commitSha?: string; runUrl?: string } {
  const commitSha = flags.commit ?? env.GITHUB_SHA ?? env.CI_COMMIT_SHA;
  const github =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const runUrl = flags.runUrl ?? github ?? env.CI_JOB_URL;
  if (commitSha !== undefined && !/^[0-9a-fA-F]{7,64}$/.test(commitSha))
    throw new UsageError(
      `--commit ${commitSha}: expected a hexadecimal commit SHA`,
    );
  if (runUrl !== undefined && !/^https?:\/\//.test(runUrl))
    throw new UsageError(`--run-url ${runUrl}: expected an http(s) URL`);
  return { commitSha, runUrl };
}

function uploadFinding(finding: Finding, target: string) {
  const evidence: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(finding.evidence ?? {}).slice(
    0,
    LIMITS.evidenceKeys,
  )) {
    if (value === undefined) continue;
    evidence[cut(key, 64)] =
      typeof value === 'number' || typeof value === 'boolean' || value === null
        ? value
        : cut(
            typeof value === 'string' ? value : JSON.stringify(value),
            LIMITS.text,
          );
  }
  const { path, entry, offset, line, column } = finding.location;
  return {
    fingerprint: finding.fingerprint,
    target: cut(target, LIMITS.path),
    ruleId: finding.ruleId,
    title: cut(finding.title, LIMITS.title),
    severity: finding.severity,
    cwe: finding.cwe.slice(0, LIMITS.list),
    owaspLlm: finding.owaspLlm.slice(0, LIMITS.list),
    message: cut(finding.message, LIMITS.text),
    location: {
      path: cut(path, LIMITS.path),
      ...(entry
        ? { entry: entry.slice(0, LIMITS.list).map(e => cut(e, LIMITS.path)) }
        : {}),
      ...(offset !== undefined ? { offset } : {}),
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
    },
    evidence,
    fix: cut(finding.fix, LIMITS.text),
    retest: cut(finding.retest, LIMITS.text),
    docsUrl: cut(finding.docsUrl, LIMITS.path),
  };
}

/** The request body: findings (at most the portal's limit), the local decision (ignored), provenance. */
export function ciScanBody(
  result: ScanResult,
  localDecision: ReleaseDecision,
  provenance: { commitSha?: string; runUrl?: string },
) {
  if (result.findings.length > LIMITS.findings)
    throw new UsageError(
      `the scan has ${result.findings.length} findings; the portal takes at most ${LIMITS.findings} per upload`,
    );
  return {
    findings: result.findings.map(f => uploadFinding(f, result.target)),
    decision: localDecision,
    ...(provenance.commitSha ? { commitSha: provenance.commitSha } : {}),
    ...(provenance.runUrl ? { runUrl: provenance.runUrl } : {}),
  };
}

/** Uploads; throws with the portal's own message on any non-2xx answer. */
export async function reportToPortal(
  body: ReturnType<typeof ciScanBody>,
  options: ReportToOptions,
  io: CliIo,
): Promise<PortalAnswer> {
  if (!/^https?:\/\//.test(options.portalUrl))
    throw new UsageError(
      `--report-to ${options.portalUrl}: expected an http(s) URL`,
    );
  const entity = parseEntityRef(options.entityRef);
  const url = `${options.portalUrl.replace(
    /\/+$/,
    '',
  )}/api/ml-governance/entities/${[entity.kind, entity.namespace, entity.name]
    .map(encodeURIComponent)
    .join('/')}/ci-scans`;
  const token = io.env[options.tokenEnv];
  if (!token)
    throw new UsageError(`--report-to needs a token in ${options.tokenEnv}`);
  const response = await io.fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 500);
    try {
      message = JSON.parse(text).error?.message ?? message;
    } catch {
      // not JSON: keep the raw (cut) text
    }
    throw new Error(
      `the portal refused the upload (${response.status}): ${message}`,
    );
  }
  const run = JSON.parse(text) as { id: string; decision?: ReleaseDecision };
  return { decision: run.decision, runId: run.id };
}
