/**
 * Findings about the image config itself: what the container does at start and what it carries in
 * plain sight. Patterns are data with reasons; secret values never leave this module unredacted.
 */
import type { Signal } from '../model/evidence';
import type { ImageConfigFile } from './manifests';

/** Commands that fetch code from an index when the container starts. */
const RUNTIME_INSTALL = [
  { pattern: /\bpip3?(?:\.\d+)?\s+install\b/, reason: 'pip install' },
  {
    pattern: /\bpython3?(?:\.\d+)?\s+-m\s+pip\s+install\b/,
    reason: 'python -m pip install',
  },
  { pattern: /\buv\s+(?:pip\s+install|add)\b/, reason: 'uv pip install' },
  {
    pattern: /\b(?:conda|mamba|micromamba)\s+install\b/,
    reason: 'conda install',
  },
  { pattern: /\bnpm\s+(?:install|i)\b/, reason: 'npm install' },
];

/** Values that are credentials by their shape, whatever the variable is called. */
const SECRET_VALUES = [
  { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, reason: 'AWS access key ID' },
  { pattern: /\bhf_[A-Za-z0-9]{30,}\b/, reason: 'Hugging Face token' },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, reason: 'GitHub token' },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, reason: 'private key' },
];

/** Names that say "secret"; the value must also look random, so `DB_PASSWORD=changeme` placeholders stay quiet. */
const SECRET_NAMES = /(?:PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|ACCESS_KEY)$/i;

export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function looksRandom(value: string): boolean {
  return value.length >= 16 && shannonEntropy(value) >= 3.5;
}

export function redact(value: string): string {
  return value.length <= 8
    ? '****'
    : `${value.slice(0, 4)}…(${value.length} chars)`;
}

function secretReason(name: string, value: string): string | undefined {
  for (const { pattern, reason } of SECRET_VALUES)
    if (pattern.test(value)) return reason;
  if (SECRET_NAMES.test(name) && looksRandom(value))
    return `high-entropy value in ${name}`;
  return undefined;
}

export function analyseImageConfig(
  config: ImageConfigFile,
  path: string,
): Signal[] {
  const signals: Signal[] = [];
  const c = config.config ?? {};
  const location = { path, entry: ['config'] };

  const command = [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])]
    .filter(part => typeof part === 'string')
    .join(' ');
  for (const { pattern, reason } of RUNTIME_INSTALL) {
    const match = pattern.exec(command);
    if (match) {
      signals.push({
        ruleId: 'IMAGE-RUNTIME-INSTALL',
        message: `The container start command runs ${reason}: ${command.slice(
          0,
          160,
        )}`,
        location,
        evidence: { snippet: command.slice(0, 200) },
        key: reason,
      });
      break;
    }
  }

  for (const entry of c.Env ?? []) {
    if (typeof entry !== 'string') continue;
    const eq = entry.indexOf('=');
    const name = eq === -1 ? entry : entry.slice(0, eq);
    const value = eq === -1 ? '' : entry.slice(eq + 1);
    const reason = secretReason(name, value);
    if (reason)
      signals.push({
        ruleId: 'IMAGE-SECRET',
        message: `Env ${name} holds a ${reason} (${redact(value)})`,
        location,
        evidence: { snippet: `${name}=${redact(value)}`, variable: name },
        key: `env:${name}`,
      });
  }
  for (const [name, value] of Object.entries(c.Labels ?? {})) {
    if (typeof value !== 'string') continue;
    const reason = secretReason(name, value);
    if (reason)
      signals.push({
        ruleId: 'IMAGE-SECRET',
        message: `Label ${name} holds a ${reason} (${redact(value)})`,
        location,
        evidence: { snippet: `${name}=${redact(value)}`, label: name },
        key: `label:${name}`,
      });
  }

  const user = (c.User ?? '').trim();
  const userName = user.split(':')[0];
  if (userName === '' || userName === 'root' || userName === '0')
    signals.push({
      ruleId: 'IMAGE-ROOT-USER',
      message:
        user === ''
          ? 'The image config sets no User, so the container runs as root'
          : `The image runs as ${user}`,
      location,
      evidence: { user: user || '(unset)' },
      key: 'user',
    });

  const base = c.Labels?.['org.opencontainers.image.base.name'];
  if (typeof base === 'string' && isLatest(base))
    signals.push({
      ruleId: 'IMAGE-LATEST-BASE',
      message: `Base image ${base.slice(
        0,
        160,
      )} is not pinned by tag or digest`,
      location,
      evidence: { snippet: base.slice(0, 200) },
      key: 'base',
    });
  return signals;
}

function isLatest(reference: string): boolean {
  if (reference.includes('@sha256:')) return false;
  const last = reference.slice(reference.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon === -1 || last.slice(colon + 1) === 'latest';
}
