import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { policyJsonSchema } from './policySchema';

const PUBLISHED = join(__dirname, '..', '..', 'schema', 'policy.schema.json');
const EXAMPLES = join(__dirname, 'examples');

describe('the published policy JSON Schema', () => {
  it('is the one generated from the schema parsePolicy validates with (MLGOV_WRITE_SCHEMA=1 rewrites it)', () => {
    const generated = policyJsonSchema();
    // Written as JSON, then formatted by prettier like every file: compared as data, not as text.
    if (process.env.MLGOV_WRITE_SCHEMA === '1')
      writeFileSync(PUBLISHED, `${JSON.stringify(generated, null, 2)}\n`);
    expect(JSON.parse(readFileSync(PUBLISHED, 'utf8'))).toEqual(generated);
  });

  it('accepts the shipped example policies and rejects what an editor should flag', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync(PUBLISHED, 'utf8')),
    );
    for (const name of readdirSync(EXAMPLES).filter(file =>
      file.endsWith('.yaml'),
    )) {
      const policy = parse(readFileSync(join(EXAMPLES, name), 'utf8'));
      expect([name, validate(policy) ? [] : validate.errors]).toEqual([
        name,
        [],
      ]);
    }
    const rejected = (policy: unknown) => {
      validate(policy);
      return (validate.errors ?? []).map(
        error => `${error.instancePath} ${error.keyword}`,
      );
    };
    expect(rejected({ apiVersion: 'mlgov/v1', licenses: {} })).toContain(
      ' additionalProperties',
    );
    expect(
      rejected({
        apiVersion: 'mlgov/v1',
        allow: [{ rule: 'SCAN-LIMIT', owner: 'me', expires: '2027-01-01' }],
      }),
    ).toContain('/allow/0 required');
    expect(
      rejected({ apiVersion: 'mlgov/v1', limits: { maxDepth: -1 } }),
    ).toContain('/limits/maxDepth exclusiveMinimum');
    expect(rejected({ fail_on: 'high' })).toContain(' required');
    expect(rejected({ apiVersion: 'mlgov/v1', fail_on: 'severe' })).toContain(
      '/fail_on enum',
    );
  });
});
