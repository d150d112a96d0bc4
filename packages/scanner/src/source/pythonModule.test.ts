import fc from 'fast-check';
import { parsePython } from './pythonParser';
import { readPythonModule } from './pythonModule';
import { readSource } from './testing/sourceProject';

const symbols = async (source: string) =>
  (await readSource(source)).calls.map(call => call.symbol);

describe('readPythonModule', () => {
  it('resolves every import alias form to the fully qualified symbol', async () => {
    expect(await symbols('import pickle as pk\npk.loads(b)')).toEqual([
      'pickle.loads',
    ]);
    expect(await symbols('from torch import load as tload\ntload(f)')).toEqual([
      'torch.load',
    ]);
    expect(
      await symbols('import joblib, dill\njoblib.load(p)\ndill.loads(b)'),
    ).toEqual(['joblib.load', 'dill.loads']);
    expect(
      await symbols('from pickle import *\nloads(b)\nunrelated(b)'),
    ).toEqual(['pickle.loads', undefined]);
    expect(await symbols('import torch\ntorch.serialization.load(f)')).toEqual([
      'torch.serialization.load',
    ]);
    expect(
      await symbols('import tensorflow as tf\ntf.saved_model.load(p)'),
    ).toEqual(['tensorflow.saved_model.load']);
    expect(await symbols('import os.path\nos.path.join(a)')).toEqual([
      'os.path.join',
    ]);
  });

  it('follows assignments, __import__, import_module and constant getattr', async () => {
    expect(
      await symbols('import pickle\nloader = pickle.loads\nloader(b)'),
    ).toEqual(['pickle.loads']);
    const viaImport = await readSource(
      "pk = __import__('pickle')\npk.loads(b)",
    );
    expect(viaImport.calls.map(call => call.symbol)).toEqual([
      '__import__',
      'pickle.loads',
    ]);
    expect(viaImport.imports).toEqual([
      expect.objectContaining({ module: 'pickle', dynamic: true, line: 1 }),
    ]);
    expect(
      await symbols(
        "import importlib\nm = importlib.import_module('dill')\nm.load(f)",
      ),
    ).toEqual(['importlib.import_module', 'dill.load']);
    expect(await symbols("import pickle\ngetattr(pickle, 'loads')(b)")).toEqual(
      ['pickle.loads', 'getattr'],
    );
  });

  it('leaves method calls on unknown objects and local names unresolved', async () => {
    expect(
      await symbols(
        'model.eval()\nload(f)\nfrom . import utils\nutils.load(f)',
      ),
    ).toEqual([undefined, undefined, '.utils.load']);
  });

  it('reads keyword arguments as constants, folding assembled strings', async () => {
    const [call] = (
      await readSource(
        "f(x, weights_only=False, n=None, k='a' 'b', j='-'.join(['x', 'y']), v=cfg.flag)",
      )
    ).calls;
    expect(call.positional).toEqual([{ text: 'x' }]);
    expect(call.keywords.weights_only.value).toBe(false);
    expect(call.keywords.n.value).toBeNull();
    expect(call.keywords.k).toMatchObject({ value: 'ab', assembled: true });
    expect(call.keywords.j).toMatchObject({ value: 'x-y', assembled: true });
    expect(call.keywords.v.value).toBeUndefined();
  });

  it('records imports with their guards', async () => {
    const source = [
      'import os',
      'from typing import TYPE_CHECKING',
      'if TYPE_CHECKING:',
      '    import torch',
      "if os.environ.get('DEBUG_PICKLES'):",
      '    import dill',
      'if not PRODUCTION:',
      '    import cloudpickle',
      'else:',
      '    import json',
      'try:',
      '    import joblib',
      'except ImportError:',
      '    joblib = None',
      'if x > 3:',
      '    import yaml',
      "if __name__ == '__main__':",
      '    import pickle',
    ].join('\n');
    const imports = (await readSource(source)).imports;
    const guardOf = (module: string) =>
      imports.find(site => site.module === module)?.guard;
    expect(guardOf('os')).toBeUndefined();
    expect(guardOf('torch')).toEqual({
      kind: 'type-checking',
      text: 'if TYPE_CHECKING:',
    });
    expect(guardOf('dill')).toEqual({
      kind: 'environment',
      text: "if os.environ.get('DEBUG_PICKLES'):",
    });
    expect(guardOf('cloudpickle')).toEqual({
      kind: 'flag',
      text: 'if not PRODUCTION:',
    });
    expect(guardOf('json')).toEqual({
      kind: 'flag',
      text: 'if not PRODUCTION: … else:',
    });
    expect(guardOf('joblib')).toEqual({
      kind: 'import-error',
      text: 'try: … except ImportError:',
    });
    expect(guardOf('yaml')).toBeUndefined(); // ordinary logic is not a guard
    expect(guardOf('pickle')).toEqual({
      kind: 'script-entry',
      text: "if __name__ == '__main__':",
    });
  });

  it('gives a call the guard of the import it goes through when it has none of its own', async () => {
    const [call] = (
      await readSource(
        'if not PRODUCTION:\n    import dill\n\ndef f(b):\n    return dill.loads(b)',
      )
    ).calls;
    expect(call.symbol).toBe('dill.loads');
    expect(call.guard?.text).toBe('if not PRODUCTION:');
  });

  it('reads only the calls the caller wants, but still sees route registrations and dynamic imports', async () => {
    const source =
      "import pickle, importlib\nlogger.info('x')\npickle.loads(b)\nimportlib.import_module('dill')\napp.add_url_rule('/', view_func=f)\n";
    const tree = (await parsePython(source))!;
    try {
      const syntax = readPythonModule(tree, source, {
        knownSymbols: new Set(),
        wantCall: symbol => symbol === 'pickle.loads',
      });
      expect(syntax.calls.map(call => call.symbol)).toEqual([
        'pickle.loads',
        'importlib.import_module',
      ]);
      expect(syntax.definesRoutes).toBe(true);
      expect(syntax.imports.map(site => site.module)).toEqual([
        'pickle',
        'importlib',
        'dill',
      ]);
    } finally {
      tree.delete();
    }
  });

  it('keeps analysing a file with syntax errors', async () => {
    const syntax = await readSource(
      'import pickle\ndef broken(:\n    pass\nclass (\npickle.loads(data)\n',
    );
    expect(syntax.hasSyntaxErrors).toBe(true);
    expect(syntax.calls.map(call => call.symbol)).toContain('pickle.loads');
  });

  it('detects serving modules by their route decorators', async () => {
    expect(
      (await readSource('@app.post("/score")\ndef score(): ...')).definesRoutes,
    ).toBe(true);
    expect(
      (await readSource('@router.get("/")\nasync def root(): ...'))
        .definesRoutes,
    ).toBe(true);
    expect(
      (await readSource('@property\ndef score(self): ...')).definesRoutes,
    ).toBe(false);
  });

  it('survives hostile nesting that would overflow a recursive reader, in bounded time', async () => {
    const hostile = [
      `import pickle\nx = getattr(pickle, ${"'a' + ".repeat(5_000)}'b')\n`,
      `import os\nos${'.a'.repeat(20_000)}(1)\n`,
      `import pickle\npickle.loads(${'('.repeat(5_000)}1${')'.repeat(
        5_000,
      )})\n`,
      `${'eval('.repeat(3_000)}1${')'.repeat(3_000)}\n`,
    ];
    for (const source of hostile) {
      const started = Date.now();
      const syntax = await readSource(source);
      expect(syntax.calls.length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    const [obfuscated] = (await readSource(hostile[0])).calls;
    expect(obfuscated.positional[1].value).toBeUndefined(); // too deep to fold: reported as a run-time name
  });

  it('never throws on arbitrary text and finishes quickly', async () => {
    const pythonish = fc
      .array(
        fc.constantFrom(
          'import ',
          'pickle',
          ' as ',
          'pk',
          '.',
          'loads',
          '(',
          ')',
          ',',
          '=',
          "'",
          '"',
          '\n',
          '    ',
          'if ',
          ':',
          'getattr',
          '+',
          'from ',
          '*',
          '#',
          '\\',
          'f"{',
          '}',
        ),
        { maxLength: 60 },
      )
      .map(parts => parts.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.fullUnicodeString({ maxLength: 200 }),
          pythonish,
        ),
        async text => {
          const started = Date.now();
          const syntax = await readSource(text);
          expect(Array.isArray(syntax.calls)).toBe(true);
          expect(Date.now() - started).toBeLessThan(2_000);
        },
      ),
      { numRuns: 300 },
    );
  });
});
