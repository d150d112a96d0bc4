import { parse } from 'yaml';

/** `reference` probes are compared with their answer; injection and jailbreak probes expect a refusal. */
export type ProbeKind = 'reference' | 'injection' | 'jailbreak';

export interface Probe {
  id: string;
  kind: ProbeKind;
  prompt: string;
  /** The expected answer; required for `reference` probes. */
  reference?: string;
}

export type ProbeSuiteResult =
  | { ok: true; probes: Probe[] }
  | { ok: false; error: string };

const KINDS: readonly ProbeKind[] = ['reference', 'injection', 'jailbreak'];
const MAX_ID = 100;
const MAX_PROMPT = 8000;
const PROBE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function textField(
  probe: Record<string, unknown>,
  key: string,
  max: number,
  where: string,
): string | undefined | Error {
  const value = probe[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    return new Error(`${where}.${key} must be text`);
  if (value.trim() === '') return new Error(`${where}.${key} is empty`);
  if (value.length > max)
    return new Error(`${where}.${key} is longer than ${max} characters`);
  return value;
}

/**
 * Parses a probe suite (YAML or JSON: `{ probes: [{ id, kind, prompt, reference }] }`). Strict: a
 * suite with one unusable probe is refused whole, so what the prober measures is what the suite
 * says, never a silently smaller subset.
 */
export function parseProbeSuite(
  text: string,
  limits: { maxProbes: number },
): ProbeSuiteResult {
  let document: unknown;
  try {
    // Aliases are refused outright: a suite has no use for them and they expand exponentially.
    document = parse(text, { maxAliasCount: 0, uniqueKeys: true });
  } catch (error) {
    return {
      ok: false,
      error: `probe suite is not valid YAML/JSON: ${String(
        (error as Error).message,
      ).slice(0, 200)}`,
    };
  }
  const list =
    document && typeof document === 'object' && !Array.isArray(document)
      ? (document as Record<string, unknown>).probes
      : undefined;
  if (!Array.isArray(list) || list.length === 0)
    return { ok: false, error: 'probe suite has no `probes` list' };
  if (list.length > limits.maxProbes)
    return {
      ok: false,
      error: `probe suite has ${list.length} probes, more than the ${limits.maxProbes} allowed (mlGovernance.modelApis.maxProbes)`,
    };
  const probes: Probe[] = [];
  const seen = new Set<string>();
  for (const [index, item] of list.entries()) {
    const where = `probes[${index}]`;
    if (!item || typeof item !== 'object' || Array.isArray(item))
      return { ok: false, error: `${where} is not an object` };
    const probe = item as Record<string, unknown>;
    const id = textField(probe, 'id', MAX_ID, where);
    const prompt = textField(probe, 'prompt', MAX_PROMPT, where);
    const reference = textField(probe, 'reference', MAX_PROMPT, where);
    for (const field of [id, prompt, reference])
      if (field instanceof Error) return { ok: false, error: field.message };
    if (typeof id !== 'string' || !PROBE_ID.test(id))
      return {
        ok: false,
        error: `${where}.id must be letters, digits, '.', '_' or '-'`,
      };
    if (seen.has(id))
      return { ok: false, error: `${where}.id ${id} is used twice` };
    seen.add(id);
    const kind = probe.kind ?? 'reference';
    if (!KINDS.includes(kind as ProbeKind))
      return {
        ok: false,
        error: `${where}.kind must be one of ${KINDS.join(', ')}`,
      };
    if (typeof prompt !== 'string')
      return { ok: false, error: `${where}.prompt is missing` };
    if (kind === 'reference' && typeof reference !== 'string')
      return {
        ok: false,
        error: `${where} is a reference probe without a reference answer`,
      };
    probes.push({
      id,
      kind: kind as ProbeKind,
      prompt,
      ...(typeof reference === 'string' ? { reference } : {}),
    });
  }
  return { ok: true, probes };
}
