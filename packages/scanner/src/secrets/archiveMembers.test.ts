import { gzipSync } from 'node:zlib';
import { createScanner } from '../createScanner';
import { Scanner } from '../engine/Scanner';
import { DEFAULT_READERS } from '../engine/defaults';
import { buildTar } from '../formats/archive/testing/tarWriter';
import { buildZip } from '../formats/archive/testing/zipWriter';
import { ARCHIVE_SECRET_LIMITS } from './archiveMembers';

// Assembled at run time so that no credential-shaped string sits in the repository.
const HF = ['hf_', 'Zq8Lp3Xv7Nw2Ty5Mb9Kc4Hd6Jf1Rs0Ue2Wa'].join('');
const AWS_ID = ['AKIA', 'Q3EGRTY5', 'ZXCVBNM7'].join('');

const secretsOf = (
  findings: Array<{
    ruleId: string;
    location: object;
    evidence: Record<string, unknown>;
  }>,
) =>
  findings
    .filter(f => f.ruleId.startsWith('SECRET-'))
    .map(f => [f.ruleId, f.location, f.evidence.redacted]);

describe('secrets inside archives', () => {
  it('finds credentials in zip members and in a tar.gz nested in the zip, with member path and line', async () => {
    const inner = gzipSync(
      buildTar([
        { name: 'app/.env', data: `# deploy\nAWS_ACCESS_KEY_ID=${AWS_ID}\n` },
        { name: 'app/README.md', data: 'Set HF_TOKEN, e.g. `hf_xxx`.\n' },
      ]),
    );
    const zip = buildZip({
      entries: [
        {
          name: 'configs/train.yaml',
          data: `model: gpt2\nhub_token: ${HF}\n`,
          method: 'deflate',
        },
        { name: 'bundle.tar.gz', data: inner },
        { name: 'weights.bin', data: `hub_token: ${HF}\n` },
      ],
    });
    const result = await createScanner().scanBytes(zip, 'model.zip');
    expect(secretsOf(result.findings)).toEqual([
      [
        'SECRET-API-TOKEN',
        {
          path: 'model.zip',
          entry: ['configs/train.yaml'],
          line: 2,
          column: 12,
        },
        'hf_Z****',
      ],
      [
        'SECRET-CLOUD-CREDENTIAL',
        {
          path: 'model.zip',
          entry: ['bundle.tar.gz', 'bundle.tar', 'app/.env'],
          line: 2,
          column: 19,
        },
        'AKIA****',
      ],
    ]);
    expect(JSON.stringify(result)).not.toContain(HF);
  });

  it('leaves archives alone when the secret search is off (a reader-only scanner)', async () => {
    const zip = buildZip({
      entries: [{ name: '.env', data: `K=${AWS_ID}\n` }],
    });
    const result = await new Scanner({
      readers: [...DEFAULT_READERS],
    }).scanBytes(zip, 'a.zip');
    expect(secretsOf(result.findings)).toEqual([]);
  });

  it('stops at the per-archive member budget and says so', async () => {
    const entries = Array.from(
      { length: ARCHIVE_SECRET_LIMITS.maxMembers + 2 },
      (_, i) => ({
        name: `c/${i}.txt`,
        data:
          i === ARCHIVE_SECRET_LIMITS.maxMembers + 1
            ? `K=${AWS_ID}\n`
            : 'nothing here\n',
      }),
    );
    const result = await createScanner().scanBytes(
      buildZip({ entries }),
      'many.zip',
    );
    expect(secretsOf(result.findings)).toEqual([]);
    expect(
      result.findings
        .filter(f => f.ruleId === 'SCAN-LIMIT')
        .map(f => f.evidence.limit),
    ).toEqual(['secrets.archive']);
  }, 60_000);
});
