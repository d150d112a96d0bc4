import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Enums, Models } from '@cyclonedx/cyclonedx-library';
import type { Component } from '../model/component';
import type { ScanResult } from '../model/finding';
import type { Rule } from '../model/rule';
import { findRule } from '../rules/catalogue';
import type { EvaluatedFinding, PolicyEvaluation } from '../policy/types';

/**
 * Options of {@link cycloneDxReport}.
 *
 * @public
 */
export interface CycloneDxOptions {
  /** `urn:uuid:...`; a fresh random one by default (every BOM is a new document). */
  serialNumber?: string;
  /** ISO timestamp of the BOM; defaults to the scan's end. */
  timestamp?: string;
  /** Looks rules up by ID (defaults to the built-in catalogue), to find `vulnerability` findings. */
  findRule?: (id: string) => Rule | undefined;
}

/**
 * CycloneDX 1.6 JSON as the library serialises it, plus the `modelCard`s its model lacks.
 *
 * @public
 */
export interface CycloneDxBom {
  $schema?: string;
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: number;
  metadata: Record<string, unknown>;
  components: Record<string, unknown>[];
  dependencies: { ref: string; dependsOn?: string[] }[];
  vulnerabilities?: Record<string, unknown>[];
}

const TARGET_REF = 'mlgov:scan-target';

let cdxModule: typeof import('@cyclonedx/cyclonedx-library') | undefined;
/**
 * The CycloneDX library (and the ajv schema stack it imports) loads when a BOM is written, not for
 * every scan.
 */
function cdxLib(): typeof import('@cyclonedx/cyclonedx-library') {
  return (cdxModule ??= require('@cyclonedx/cyclonedx-library'));
}
function isSupportedSpdxId(id: string): boolean {
  return cdxLib().SPDX.isSupportedSpdxId(id);
}

const componentTypes = (): Record<Component['type'], Enums.ComponentType> => {
  const { Enums } = cdxLib();
  return {
    'machine-learning-model': Enums.ComponentType.MachineLearningModel,
    library: Enums.ComponentType.Library,
    file: Enums.ComponentType.File,
    data: Enums.ComponentType.Data,
  };
};

/**
 * A CycloneDX 1.6 ML-BOM: the models, libraries and files a scan found (with purls, licences, hashes
 * and model cards), the dependency graph from their dependency paths, and findings of
 * `vulnerability` rules as `vulnerabilities` (with the policy's acceptance shown as analysis).
 * bom-refs derive from purls (or type, path and name), so two BOMs of the same tree line up.
 *
 * Built with `@cyclonedx/cyclonedx-library`'s model and JSON serialiser; the library has no model
 * card, so `modelCard` is added to the serialised components by bom-ref.
 *
 * @public
 */
export function cycloneDxReport(
  result: ScanResult,
  evaluation: PolicyEvaluation,
  options: CycloneDxOptions = {},
): CycloneDxBom {
  const { Enums, Models, Serialize, Spec } = cdxLib();
  const lookup = options.findRule ?? findRule;
  const target = new Models.Component(
    Enums.ComponentType.Application,
    basename(result.target) || result.target,
    { bomRef: TARGET_REF },
  );
  const bom = new Models.Bom({
    serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: new Models.Metadata({
      timestamp: new Date(
        options.timestamp ?? Date.parse(result.startedAt) + result.durationMs,
      ),
      component: target,
      properties: new Models.PropertyRepository([
        new Models.Property('mlgov:decision', evaluation.decision),
        new Models.Property('mlgov:failOn', evaluation.failOn),
        new Models.Property('mlgov:ticketOn', evaluation.ticketOn),
      ]),
    }),
  });
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, result.tool.name, {
      version: result.tool.version,
    }),
  );

  const components = new Map<string, Models.Component>();
  const modelCards = new Map<string, Record<string, unknown>>();
  const refsByName = new Map<string, Models.Component>();
  for (const component of result.components) {
    const ref = bomRefOf(component);
    if (components.has(ref)) continue;
    const cdx = toCdxComponent(component, ref);
    components.set(ref, cdx);
    bom.components.add(cdx);
    if (component.type === 'machine-learning-model' && component.modelCard)
      modelCards.set(ref, modelCardOf(component.modelCard));
    if (!refsByName.has(normaliseName(component.name)))
      refsByName.set(normaliseName(component.name), cdx);
  }

  const edge = (from: Models.Component, to: Models.Component) => {
    if (from !== to) from.dependencies.add(to.bomRef);
  };
  for (const component of result.components) {
    const own = components.get(bomRefOf(component))!;
    const path = component.dependencyPath ?? [];
    if (path.length < 2) {
      if (
        component.scope === 'direct' ||
        component.type === 'machine-learning-model'
      )
        edge(target, own);
      continue;
    }
    // The first element names the project itself; later ones are packages we know by name.
    const chain = [
      target,
      ...path.slice(1).map(name => refsByName.get(normaliseName(name))),
    ];
    chain[chain.length - 1] ??= own;
    for (let i = 0; i + 1 < chain.length; i++) {
      const from = chain[i];
      const to = chain[i + 1];
      if (from && to) edge(from, to);
    }
  }

  for (const finding of evaluation.findings) {
    if (lookup(finding.ruleId)?.category !== 'vulnerability') continue;
    bom.vulnerabilities.add(toCdxVulnerability(finding, refsByName, target));
  }

  const serializer = new Serialize.JsonSerializer(
    new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6),
  );
  const json = JSON.parse(
    serializer.serialize(bom, { sortLists: true }),
  ) as CycloneDxBom;
  json.components ??= [];
  for (const component of json.components) {
    const card = modelCards.get(component['bom-ref'] as string);
    if (card) component.modelCard = card;
  }
  // The scan target first, then by ref, so the output is stable and starts at the root.
  json.dependencies = (json.dependencies ?? []).sort(
    (a, b) =>
      Number(b.ref === TARGET_REF) - Number(a.ref === TARGET_REF) ||
      a.ref.localeCompare(b.ref),
  );
  return json;
}

function bomRefOf(component: Component): string {
  if (component.purl) return component.purl;
  return `mlgov:${component.type}/${component.path ?? ''}#${component.name}${
    component.version ? `@${component.version}` : ''
  }`;
}

function toCdxComponent(component: Component, ref: string): Models.Component {
  const { Enums, Models } = cdxLib();
  const properties = [
    ...Object.entries(component.properties ?? {}).map(
      ([name, value]) => new Models.Property(`mlgov:${name}`, value),
    ),
    ...(component.path
      ? [new Models.Property('mlgov:path', component.path)]
      : []),
    ...(component.scope
      ? [new Models.Property('mlgov:dependencyScope', component.scope)]
      : []),
    ...(component.dependencyPath
      ? [
          new Models.Property(
            'mlgov:dependencyPath',
            component.dependencyPath.join(' > '),
          ),
        ]
      : []),
  ];
  const cdx = new Models.Component(
    componentTypes()[component.type],
    component.name,
    {
      bomRef: ref,
      version: component.version,
      purl: component.purl,
      properties: new Models.PropertyRepository(properties),
    },
  );
  if (component.license) {
    cdx.licenses.add(
      licenceOf(component.license, component.licenseGuessed === true),
    );
  }
  for (const hash of component.hashes ?? []) {
    cdx.hashes.set(Enums.HashAlgorithm[hash.alg], hash.content);
  }
  return cdx;
}

/** One SPDX ID → `license.id`; an expression or `LicenseRef-` → `expression`; free text → `license.name`. */
function licenceOf(licence: string, guessed: boolean): Models.License {
  const { Enums, Models } = cdxLib();
  const acknowledgement = guessed
    ? Enums.LicenseAcknowledgement.Concluded
    : Enums.LicenseAcknowledgement.Declared;
  if (isSupportedSpdxId(licence))
    return new Models.SpdxLicense(licence, { acknowledgement });
  if (/^(LicenseRef-[\w.-]+|.+\s(AND|OR|WITH)\s.+)$/.test(licence)) {
    const expression = new Models.LicenseExpression(licence);
    expression.acknowledgement = acknowledgement;
    return expression;
  }
  return new Models.NamedLicense(licence, { acknowledgement });
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
  refsByName: Map<string, Models.Component>,
  target: Models.Component,
): Models.Vulnerability.Vulnerability {
  const { Enums, Models } = cdxLib();
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
  const vulnerability = new Models.Vulnerability.Vulnerability({
    bomRef: `mlgov:vulnerability/${finding.fingerprint}`,
    id,
    source:
      /^(GHSA|PYSEC|MAL|OSV)-/.test(id) || /^CVE-/.test(id)
        ? new Models.Vulnerability.Source({
            name: 'OSV',
            url: `https://osv.dev/vulnerability/${id}`,
          })
        : undefined,
    description: finding.message,
    recommendation: finding.fix,
    analysis: accepted
      ? new Models.Vulnerability.Analysis({
          state: Enums.Vulnerability.AnalysisState.Exploitable,
          response: new Enums.Vulnerability.AnalysisResponseRepository([
            Enums.Vulnerability.AnalysisResponse.WillNotFix,
          ]),
          detail: exceptionText(finding),
        })
      : undefined,
    properties: new Models.PropertyRepository([
      new Models.Property('mlgov:fingerprint', finding.fingerprint),
    ]),
  });
  vulnerability.ratings.add(
    new Models.Vulnerability.Rating({
      severity: finding.severity as Enums.Vulnerability.Severity,
      method: Enums.Vulnerability.RatingMethod.Other,
    }),
  );
  for (const cwe of finding.cwe) {
    const number = Number(cwe.replace(/^CWE-/i, ''));
    if (Number.isInteger(number) && number > 0) vulnerability.cwes.add(number);
  }
  vulnerability.affects.add(
    new Models.Vulnerability.Affect((affected ?? target).bomRef),
  );
  return vulnerability;
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
