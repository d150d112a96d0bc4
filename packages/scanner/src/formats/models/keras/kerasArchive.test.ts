import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scanner } from '../../../engine/Scanner';
import { ARCHIVE_READERS } from '../../archive';
import { MODEL_FORMAT_READERS } from '../index';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '..', '__fixtures__', name));
const scan = (name: string) =>
  new Scanner({
    readers: [...ARCHIVE_READERS, ...MODEL_FORMAT_READERS],
  }).scanBytes(fixture(name), name);

/** End to end through the zip reader: `.keras` archives hand `config.json` to the Keras config reader. */
describe('.keras archives', () => {
  it('passes dense.keras (corpus)', async () => {
    const result = await scan('dense.keras');
    expect(
      result.findings.filter(
        f => f.severity === 'critical' || f.severity === 'high',
      ),
    ).toEqual([]);
    expect(result.files[0].formats).toContain('keras-config');
  });

  it('blocks lambda.keras (corpus) with the Lambda finding on the config.json member', async () => {
    const result = await scan('lambda.keras');
    const lambda = result.findings.find(f => f.ruleId === 'MODEL-KERAS-LAMBDA');
    expect(lambda).toMatchObject({
      severity: 'critical',
      location: { path: 'lambda.keras', entry: ['config.json'] },
    });
  });
});
