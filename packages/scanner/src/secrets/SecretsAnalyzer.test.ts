import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScanner } from '../createScanner';
import { DEFAULT_POLICY } from '../policy/defaults';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import { jsonReport } from '../report/jsonReport';
import { sarifReport } from '../report/sarifReport';

const HF = ['hf_', 'Zq8Lp3Xv7Nw2Ty5Mb9Kc4Hd6Jf1Rs0Ue2Wa'].join('');
const AWS_ID = ['AKIA', 'Q3EGRTY5', 'ZXCVBNM7'].join('');

describe('secrets analyzer', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mlgov-secrets-'));
    await mkdir(join(root, 'configs'));
    await mkdir(join(root, '.venv/lib/python3.11/site-packages/pkg'), {
      recursive: true,
    });
    await writeFile(
      join(root, 'configs/train.yaml'),
      `model: gpt2\nhub_token: ${HF}\n`,
    );
    await writeFile(join(root, '.env'), `AWS_ACCESS_KEY_ID=${AWS_ID}\n`);
    await writeFile(
      join(root, 'README.md'),
      '# Model\nSet `HF_TOKEN` in the environment, e.g. `hf_xxx`.\n',
    );
    await writeFile(
      join(root, '.venv/lib/python3.11/site-packages/pkg/test_keys.py'),
      `K = "${HF}"\n`,
    );
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('blocks credentials in configs and .env files, not in installed packages or docs', async () => {
    const result = await createScanner().scanPath(root);
    const secrets = result.findings.filter(f => f.ruleId.startsWith('SECRET-'));
    expect(
      secrets.map(f => [
        f.ruleId,
        f.location.path,
        f.location.line,
        f.evidence.redacted,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['SECRET-CLOUD-CREDENTIAL', '.env', 1, 'AKIA****'],
        ['SECRET-API-TOKEN', 'configs/train.yaml', 2, 'hf_Z****'],
      ]),
    );
    expect(secrets).toHaveLength(2);
    const evaluation = evaluatePolicy(result, DEFAULT_POLICY, {
      now: new Date(),
    });
    expect(evaluation.decision).toBe('BLOCK');

    // The secret itself appears nowhere in what the scanner writes.
    for (const output of [
      JSON.stringify(result),
      jsonReport(result, evaluation),
      JSON.stringify(sarifReport(result, evaluation)),
    ]) {
      expect(output).not.toContain(HF);
      expect(output).not.toContain(AWS_ID);
      expect(output).not.toContain(HF.slice(4));
    }
  });
});
