import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { isSupportedSpdxId } from '@cyclonedx/cyclonedx-library/SPDX';
import type { Component } from '../model/component';
import type { ScanResult } from '../model/finding';
import type { Rule } from '../model/rule';
import { findRule } from '../rules/catalogue';
import type { EvaluatedFinding, PolicyEvaluation } from '../policy/types';

export interface CycloneDxOptions {
  /** `urn:uuid:...`; a fresh random one by default (every BOM is a new document). */
  serialNumber?: string;
  /** ISO timestamp of the BOM; defaults to the scan's end. */
  timestamp?: string;
  /** Looks rules up by ID (defaults to the built-in catalogue), to find `vulnerability` findings. */
  findRule?: (id: string) => Rule | undefined;
}

/** The subset of CycloneDX 1.6 JSON this reporter writes (plain objects: the library's model has no modelCard). */
export interface CycloneDxBom {
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: number;
  metadata: Record<string, unknown>;
  components: Record<string, unknown>[];
  dependencies: { ref: string; dependsOn: string[] }[];
  vulnerabilities?: Record<string, unknown>[];
}

const TARGET_REF = 'mlgov:scan-target';

/**
 * A CycloneDX 1.6 ML-BOM: the models, libraries and files a scan found (with purls, licences, hashes
 * and model cards), the dependency graph from their dependency paths, and findings of
 * `vulnerability` rules as `vulnerabilities` (with the policy's acceptance shown as analysis).
 * bom-refs derive from purls (or type, path and name), so two BOMs of the same tree line up.
 */
export function cycloneDxReport(
  result: ScanResult,
  evaluation: PolicyEvaluation,
  options: CycloneDxOptions = {},
): CycloneDxBom {
  const lookup = options.findRule ?? findRule;
  const components = new Map<string, Record<string, unknown>>();
  const refsByName = new Map<string, string>();
  for (const component of result.components) {
    const ref = bomRefOf(component);
    if (components.has(ref)) continue;
    components.set(ref, toCdxComponent(component, ref));
    if (!refsByName.has(normaliseName(component.name)))
      refsByName.set(normaliseName(component.name), ref);
  }

  const dependsOn = new Map<string, Set<string>>([[TARGET_REF, new Set()]]);
  const edge = (from: string, to: string) => {
    if (from === to) return;
    if (!dependsOn.has(from)) dependsOn.set(from, new Set());
    dependsOn.get(from)!.add(to);
  };
  for (const component of result.components) {
    const ref = bomRefOf(component);
    const path = component.dependencyPath ?? [];
    if (path.length < 2) {
      if (
        component.scope === 'direct' ||
        component.type === 'machine-learning-model'
      )
        edge(TARGET_REF, ref);
      continue;
    }
    // The first element names the project itself; later ones are packages we know by name.
    const refs = [
      TARGET_REF,
      ...path.slice(1).map(name => refsByName.get(normaliseName(name))),
    ];
    refs[refs.length - 1] ??= ref;
    for (let i = 0; i + 1 < refs.length; i++) {
      const from = refs[i];
      const to = refs[i + 1];
      if (from && to) edge(from, to);
    }
  }

  const timestamp =
    options.timestamp ??
    new Date(Date.parse(result.startedAt) + result.durationMs).toISOString();
  const vulnerabilities = evaluation.findings
    .filter(finding => lookup(finding.ruleId)?.category === 'vulnerability')
    .map(finding => toCdxVulnerability(finding, refsByName));

  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp,
      tools: {
        components: [
          {
            type: 'application',
            name: result.tool.name,
            version: result.tool.version,
          },
        ],
      },
      component: {
        type: 'application',
        'bom-ref': TARGET_REF,
        name: basename(result.target) || result.target,
      },
      properties: [
        { name: 'mlgov:decision', value: evaluation.decision },
        { name: 'mlgov:failOn', value: evaluation.failOn },
        { name: 'mlgov:ticketOn', value: evaluation.ticketOn },
      ],
    },
    components: [...components.values()],
    dependencies: [...dependsOn.entries()]
      .map(([ref, targets]) => ({ ref, dependsOn: [...targets].sort() }))
      // The scan target first, then by ref, so the output is stable.
      .sort(
        (a, b) =>
          Number(b.ref === TARGET_REF) - Number(a.ref === TARGET_REF) ||
          a.ref.localeCompare(b.ref),
      ),
    ...(vulnerabilities.length > 0 ? { vulnerabilities } : {}),
  };
}

function bomRefOf(component: Component): string {
  if (component.purl) return component.purl;
  return `mlgov:${component.type}/${component.path ?? ''}#${component.name}${
    component.version ? `@${component.version}` : ''
  }`;
}

function toCdxComponent(
  component: Component,
  ref: string,
): Record<string, unknown> {
  const properties = [
    ...Object.entries(component.properties ?? {}).map(([name, value]) => ({
      name: `mlgov:${name}`,
      value,
    })),
    ...(component.path ? [{ name: 'mlgov:path', value: component.path }] : []),
    ...(component.scope
      ? [{ name: 'mlgov:dependencyScope', value: component.scope }]
      : []),
    ...(component.dependencyPath
      ? [
          {
            name: 'mlgov:dependencyPath',
            value: component.dependencyPath.join(' > '),
          },
        ]
      : []),
  ];
  return {
    type: component.type,
    'bom-ref': ref,
    name: component.name,
    ...(component.version ? { version: component.version } : {}),
    ...(component.purl ? { purl: component.purl } : {}),
    ...(component.license
      ? {
          licenses: licencesOf(
            component.license,
            component.licenseGuessed === true,
          ),
        }
      : {}),
    ...(component.hashes?.length
      ? {
          hashes: component.hashes.map(hash => ({
            alg: hash.alg,
            content: hash.content,
          })),
        }
      : {}),
    ...(component.type === 'machine-learning-model' && component.modelCard
      ? { modelCard: modelCardOf(component.modelCard) }
      : {}),
    ...(properties.length ? { properties } : {}),
  };
}

/** One SPDX ID → `license.id`; an expression or `LicenseRef-` → `expression`; free text → `license.name`. */
function licencesOf(licence: string, guessed: boolean): unknown[] {
  const acknowledgement = guessed ? 'concluded' : 'declared';
  if (isSupportedSpdxId(licence))
    return [{ license: { id: licence, acknowledgement } }];
  if (/^(LicenseRef-[\w.-]+|.+\s(AND|OR|WITH)\s.+)$/.test(licence))
    return [{ expression: licence, acknowledgement }];
  return [{ license: { name: licence, acknowledgement } }];
}

function modelCardOf(
  card: NonNullable<Component['modelCard']>,
): Record<string, unknown> {
  const parameters = {
    ...(card.task ? { task: card.task } : {}),
    ...(card.architecture ? { modelArchitecture: card.architecture } : {}),
    ...(card.datasets?.length
      ? { datasets: card.datasets.map(name => ({ type: 'dataset', name })) }
      : {}),
  };
  const properties = (card.baseModel ?? []).map(value => ({
    name: 'mlgov:baseModel',
    value,
  }));
  return {
    ...(Object.keys(parameters).length ? { modelParameters: parameters } : {}),
    ...(properties.length ? { properties } : {}),
  };
}

function toCdxVulnerability(
  finding: EvaluatedFinding,
  refsByName: Map<string, string>,
): Record<string, unknown> {
  const evidence = finding.evidence;
  const id =
    firstString(
      evidence.vulnId,
      evidence.osvId,
      evidence.advisory,
      evidence.id,
    ) ?? finding.ruleId;
  const affected = evidence.package
    ? refsByName.get(normaliseName(evidence.package))
    : undefined;
  const accepted = finding.suppressed || finding.acceptedBy;
  const cwes = finding.cwe
    .map(cwe => Number(cwe.replace(/^CWE-/i, '')))
    .filter(Number.isInteger);
  return {
    'bom-ref': `mlgov:vulnerability/${finding.fingerprint}`,
    id,
    ...(/^(GHSA|PYSEC|MAL|OSV)-/.test(id) || /^CVE-/.test(id)
      ? { source: { name: 'OSV', url: `https://osv.dev/vulnerability/${id}` } }
      : {}),
    ratings: [{ severity: finding.severity, method: 'other' }],
    ...(cwes.length ? { cwes } : {}),
    description: finding.message,
    recommendation: finding.fix,
    affects: [{ ref: affected ?? TARGET_REF }],
    ...(accepted
      ? {
          analysis: {
            state: 'exploitable',
            response: ['will_not_fix'],
            detail: exceptionText(finding),
          },
        }
      : {}),
    properties: [{ name: 'mlgov:fingerprint', value: finding.fingerprint }],
  };
}

function exceptionText(finding: EvaluatedFinding): string {
  if (finding.acceptedBy)
    return `Risk accepted (${finding.acceptedBy.id}) until ${finding.acceptedBy.expiresAt}`;
  if (finding.suppressed?.kind === 'allowlist') {
    return `Allowed by policy until ${finding.suppressed.entry.expires}: ${finding.suppressed.entry.justification}`;
  }
  return 'Rule disabled by policy';
}

function firstString(...values: unknown[]): string | undefined {
  return values.find(
    (value): value is string => typeof value === 'string' && value.length > 0,
  );
}

/** PEP 503 normalisation, so `Scikit_Learn` in a path finds the `scikit-learn` component. */
function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
