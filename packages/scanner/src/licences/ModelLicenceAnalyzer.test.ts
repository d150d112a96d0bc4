import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scanner } from '../engine/Scanner';
import { MODEL_FORMAT_READERS } from '../formats/models';
import { modelLicenceAnalyzer } from './ModelLicenceAnalyzer';

async function modelFolder(license?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlgov-model-licence-'));
  await mkdir(join(dir, 'ranker'));
  await writeFile(
    join(dir, 'ranker', 'README.md'),
    `---\n${
      license ? `license: ${license}\n` : ''
    }library_name: transformers\n---\n# Ranker\n`,
  );
  return dir;
}

function scannerWith(licencePolicy: unknown) {
  return new Scanner({
    readers: MODEL_FORMAT_READERS,
    analyzers: [modelLicenceAnalyzer],
    readerOptions: { licencePolicy },
  });
}

describe('model licences', () => {
  it('denies a model card licence the policy denies (cc-by-nc-4.0)', async () => {
    const result = await scannerWith({
      licences: { 'cc-by-nc-4.0': 'deny' },
    }).scanPath(await modelFolder('cc-by-nc-4.0'));
    const denied = result.findings.filter(f => f.ruleId === 'LICENCE-DENIED');
    expect(denied.map(f => [f.location.path, f.severity])).toEqual([
      ['ranker/README.md', 'high'],
    ]);
  });

  it('sends use-restricted model licences (OpenRAIL) to review by default', async () => {
    const result = await scannerWith(undefined).scanPath(
      await modelFolder('creativeml-openrail-m'),
    );
    expect(result.findings.map(f => f.ruleId)).toContain('LICENCE-REVIEW');
  });

  it('allows a permissive model licence', async () => {
    const result = await scannerWith({
      licences: { 'cc-by-nc-4.0': 'deny' },
    }).scanPath(await modelFolder('apache-2.0'));
    expect(
      result.findings.filter(f => f.ruleId.startsWith('LICENCE-')),
    ).toEqual([]);
  });

  it.each([
    [undefined, []],
    [{ fail_on_missing_license: true }, [['LICENCE-MISSING', 'high']]],
    [{ missing: 'review' }, [['LICENCE-MISSING', 'medium']]],
    [{ missing: 'allow' }, []],
  ])(
    'a model card without a licence under %j',
    async (licencePolicy, expected) => {
      const result = await scannerWith(licencePolicy).scanPath(
        await modelFolder(),
      );
      expect(
        result.findings
          .filter(f => f.ruleId.startsWith('LICENCE-'))
          .map(f => [f.ruleId, f.severity]),
      ).toEqual(expected);
    },
  );
});
