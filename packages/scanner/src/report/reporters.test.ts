import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Component } from '../model/component';
import type { Rule } from '../model/rule';
import { findRule } from '../rules/catalogue';
import { DEFAULT_POLICY } from '../policy/defaults';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import type { Policy } from '../policy/types';
import { NOW, finding, scanResult } from './__fixtures__/sample';
import { sarifReport } from './sarifReport';
import { cycloneDxReport } from './cyclonedxReport';
import { jsonReport } from './jsonReport';
import { textReport } from './textReport';

const VULN_RULE: Rule = {
  id: 'TEST-VULN',
  title: 'Dependency with a known vulnerability',
  category: 'vulnerability',
  severity: 'high',
  cwe: ['CWE-1395'],
  owaspLlm: ['LLM03:2025'],
  description: 'A test rule.',
  fix: 'Upgrade.',
  docsAnchor: 'test-vuln',
};
const lookup = (id: string) => (id === VULN_RULE.id ? VULN_RULE : findRule(id));

const components: Component[] = [
  {
    type: 'machine-learning-model',
    name: 'fraud-scorer',
    path: 'fraud/model.safetensors',
    license: 'Apache-2.0',
    hashes: [{ alg: 'SHA-256', content: 'ab'.repeat(32) }],
    properties: { format: 'safetensors' },
    modelCard: {
      baseModel: ['bert-base-uncased'],
      datasets: ['imdb'],
      task: 'text-classification',
      architecture: 'BertForSequenceClassification',
    },
  },
  {
    type: 'library',
    name: 'torch',
    version: '2.3.1',
    purl: 'pkg:pypi/torch@2.3.1',
    license: 'BSD-3-Clause',
    scope: 'direct',
    dependencyPath: ['app', 'torch'],
  },
  {
    type: 'library',
    name: 'numpy',
    version: '1.26.4',
    purl: 'pkg:pypi/numpy@1.26.4',
    license: 'BSD-3-Clause OR MIT',
    licenseGuessed: true,
    scope: 'transitive',
    dependencyPath: ['app', 'torch', 'numpy'],
  },
  {
    type: 'library',
    name: 'numpy',
    version: '1.26.4',
    purl: 'pkg:pypi/numpy@1.26.4',
    path: 'other/requirements.txt',
  },
  {
    type: 'machine-learning-model',
    name: 'llama',
    purl: 'pkg:huggingface/meta-llama/Llama-3.1-8B@abc123',
    license: 'LicenseRef-llama3.1',
  },
  {
    type: 'library',
    name: 'inhouse',
    version: '1.0',
    license: 'Proprietary, see LICENSE.txt',
  },
];

function sample(policy: Partial<Policy> = {}) {
  const findings = [
    finding('SCAN-ERROR', {
      location: { path: 'fraud/model.pkl', offset: 120 },
      message: 'pickle reader failed at opcode 0xff',
    }),
    finding('SCAN-LIMIT', {
      location: {
        path: 'fraud/model.pt',
        entry: ['archive/data.pkl'],
        offset: 64,
      },
      key: 'maxPickleOps',
    }),
    finding('SCAN-UNSUPPORTED', { location: { path: 'docs/my notes#1.bin' } }),
    {
      ...finding('SCAN-ERROR', {
        location: { path: 'requirements.txt', line: 3, column: 1 },
        evidence: {
          package: 'torch',
          version: '2.3.1',
          vulnId: 'GHSA-53q9-r3pm-6pq6',
        },
        key: 'v',
      }),
      ruleId: 'TEST-VULN',
      title: VULN_RULE.title,
      cwe: ['CWE-1395'],
    },
  ];
  const result = scanResult(findings, components);
  const evaluation = evaluatePolicy(
    result,
    {
      ...structuredClone(DEFAULT_POLICY),
      allow: [
        {
          path: 'docs/**',
          owner: 'team-a',
          justification: 'not a model',
          expires: '2026-12-31',
        },
      ],
      ...policy,
    },
    { now: NOW },
  );
  return { result, evaluation };
}

describe('sarifReport', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(
    JSON.parse(
      readFileSync(
        join(__dirname, '__fixtures__', 'sarif-schema-2.1.0.json'),
        'utf8',
      ),
    ),
  );

  it('is valid SARIF 2.1.0 with everything GitHub code scanning reads', () => {
    const { result, evaluation } = sample();
    const log = sarifReport(result, evaluation, { pathPrefix: 'models' });
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    // The schema is strict enough to catch a malformed log.
    expect(
      validate({
        ...log,
        runs: [
          {
            ...log.runs[0],
            results: [{ ...log.runs[0].results![0], level: 'fatal' }],
          },
        ],
      }),
    ).toBe(false);

    const run = log.runs[0];
    const scanError = run.tool.driver.rules!.find(
      rule => rule.id === 'SCAN-ERROR',
    )!;
    expect(scanError).toMatchObject({
      name: 'ScanError',
      shortDescription: { text: 'Input could not be analysed' },
      helpUri: expect.stringMatching(/docs\/rules\.md#scan-error$/),
      defaultConfiguration: { level: 'error' },
      properties: {
        'security-severity': '8.0',
        tags: expect.arrayContaining(['security', 'external/cwe/cwe-20']),
      },
    });
    expect(scanError.help!.markdown).toContain('**Fix.**');
    expect(scanError.help!.text).toContain('Retest: mlgov scan <path>');

    const [pickle, member, suppressed, vuln] = [
      'fraud/model.pkl',
      'fraud/model.pt',
      'docs/my notes#1.bin',
      'requirements.txt',
    ].map(
      path =>
        run.results!.find(
          r =>
            r.properties!.evidence !== undefined &&
            r.locations![0].physicalLocation!.artifactLocation!.uri!.endsWith(
              encodeURIComponent(path.split('/').pop()!),
            ),
        )!,
    );
    expect(run.tool.driver.rules![pickle.ruleIndex!].id).toBe(pickle.ruleId);
    expect(pickle.locations![0].physicalLocation).toEqual({
      artifactLocation: {
        uri: 'models/fraud/model.pkl',
        uriBaseId: '%SRCROOT%',
      },
      region: { byteOffset: 120 },
    });
    expect(pickle.partialFingerprints).toEqual({
      'mlgovFingerprint/v1': evaluation.findings[0].fingerprint,
      primaryLocationLineHash: `${evaluation.findings[0].fingerprint}:1`,
    });
    // An archive member is named in a logical location and the message, never as a region of the outer file.
    expect(member.locations![0].physicalLocation!.region).toBeUndefined();
    expect(member.locations![0].logicalLocations).toEqual([
      {
        name: 'archive/data.pkl',
        fullyQualifiedName: 'fraud/model.pt!/archive/data.pkl',
        kind: 'archiveMember',
      },
    ]);
    expect(member.message.text).toContain(
      '[in fraud/model.pt › archive/data.pkl @64]',
    );
    expect(
      suppressed.locations![0].physicalLocation!.artifactLocation!.uri,
    ).toBe('models/docs/my%20notes%231.bin');
    expect(suppressed.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification:
          'Allowed by policy (owner team-a, until 2026-12-31): not a model',
      },
    ]);
    expect(vuln.locations![0].physicalLocation!.region).toEqual({
      startLine: 3,
      startColumn: 1,
    });
    // A rule the catalogue does not know still gets a descriptor, so ruleIndex is always valid.
    expect(run.tool.driver.rules![vuln.ruleIndex!].id).toBe('TEST-VULN');
  });

  it('property: any file or member name still gives valid SARIF (URIs are encoded)', () => {
    const segment = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter(s => !s.includes('/'));
    expect(() =>
      fc.assert(
        fc.property(
          fc.array(segment, { minLength: 1, maxLength: 4 }),
          fc.array(segment, { maxLength: 2 }),
          fc.string(),
          (parts, entry, message) => {
            const f = finding('SCAN-LIMIT', {
              location: { path: parts.join('/'), entry, line: 1 },
              message,
            });
            const result = scanResult([f]);
            const log = sarifReport(
              result,
              evaluatePolicy(result, DEFAULT_POLICY, { now: NOW }),
              { pathPrefix: 'a b', rules: [] },
            );
            return validate(log) === true;
          },
        ),
        { numRuns: 150 },
      ),
    ).not.toThrow();
  });

  it('keeps the most severe results under the run limit and says so', () => {
    const { result, evaluation } = sample();
    const log = sarifReport(result, evaluation, { maxResults: 2 });
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results!.map(r => r.level)).toEqual(['error', 'error']);
    expect(
      log.runs[0].invocations![0].toolExecutionNotifications!.map(
        n => n.message.text,
      ),
    ).toContainEqual(
      expect.stringContaining('4 findings exceed the 2-result limit'),
    );
  });
});

describe('cycloneDxReport', () => {
  // The library's own strict validator (CycloneDX 1.6 schema with SPDX, JSF and format checks).
  const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
  const errorsOf = async (bom: unknown) =>
    await validator.validate(JSON.stringify(bom));

  it('is a valid CycloneDX 1.6 ML-BOM with models, libraries, dependencies and vulnerabilities', async () => {
    const { result, evaluation } = sample();
    const bom = cycloneDxReport(result, evaluation, {
      findRule: lookup,
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    });
    // Valid including the modelCard added after serialisation.
    expect(await errorsOf(bom)).toBeNull();
    expect(
      await errorsOf({
        ...bom,
        components: [
          {
            ...bom.components[0],
            licenses: [{ license: { id: 'Not-An-SPDX-Id' } }],
          },
        ],
      }),
    ).not.toBeNull();
    expect(
      await errorsOf({
        ...bom,
        components: bom.components.map(c =>
          c.modelCard
            ? { ...c, modelCard: { modelParameters: { task: 7 } } }
            : c,
        ),
      }),
    ).not.toBeNull();

    expect(bom).toMatchObject({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
    });
    const byRef = new Map(bom.components.map(c => [c['bom-ref'], c]));
    expect(byRef.size).toBe(5); // the duplicate numpy is merged by purl
    expect(byRef.get('pkg:pypi/torch@2.3.1')).toMatchObject({
      type: 'library',
      purl: 'pkg:pypi/torch@2.3.1',
      licenses: [
        { license: { id: 'BSD-3-Clause', acknowledgement: 'declared' } },
      ],
    });
    expect(byRef.get('pkg:pypi/numpy@1.26.4')).toMatchObject({
      licenses: [
        { expression: 'BSD-3-Clause OR MIT', acknowledgement: 'concluded' },
      ],
    });
    expect(
      byRef.get('pkg:huggingface/meta-llama/Llama-3.1-8B@abc123'),
    ).toMatchObject({ licenses: [{ expression: 'LicenseRef-llama3.1' }] });
    const model = [...byRef.values()].find(c => c.name === 'fraud-scorer')!;
    expect(model).toMatchObject({
      type: 'machine-learning-model',
      hashes: [{ alg: 'SHA-256', content: 'ab'.repeat(32) }],
      modelCard: {
        modelParameters: {
          task: 'text-classification',
          modelArchitecture: 'BertForSequenceClassification',
          datasets: [{ type: 'dataset', name: 'imdb' }],
        },
        properties: [{ name: 'mlgov:baseModel', value: 'bert-base-uncased' }],
      },
    });
    expect(bom.dependencies).toEqual(
      expect.arrayContaining([
        {
          ref: 'mlgov:scan-target',
          dependsOn: expect.arrayContaining([
            'pkg:pypi/torch@2.3.1',
            model['bom-ref'],
          ]),
        },
        { ref: 'pkg:pypi/torch@2.3.1', dependsOn: ['pkg:pypi/numpy@1.26.4'] },
      ]),
    );
    expect(bom.vulnerabilities).toEqual([
      expect.objectContaining({
        id: 'GHSA-53q9-r3pm-6pq6',
        source: {
          name: 'OSV',
          url: 'https://osv.dev/vulnerability/GHSA-53q9-r3pm-6pq6',
        },
        ratings: [{ severity: 'high', method: 'other' }],
        cwes: [1395],
        affects: [{ ref: 'pkg:pypi/torch@2.3.1' }],
      }),
    ]);
  });

  it('derives bom-refs from content so two BOMs of the same scan line up', () => {
    const { result, evaluation } = sample();
    const refs = (bom: ReturnType<typeof cycloneDxReport>) =>
      bom.components.map(c => c['bom-ref']);
    expect(refs(cycloneDxReport(result, evaluation))).toEqual(
      refs(cycloneDxReport(result, evaluation)),
    );
    expect(cycloneDxReport(result, evaluation).serialNumber).toMatch(
      /^urn:uuid:[0-9a-f-]{36}$/,
    );
  });
});

describe('jsonReport', () => {
  it('holds the decision, the evaluated findings and the inventory, in a fixed field order', () => {
    const { result, evaluation } = sample();
    const report = JSON.parse(jsonReport(result, evaluation));
    expect(Object.keys(report).slice(0, 6)).toEqual([
      'reportVersion',
      'tool',
      'target',
      'startedAt',
      'durationMs',
      'decision',
    ]);
    expect(report.decision).toBe('BLOCK');
    expect(report.findings[2]).toMatchObject({
      ruleId: 'SCAN-UNSUPPORTED',
      outcome: 'PASS',
      suppressed: { kind: 'allowlist' },
    });
    expect(report.components).toHaveLength(components.length);
    expect(jsonReport(result, evaluation)).toBe(
      jsonReport(structuredClone(result), structuredClone(evaluation)),
    );
  });
});

describe('textReport', () => {
  it('shows the decision, counts, and each finding with location, fix and retest, worst file first', () => {
    const { result, evaluation } = sample();
    const text = textReport(result, evaluation);
    expect(text).toContain('■ BLOCK  release blocked');
    expect(text).toContain(
      'Findings: 0 critical, 3 high, 0 medium, 0 low, 0 info (+ 1 suppressed by policy)',
    );
    expect(text).toContain('at fraud/model.pt › archive/data.pkl @64');
    expect(text).toContain('at requirements.txt:3:1');
    expect(text).toContain('retest: mlgov scan fraud/model.pkl');
    expect(text).toContain(
      'suppressed: allowed by policy until 2026-12-31 (owner team-a): not a model',
    );
    expect(text.indexOf('docs/my notes#1.bin\n')).toBeGreaterThan(
      text.indexOf('fraud/model.pkl\n'),
    );
    expect(text).not.toContain('\u001b[');
    expect(textReport(result, evaluation, { color: true })).toContain(
      '\u001b[',
    );
  });

  it('says PASS plainly for a clean scan', () => {
    const result = scanResult([]);
    const text = textReport(
      result,
      evaluatePolicy(result, DEFAULT_POLICY, { now: NOW }),
    );
    expect(text).toContain('■ PASS  nothing blocks this release');
  });
});
