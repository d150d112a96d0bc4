import { parseArgs } from 'node:util';
import { DECISION_RANK, type ReleaseDecision } from '../policy/types';
import { EXIT_CODES, UsageError, exitCodeFor } from './exitCodes';
import type { CliIo } from './io';
import { GATE_HELP } from './help';
import {
  digestExitCode,
  digestPending,
  digestSummary,
  digestWaitLine,
  parseDigestOption,
  promotionOf,
  type PromotionGateStatus,
} from './gateDigest';

/** The portal's answer to GET /api/ml-governance/gate/:kind/:namespace/:name. */
export interface GateResponse {
  entityRef: string;
  decision: ReleaseDecision;
  blocking: {
    ruleId: string;
    title: string;
    fingerprint: string;
    pendingAcceptance?: { id: string; status: string };
  }[];
  lastScanAt: string | null;
  /** Present when asked with `?digest=`. */
  promotion?: PromotionGateStatus;
}

export interface EntityName {
  kind: string;
  namespace: string;
  name: string;
}

/** `[kind:][namespace/]name`, with Backstage's defaults for a deployable thing. */
export function parseEntityRef(ref: string): EntityName {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim());
  if (!match)
    throw new UsageError(
      `"${ref}" is not an entity reference; expected [kind:][namespace/]name, e.g. component:default/fraud-scorer`,
    );
  return {
    kind: match[1] ?? 'component',
    namespace: match[2] ?? 'default',
    name: match[3],
  };
}

/** `30s`, `30m`, `2h`, `500ms`, or a bare number of seconds. */
export function parseDuration(value: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match)
    throw new UsageError(
      `${option} ${value}: expected a duration such as 30s, 30m or 2h`,
    );
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[
    (match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'
  ];
  return Math.round(Number(match[1]) * unit);
}

type Attempt =
  | { ok: true; response: GateResponse }
  | { ok: false; message: string; fatal: boolean };

export async function gateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: 'string' },
      'token-env': { type: 'string' },
      wait: { type: 'boolean' },
      digest: { type: 'string' },
      timeout: { type: 'string' },
      interval: { type: 'string' },
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(GATE_HELP);
    return EXIT_CODES.PASS;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      'gate takes exactly one entity reference; see mlgov gate --help',
    );
  const entity = parseEntityRef(positionals[0]);
  const baseUrl = values.url ?? io.env.MLGOV_URL;
  if (!baseUrl)
    throw new UsageError(
      '--url (or MLGOV_URL) is required: the base URL of the Backstage portal',
    );
  if (!/^https?:\/\//.test(baseUrl))
    throw new UsageError(`--url ${baseUrl}: expected an http(s) URL`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--format ${format}: expected text or json`);
  const tokenEnv = values['token-env'] ?? 'MLGOV_TOKEN';
  const token = io.env[tokenEnv];
  const timeoutMs = parseDuration(values.timeout ?? '30m', '--timeout');
  const intervalMs = parseDuration(values.interval ?? '30s', '--interval');

  const digest =
    values.digest === undefined ? undefined : parseDigestOption(values.digest);
  const url = `${baseUrl.replace(/\/+$/, '')}/api/ml-governance/gate/${[
    entity.kind,
    entity.namespace,
    entity.name,
  ]
    .map(encodeURIComponent)
    .join('/')}${digest ? `?digest=${encodeURIComponent(digest)}` : ''}`;
  const ref = `${entity.kind}:${entity.namespace}/${entity.name}`;
  const deadline = io.now() + timeoutMs;
  let worstSeen: GateResponse | undefined;

  for (;;) {
    const attempt = await requestGate(url, token, tokenEnv, io);
    if (!attempt.ok) {
      io.stderr.write(`mlgov gate: ${attempt.message}\n`);
      if (attempt.fatal) return EXIT_CODES.USAGE;
    } else if (digest) {
      const response = attempt.response;
      const promotion = promotionOf(response);
      if (!promotion) {
        io.stderr.write(
          'mlgov gate: the portal did not answer for --digest (ML Governance without promotion?)\n',
        );
        return EXIT_CODES.INTERNAL;
      }
      worstSeen = response;
      if (!values.wait || !digestPending(response.decision, promotion)) {
        io.stdout.write(
          format === 'json'
            ? `${JSON.stringify(response, null, 2)}\n`
            : digestSummary(ref, response.decision, promotion),
        );
        return digestExitCode(response.decision, promotion);
      }
    } else {
      const response = attempt.response;
      if (
        !worstSeen ||
        DECISION_RANK[response.decision] >= DECISION_RANK[worstSeen.decision]
      )
        worstSeen = response;
      if (!values.wait || response.decision !== 'BLOCK') {
        io.stdout.write(
          format === 'json'
            ? `${JSON.stringify(response, null, 2)}\n`
            : summary(response),
        );
        return exitCodeFor(response.decision);
      }
    }
    if (!values.wait) return EXIT_CODES.INTERNAL;
    const remaining = deadline - io.now();
    if (remaining <= 0) break;
    const wait = Math.min(intervalMs, remaining);
    if (attempt.ok && digest) {
      io.stderr.write(
        digestWaitLine(ref, promotionOf(attempt.response)!, wait),
      );
    } else if (attempt.ok) {
      const pending = attempt.response.blocking.filter(
        b => b.pendingAcceptance,
      ).length;
      io.stderr.write(
        `mlgov gate: ${ref} is BLOCK (${
          attempt.response.blocking.length
        } blocking, ${pending} with an acceptance pending); next check in ${Math.round(
          wait / 1000,
        )}s\n`,
      );
    }
    await io.sleep(wait);
  }

  // Timed out while the release was still blocked (or the portal never answered).
  if (worstSeen && digest) {
    io.stdout.write(
      format === 'json'
        ? `${JSON.stringify(worstSeen, null, 2)}\n`
        : digestSummary(ref, worstSeen.decision, promotionOf(worstSeen)!),
    );
    io.stderr.write(
      `mlgov gate: ${digest} not promoted after ${
        values.timeout ?? '30m'
      }; giving up\n`,
    );
    return EXIT_CODES.BLOCK;
  }
  if (worstSeen) {
    io.stdout.write(
      format === 'json'
        ? `${JSON.stringify(worstSeen, null, 2)}\n`
        : summary(worstSeen),
    );
    io.stderr.write(
      `mlgov gate: still BLOCK after ${values.timeout ?? '30m'}; giving up\n`,
    );
    return EXIT_CODES.BLOCK;
  }
  io.stderr.write(
    `mlgov gate: no answer from the portal within ${values.timeout ?? '30m'}\n`,
  );
  return EXIT_CODES.INTERNAL;
}

async function requestGate(
  url: string,
  token: string | undefined,
  tokenEnv: string,
  io: CliIo,
): Promise<Attempt> {
  let response: Response;
  try {
    response = await io.fetch(url, {
      headers: {
        Accept: 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
    });
  } catch (error) {
    return {
      ok: false,
      fatal: false,
      message: `cannot reach ${url}: ${(error as Error).message}`,
    };
  }
  if (response.status === 401 || response.status === 403) {
    return {
      ok: false,
      fatal: true,
      message: `the portal refused the request (HTTP ${response.status}); ${
        token
          ? `check the token in $${tokenEnv}`
          : `set $${tokenEnv} to a token the portal accepts`
      }`,
    };
  }
  if (response.status === 404) {
    return {
      ok: false,
      fatal: true,
      message: `the portal does not know this entity, or ML Governance is not installed (HTTP 404 for ${url})`,
    };
  }
  if (!response.ok)
    return {
      ok: false,
      fatal: false,
      message: `the portal answered HTTP ${response.status}`,
    };
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return {
      ok: false,
      fatal: false,
      message: 'the portal answered with something that is not JSON',
    };
  }
  if (!isGateResponse(body))
    return {
      ok: false,
      fatal: false,
      message: 'the portal answered JSON without a valid decision',
    };
  return { ok: true, response: body };
}

function isGateResponse(body: unknown): body is GateResponse {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Partial<GateResponse>;
  return (
    (candidate.decision === 'BLOCK' ||
      candidate.decision === 'TICKET' ||
      candidate.decision === 'PASS') &&
    Array.isArray(candidate.blocking) &&
    candidate.blocking.every(
      item =>
        typeof item === 'object' &&
        item !== null &&
        typeof item.ruleId === 'string',
    )
  );
}

function summary(response: GateResponse): string {
  const lines = [
    `${response.entityRef}: ${response.decision}${
      response.lastScanAt
        ? ` (last scan ${response.lastScanAt})`
        : ' (never scanned)'
    }`,
  ];
  if (response.blocking.length > 0) {
    lines.push('Blocking findings:');
    for (const item of response.blocking) {
      const acceptance = item.pendingAcceptance
        ? `  [acceptance ${item.pendingAcceptance.id}: ${item.pendingAcceptance.status}]`
        : '';
      lines.push(
        `  ${item.ruleId}  ${item.title ?? ''}  (fingerprint ${
          item.fingerprint
        })${acceptance}`,
      );
    }
    lines.push(
      'Fix them, or request a risk acceptance on the entity page in the portal; an approved acceptance unblocks the gate.',
    );
  }
  return `${lines.join('\n')}\n`;
}
