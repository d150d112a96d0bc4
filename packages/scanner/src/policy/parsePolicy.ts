import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type YAMLMap,
} from 'yaml';
import { SEVERITIES, isAtLeast, type Severity } from '../model/severity';
import { DEFAULT_LIMITS, type ScanLimits } from '../model/limits';
import { findRule } from '../rules/catalogue';
import { DEFAULT_POLICY } from './defaults';
import { parseExpiry } from './expiry';
import {
  POLICY_API_VERSION,
  type AllowEntry,
  type Policy,
  type RuleOverride,
} from './types';

/** One problem in a policy file, located by key path and line. */
export interface PolicyIssue {
  /** Dotted key path, e.g. `allow[2].expires`; empty for the document itself. */
  key: string;
  /** 1-based line in the policy file, when known. */
  line?: number;
  message: string;
}

/** Thrown by `parsePolicy` with every problem found, not just the first, so one edit fixes them all. */
export class PolicyError extends Error {
  constructor(readonly source: string, readonly issues: PolicyIssue[]) {
    super(
      `Invalid policy ${source} (${issues.length} problem${
        issues.length === 1 ? '' : 's'
      }):\n${issues
        .map(
          issue =>
            `  ${source}${issue.line === undefined ? '' : `:${issue.line}`}: ${
              issue.key ? `${issue.key}: ` : ''
            }${issue.message}`,
        )
        .join('\n')}`,
    );
    this.name = 'PolicyError';
  }
}

/** An alias bomb in a policy file must not cost more than a handful of expansions. */
const MAX_ALIAS_COUNT = 50;

const TOP_LEVEL_KEYS = [
  'apiVersion',
  'fail_on',
  'ticket_on',
  'enforce_safetensors',
  'rules',
  'allow',
  'ignore_paths',
  'limits',
  'trusted_globals',
  'hardened_modules',
  'pinned_hashes',
  'licences',
  'fail_on_missing_license',
  'osv',
] as const;

const ALLOW_MATCHERS = [
  'rule',
  'path',
  'symbol',
  'package',
  'fingerprint',
] as const;
const ALLOW_KEYS = [
  ...ALLOW_MATCHERS,
  'owner',
  'justification',
  'expires',
] as const;

/** Common slips, answered with the right key. */
const DID_YOU_MEAN: Record<string, string> = {
  licenses: 'licences',
  license: 'licences',
  failOn: 'fail_on',
  ticketOn: 'ticket_on',
  enforceSafetensors: 'enforce_safetensors',
  ignorePaths: 'ignore_paths',
  ignore: 'ignore_paths',
  trustedGlobals: 'trusted_globals',
  hardenedModules: 'hardened_modules',
  pinnedHashes: 'pinned_hashes',
  allowlist: 'allow',
  expiry: 'expires',
  expires_at: 'expires',
  reason: 'justification',
  ruleId: 'rule',
};

/** Walks the YAML tree (not its JS value) so every message can name the line it is about. */
class PolicyReader {
  readonly issues: PolicyIssue[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  issue(key: string, line: number | undefined, message: string): void {
    this.issues.push({ key, line, message });
  }

  read(): Policy {
    const root = this.resolve(this.doc.contents);
    if (!isMap(root)) {
      this.issue(
        '',
        this.lineOf(root),
        `a policy is a YAML mapping starting with "apiVersion: ${POLICY_API_VERSION}"`,
      );
      return { ...DEFAULT_POLICY };
    }
    const policy: Policy = structuredClone(DEFAULT_POLICY);
    const seen = new Map<string, Node>();
    for (const pair of root.items) {
      const key = this.keyOf(pair.key, '');
      if (key === undefined) continue;
      const value = this.resolve(pair.value as Node | null);
      if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
        this.unknownKey(key, pair.key as Node, TOP_LEVEL_KEYS);
        continue;
      }
      seen.set(key, (pair.value as Node | null) ?? (pair.key as Node));
      this.readTopLevel(policy, key as (typeof TOP_LEVEL_KEYS)[number], value);
    }
    if (!seen.has('apiVersion'))
      this.issue(
        'apiVersion',
        1,
        `required; add "apiVersion: ${POLICY_API_VERSION}" as the first line`,
      );
    if (!isAtLeast(policy.failOn, policy.ticketOn)) {
      this.issue(
        'ticket_on',
        this.lineOf(seen.get('ticket_on') ?? seen.get('fail_on')),
        `"${policy.ticketOn}" is more severe than fail_on "${policy.failOn}"; ticket_on must be at or below fail_on`,
      );
    }
    return policy;
  }

  private readTopLevel(
    policy: Policy,
    key: (typeof TOP_LEVEL_KEYS)[number],
    value: Node | null,
  ): void {
    switch (key) {
      case 'apiVersion': {
        const version = this.string(value, key);
        if (version !== undefined && version !== POLICY_API_VERSION) {
          this.issue(
            key,
            this.lineOf(value),
            `"${version}" is not supported; this scanner reads "${POLICY_API_VERSION}"`,
          );
        }
        return;
      }
      case 'fail_on':
        policy.failOn = this.severity(value, key) ?? policy.failOn;
        return;
      case 'ticket_on':
        policy.ticketOn = this.severity(value, key) ?? policy.ticketOn;
        return;
      case 'enforce_safetensors':
        policy.enforceSafetensors =
          this.boolean(value, key) ?? policy.enforceSafetensors;
        return;
      case 'rules':
        policy.rules = this.rules(value);
        return;
      case 'allow':
        policy.allow = this.allow(value);
        return;
      case 'ignore_paths':
        policy.ignorePaths = this.stringList(value, key);
        return;
      case 'limits':
        policy.limits = this.limits(value);
        return;
      case 'trusted_globals':
        policy.trustedGlobals = this.stringList(value, key);
        return;
      case 'hardened_modules':
        policy.hardenedModules = this.stringList(value, key);
        return;
      case 'pinned_hashes':
        policy.pinnedHashes = this.pinnedHashes(value);
        return;
      case 'fail_on_missing_license':
        policy.failOnMissingLicence = this.boolean(value, key) ?? false;
        return;
      case 'licences':
      case 'osv':
        // Opaque here: the licence and vulnerability checks validate their own settings.
        try {
          policy[key] = value
            ? value.toJS(this.doc, { maxAliasCount: MAX_ALIAS_COUNT })
            : undefined;
        } catch (error) {
          this.issue(key, this.lineOf(value), (error as Error).message);
        }
        return;
      default:
        return;
    }
  }

  private rules(node: Node | null): Record<string, RuleOverride> {
    const rules: Record<string, RuleOverride> = {};
    if (
      !this.expectMap(
        node,
        'rules',
        'a mapping of rule ID to { severity, enabled }',
      )
    )
      return rules;
    for (const pair of node.items) {
      const id = this.keyOf(pair.key, 'rules');
      if (id === undefined) continue;
      const path = `rules.${id}`;
      const rule = findRule(id);
      if (!rule) {
        this.issue(
          path,
          this.lineOf(pair.key as Node),
          `unknown rule ID; \`mlgov rules\` lists them`,
        );
        continue;
      }
      const value = this.resolve(pair.value as Node | null);
      if (
        !this.expectMap(
          value,
          path,
          'a mapping with "severity" and/or "enabled"',
        )
      )
        continue;
      const override: RuleOverride = {};
      for (const field of value.items) {
        const name = this.keyOf(field.key, path);
        const fieldValue = this.resolve(field.value as Node | null);
        if (name === 'severity')
          override.severity = this.severity(fieldValue, `${path}.severity`);
        else if (name === 'enabled')
          override.enabled = this.boolean(fieldValue, `${path}.enabled`);
        else if (name !== undefined)
          this.unknownKey(`${path}.${name}`, field.key as Node, [
            'severity',
            'enabled',
          ]);
      }
      if (override.enabled === false && rule.category === 'scan') {
        this.issue(
          `${path}.enabled`,
          this.lineOf(value),
          'scan rules cannot be disabled: input that was not analysed never passes. Use ignore_paths for files that are not models, or an allow entry with owner, justification and expiry',
        );
      }
      rules[id] = override;
    }
    return rules;
  }

  private allow(node: Node | null): AllowEntry[] {
    const entries: AllowEntry[] = [];
    if (!isSeq(node)) {
      this.issue(
        'allow',
        this.lineOf(node),
        'expected a list of entries (each with owner, justification, expires and a matcher)',
      );
      return entries;
    }
    node.items.forEach((item, index) => {
      const path = `allow[${index}]`;
      const entryNode = this.resolve(item as Node | null);
      if (
        !this.expectMap(
          entryNode,
          path,
          'a mapping with owner, justification, expires and rule/path/symbol/package/fingerprint',
        )
      )
        return;
      const fields: Partial<Record<(typeof ALLOW_KEYS)[number], string>> = {};
      for (const pair of entryNode.items) {
        const name = this.keyOf(pair.key, path);
        if (name === undefined) continue;
        if (!(ALLOW_KEYS as readonly string[]).includes(name)) {
          this.unknownKey(`${path}.${name}`, pair.key as Node, ALLOW_KEYS);
          continue;
        }
        const valueNode = this.resolve(pair.value as Node | null);
        const value =
          name === 'fingerprint'
            ? this.hexString(valueNode, `${path}.${name}`)
            : this.string(valueNode, `${path}.${name}`);
        if (value !== undefined)
          fields[name as (typeof ALLOW_KEYS)[number]] = value;
      }
      const line = this.lineOf(entryNode);
      const before = this.issues.length;
      for (const required of ['owner', 'justification', 'expires'] as const) {
        if (!fields[required]?.trim())
          this.issue(
            `${path}.${required}`,
            line,
            'required: every exception has an owner, a justification and an expiry date',
          );
      }
      if (!ALLOW_MATCHERS.some(matcher => fields[matcher] !== undefined)) {
        this.issue(
          path,
          line,
          `needs at least one of ${ALLOW_MATCHERS.join(
            ', ',
          )}: an entry cannot allow everything`,
        );
      }
      if (
        fields.expires !== undefined &&
        parseExpiry(fields.expires) === undefined
      ) {
        this.issue(
          `${path}.expires`,
          line,
          `"${fields.expires}" is not an ISO date (YYYY-MM-DD) or timestamp`,
        );
      }
      if (fields.rule !== undefined && !findRule(fields.rule)) {
        this.issue(
          `${path}.rule`,
          line,
          `unknown rule ID "${fields.rule}"; \`mlgov rules\` lists them`,
        );
      }
      if (
        fields.fingerprint !== undefined &&
        !/^[0-9a-f]{16,64}$/.test(fields.fingerprint)
      ) {
        this.issue(
          `${path}.fingerprint`,
          line,
          'expected the hexadecimal fingerprint printed in reports',
        );
      }
      if (this.issues.length > before) return;
      entries.push({
        ...pickDefined(fields, ALLOW_MATCHERS),
        owner: fields.owner!.trim(),
        justification: fields.justification!.trim(),
        expires: fields.expires!,
        line,
      });
    });
    return entries;
  }

  private limits(node: Node | null): Partial<ScanLimits> {
    const limits: Partial<ScanLimits> = {};
    const names = Object.keys(DEFAULT_LIMITS) as (keyof ScanLimits)[];
    if (
      !this.expectMap(
        node,
        'limits',
        `a mapping of limit name (${names.join(', ')}) to a number`,
      )
    )
      return limits;
    for (const pair of node.items) {
      const name = this.keyOf(pair.key, 'limits');
      if (name === undefined) continue;
      if (!(names as string[]).includes(name)) {
        this.unknownKey(`limits.${name}`, pair.key as Node, names);
        continue;
      }
      const value = this.resolve(pair.value as Node | null);
      const number = isScalar(value) ? value.value : undefined;
      if (
        typeof number !== 'number' ||
        !Number.isFinite(number) ||
        number <= 0 ||
        (name !== 'maxCompressionRatio' && !Number.isInteger(number))
      ) {
        this.issue(
          `limits.${name}`,
          this.lineOf(value ?? (pair.key as Node)),
          `expected a positive ${
            name === 'maxCompressionRatio' ? 'number' : 'integer'
          }`,
        );
        continue;
      }
      limits[name as keyof ScanLimits] = number;
    }
    return limits;
  }

  private pinnedHashes(node: Node | null): Record<string, string> {
    const pins: Record<string, string> = {};
    if (
      !this.expectMap(
        node,
        'pinned_hashes',
        'a mapping of path to SHA-256 hex digest',
      )
    )
      return pins;
    for (const pair of node.items) {
      const path = this.keyOf(pair.key, 'pinned_hashes');
      if (path === undefined) continue;
      const digest = this.hexString(
        this.resolve(pair.value as Node | null),
        `pinned_hashes.${path}`,
      );
      if (digest === undefined) continue;
      const normalised = digest.toLowerCase().replace(/^sha256:/, '');
      if (!/^[0-9a-f]{64}$/.test(normalised)) {
        this.issue(
          `pinned_hashes.${path}`,
          this.lineOf(pair.value as Node),
          'expected a SHA-256 digest: 64 hexadecimal characters',
        );
        continue;
      }
      pins[path] = normalised;
    }
    return pins;
  }

  // ── scalar helpers ─────────────────────────────────────────────────────────

  private severity(node: Node | null, key: string): Severity | undefined {
    const value = this.string(node, key);
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if ((SEVERITIES as readonly string[]).includes(lower))
      return lower as Severity;
    this.issue(
      key,
      this.lineOf(node),
      `"${value}" is not a severity; expected one of ${SEVERITIES.join(', ')}`,
    );
    return undefined;
  }

  /** Hex digests and fingerprints: an all-digit one (or `12e45…`) parses as a YAML number, so read the text as written. */
  private hexString(node: Node | null, key: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'number' && node.source) {
      return node.source;
    }
    return this.string(node, key);
  }

  private boolean(node: Node | null, key: string): boolean | undefined {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.issue(key, this.lineOf(node), 'expected true or false');
    return undefined;
  }

  private string(node: Node | null, key: string): string | undefined {
    if (
      isScalar(node) &&
      typeof node.value === 'string' &&
      node.value.length > 0
    )
      return node.value;
    this.issue(key, this.lineOf(node), 'expected a non-empty string');
    return undefined;
  }

  private stringList(node: Node | null, key: string): string[] {
    if (!isSeq(node)) {
      this.issue(key, this.lineOf(node), 'expected a list of strings');
      return [];
    }
    return node.items.flatMap(
      (item, index) =>
        this.string(this.resolve(item as Node | null), `${key}[${index}]`) ??
        [],
    );
  }

  private keyOf(node: unknown, parent: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.issue(parent, this.lineOf(node as Node), 'keys must be strings');
    return undefined;
  }

  private expectMap(
    node: Node | null,
    key: string,
    expected: string,
  ): node is YAMLMap {
    if (isMap(node)) return true;
    this.issue(key, this.lineOf(node), `expected ${expected}`);
    return false;
  }

  private unknownKey(key: string, node: Node, known: readonly string[]): void {
    const name = key.split('.').pop() ?? key;
    const hint = DID_YOU_MEAN[name]
      ? `did you mean "${DID_YOU_MEAN[name]}"?`
      : `known keys: ${known.join(', ')}`;
    this.issue(key, this.lineOf(node), `unknown key; ${hint}`);
  }

  private resolve(node: Node | null | undefined): Node | null {
    if (isAlias(node))
      return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node ?? null;
  }

  private lineOf(node: Node | null | undefined): number | undefined {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }
}

function pickDefined<K extends string>(
  fields: Partial<Record<string, string>>,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const picked: Partial<Record<K, string>> = {};
  for (const key of keys)
    if (fields[key] !== undefined) picked[key] = fields[key];
  return picked;
}

/**
 * Parses and strictly validates a policy file (format `mlgov/v1`). Unknown keys, unknown rule IDs,
 * wrong types and incomplete allow entries are errors, all reported at once with their line.
 * `source` names the file in messages.
 */
export function parsePolicy(text: string, source = 'policy.yaml'): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    logLevel: 'error',
    prettyErrors: false,
    uniqueKeys: true,
  });
  const reader = new PolicyReader(doc, lineCounter);
  for (const error of doc.errors) {
    reader.issue(
      '',
      lineCounter.linePos(error.pos[0]).line,
      error.message.split('\n')[0],
    );
  }
  if (doc.errors.length > 0) throw new PolicyError(source, reader.issues);

  const policy = reader.read();
  if (reader.issues.length > 0) throw new PolicyError(source, reader.issues);
  return policy;
}
