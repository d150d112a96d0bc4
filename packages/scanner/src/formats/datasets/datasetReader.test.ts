import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scanner } from '../../engine/Scanner';
import { datasetReader } from './reader';
import { analyseCell } from './analyseCell';
import { csvRecords, DATASET_LIMITS, jsonlCells } from './rows';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '__fixtures__', name));
const scan = (bytes: Uint8Array | string, name: string) =>
  new Scanner({ readers: [datasetReader] }).scanBytes(
    typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
    name,
  );
const summary = (
  findings: Array<{ ruleId: string; evidence: Record<string, unknown> }>,
) =>
  findings.map(f => [
    f.ruleId,
    f.evidence.signature,
    f.evidence.row,
    f.evidence.column,
  ]);

describe('dataset reader', () => {
  it.each(['reviews.csv', 'chat.jsonl'])(
    'passes real-looking data (%s) without findings',
    async name => {
      const result = await scan(fixture(name), name);
      expect(result.findings).toEqual([]);
    },
  );

  it('blocks a poisoned CSV for each specific cell, with row and column', async () => {
    const result = await scan(fixture('poisoned.csv'), 'train.csv');
    expect(result.files[0].formats).toEqual(['dataset', 'csv']);
    expect(summary(result.findings)).toEqual([
      ['DATA-ACTIVE-CONTENT', 'spreadsheet-formula', 2, 'text'],
      ['DATA-SUSPICIOUS-URL', 'ip-literal-host', 2, 'text'],
      ['DATA-ACTIVE-CONTENT', 'html-event-handler', 3, 'text'],
      ['DATA-PROMPT-INJECTION', 'ignore-instructions', 4, 'text'],
      ['DATA-SUSPICIOUS-URL', 'url-shortener', 5, 'text'],
    ]);
  });

  it('finds invisible tag characters, jailbreak personas and punycode hosts in JSON Lines', async () => {
    const result = await scan(fixture('poisoned.jsonl'), 'data.bin');
    expect(result.files[0].formats).toEqual(['dataset', 'jsonl']);
    expect(summary(result.findings)).toEqual([
      ['DATA-PROMPT-INJECTION', 'unicode-tag-characters', 2, 'prompt'],
      ['DATA-PROMPT-INJECTION', 'jailbreak-persona', 3, 'prompt'],
      ['DATA-SUSPICIOUS-URL', 'punycode-host', 4, 'completion'],
    ]);
  });

  it('leaves a Jinja template whose lines look like JSON objects to the config reader', () => {
    const template = '{# chat #}\n{{ bos_token }}\n{% if x %}y{% endif %}\n';
    expect(
      datasetReader.sniff(Buffer.from(template), 'CHAT', template.length),
    ).toBe(false);
    const lines = '{"a": 1}\n{"b": "x"}\n';
    expect(datasetReader.sniff(Buffer.from(lines), 'data', lines.length)).toBe(
      true,
    );
  });

  it('keeps fingerprints when rows move', async () => {
    const rows = ['id,text', '1,hello', '2,<script>alert(1)</script>'];
    const moved = [
      'id,text',
      '2,<script>alert(1)</script>',
      '1,hello',
      '3,world',
    ];
    const a = await scan(rows.join('\n'), 'a.csv');
    const b = await scan(moved.join('\n'), 'a.csv');
    expect(a.findings[0].evidence.row).not.toBe(b.findings[0].evidence.row);
    expect(a.findings[0].fingerprint).toBe(b.findings[0].fingerprint);
  });

  it('reports secrets in cells redacted', async () => {
    const token = ['hf_', 'Zq8Lp3Xv7Nw2Ty5Mb9Kc4Hd6Jf1Rs0Ue2Wa'].join('');
    const result = await scan(
      `{"text": "login with ${token}"}\n{"text": "ok"}\n`,
      'x.jsonl',
    );
    expect(summary(result.findings)).toEqual([
      ['SECRET-API-TOKEN', undefined, 1, 'text'],
    ]);
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('reports records that do not parse instead of skipping them silently', async () => {
    const result = await scan('{"a": "x"}\n{"a": \n{"b": "y"}\n', 'x.jsonl');
    expect(
      result.findings.map(f => [f.ruleId, f.evidence.malformedRows]),
    ).toEqual([['DATA-MALFORMED', 1]]);
  });

  it('does not take signed numbers, mentions or ordinary prose for attacks', () => {
    for (const value of [
      '-3.5',
      '+1 555 0100',
      '@alice thanks',
      'Please ignore the noise.',
      'system was slow',
    ])
      expect(analyseCell(value, true)).toEqual([]);
    expect(analyseCell('-SUM(A1:A2)', true).map(f => f.signature)).toEqual([
      'spreadsheet-formula',
    ]);
    expect(analyseCell('=1+1', false)).toEqual([]);
  });

  it('parses quoted CSV fields with delimiters, quotes and newlines', () => {
    expect([...csvRecords('a,"b,""c""\nd"\r\ne,f', ',')]).toEqual([
      ['a', 'b,"c"\nd'],
      ['e', 'f'],
    ]);
    expect([...csvRecords('a,b,\n,x\n', ',')]).toEqual([
      ['a', 'b', ''],
      ['', 'x'],
    ]);
    expect([...csvRecords('"unterminated,x', ',')]).toEqual([
      ['unterminated,x'],
    ]);
  });

  it('stops at the row limit', () => {
    const text = Array.from({ length: 10 }, (_, i) => `{"t": "${i}"}`).join(
      '\n',
    );
    const cells = [...jsonlCells(text, { ...DATASET_LIMITS, maxRows: 3 })];
    expect(cells.filter(cell => 'value' in cell)).toHaveLength(3);
  });

  it('samples large files: only the first bytes are read', async () => {
    const line = '{"t": "ok"}\n';
    const big = `${line.repeat(2000)}{"t": "<script>x</script>"}\n`;
    const result = await new Scanner({
      readers: [datasetReader],
      limits: { maxTextBytes: 4096 },
    }).scanBytes(Buffer.from(big), 'big.jsonl');
    expect(result.files[0].bytesRead).toBeLessThanOrEqual(8192);
    // The truncated last line of the sample is dropped, not reported as malformed; the sample says
    // how much it read (the 4 KiB sniffed by the engine, then the 4 KiB sample).
    expect(result.findings.map(f => [f.ruleId, f.evidence.bytesRead])).toEqual([
      ['DATA-SAMPLED', 8192],
    ]);
  });
});
