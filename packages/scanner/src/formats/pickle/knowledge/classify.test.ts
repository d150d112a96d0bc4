import { TRUSTED_GLOBALS } from './allowlist';
import { classifyGlobal, findDanger } from './classify';
import { DANGEROUS_GLOBALS } from './denylist';
import { resolveGlobal } from './names';
import { matchesPattern } from './patterns';

describe('pickle knowledge base', () => {
  it('explains every entry', () => {
    for (const entry of [...TRUSTED_GLOBALS, ...DANGEROUS_GLOBALS])
      expect(entry.why.length).toBeGreaterThan(10);
  });

  it('never lists a symbol as both trusted and dangerous', () => {
    const overlaps = TRUSTED_GLOBALS.filter(
      entry => !entry.pattern.includes('*'),
    ).filter(entry => {
      const verdict = classifyGlobal(
        ...(split(entry.pattern) as [string, string]),
      );
      return verdict.status !== 'trusted';
    });
    expect(overlaps).toEqual([]);
  });

  it.each([
    ['torch._utils', '_rebuild_tensor_v2'],
    ['torch', 'FloatStorage'],
    ['torch', 'BFloat16Storage'],
    ['torch', 'float32'],
    ['collections', 'OrderedDict'],
    ['numpy.core.multiarray', '_reconstruct'],
    ['numpy._core.multiarray', 'scalar'],
    ['numpy', 'dtype'],
    ['sklearn.ensemble._forest', 'RandomForestClassifier'],
    ['torch.nn.modules.linear', 'Linear'],
    ['joblib.numpy_pickle', 'NumpyArrayWrapper'],
    ['_codecs', 'encode'],
    ['__builtin__', 'set'],
    ['copy_reg', '_reconstructor'],
    ['scipy.sparse._csr', 'csr_matrix'],
    ['scipy.sparse.csc', 'csc_matrix'],
    ['numpy.core._multiarray_umath', 'log1p'],
    ['numpy', 'log1p'],
    ['dill._dill', '_create_array'],
    ['builtins', 'len'],
    ['collections.abc', 'Mapping'],
    ['__future__', '_Feature'],
    ['pandas.core.frame', 'DataFrame'],
  ])('trusts %s.%s, which real ML pickles need', (module, name) => {
    expect(classifyGlobal(module, name).status).toBe('trusted');
  });

  it.each([
    [
      'sklearn.utils',
      'load_something',
      'functions in trusted packages are not trusted',
    ],
    [
      'torch.nn.modules.module',
      'register_module_forward_hook',
      'module-level hooks take callables',
    ],
    ['torch', 'Size.__reduce__', 'dotted names never match the allowlist'],
    ['numpy', 'loadtxt', 'not on the allowlist'],
    ['pandas.core.computation.expr', 'Expr', 'evaluates its source string'],
    ['pandas.io.pickle', 'Unpickler', 'pandas.io reads files'],
    [
      'scipy.sparse.linalg._interface',
      'LinearOperator',
      'carved out of scipy.sparse',
    ],
    ['dill._dill', '_create_function', 'code reconstruction'],
  ])('does not trust %s.%s (%s)', (module, name) => {
    expect(classifyGlobal(module, name).status).not.toBe('trusted');
  });

  it.each([
    ['codecs', 'open', 'filesystem'],
    ['posix', 'system', 'process-execution'],
    ['__builtin__', 'getattr', 'attribute-trampoline'],
    ['builtins', '__import__', 'import-machinery'],
    ['torch', 'load', 'nested-loader'],
    ['numpy', 'load', 'nested-loader'],
    ['fickling', 'load', 'scanner-tampering'],
    ['ctypes', 'CDLL', 'native-code'],
    ['sys', 'modules', 'interpreter-state'],
  ])('grades %s.%s as %s', (module, name, category) => {
    expect(classifyGlobal(module, name)).toMatchObject({
      status: 'dangerous',
      danger: { category },
    });
  });

  it('resolves aliases and dotted names the way find_class does', () => {
    expect(resolveGlobal('__builtin__', 'eval').symbol).toBe('builtins.eval');
    expect(resolveGlobal('copy_reg', '_reconstructor').symbol).toBe(
      'copyreg._reconstructor',
    );
    expect(resolveGlobal('nt', 'system').symbol).toBe('os.system');
    expect(resolveGlobal('_pickle', 'loads').symbol).toBe('pickle.loads');
    expect(resolveGlobal('pathlib', 'os.system')).toMatchObject({
      dotted: true,
      reaches: ['os.system'],
    });
    expect(classifyGlobal('torch', 'os.system')).toMatchObject({
      status: 'dangerous',
      dangerSymbol: 'os.system',
    });
    expect(findDanger('builtins.eval.__call__')?.category).toBe(
      'code-evaluation',
    );
  });

  it('honours policy allowlists given as module.name and module.*', () => {
    expect(
      classifyGlobal('acme.models', 'Net', ['acme.models.Net']).status,
    ).toBe('trusted');
    expect(
      classifyGlobal('acme.layers', 'Block', ['acme.layers.*']).status,
    ).toBe('trusted');
    expect(
      classifyGlobal('acme.layers.sub', 'Block', ['acme.layers.*']).status,
    ).toBe('unknown');
    expect(
      classifyGlobal('acme.layers', 'Block.os.system', ['acme.layers.*'])
        .status,
    ).toBe('dangerous');
  });

  it('matches pattern forms', () => {
    expect(matchesPattern('os.exec*', 'os', 'execve')).toBe(true);
    expect(matchesPattern('torch.*Storage', 'torch', 'HalfStorage')).toBe(true);
    expect(matchesPattern('torch.*Storage', 'torch', 'load')).toBe(false);
    expect(matchesPattern('subprocess.**', 'subprocess', 'Popen')).toBe(true);
    expect(matchesPattern('asyncio.**', 'asyncio.unix_events', 'x')).toBe(true);
    expect(matchesPattern('sklearn.**:Class', 'sklearn.svm', 'SVC')).toBe(true);
    expect(matchesPattern('sklearn.**:Class', 'sklearn.svm', 'helper')).toBe(
      false,
    );
    expect(
      matchesPattern(
        'transformers.**.from_pretrained',
        'transformers.AutoModel',
        'from_pretrained',
      ),
    ).toBe(true);
    expect(
      matchesPattern(
        'transformers.**.from_pretrained',
        'transformers',
        'AutoModel',
      ),
    ).toBe(false);
    expect(
      matchesPattern(
        'transformers.**.from_pretrained',
        'transformersx.A',
        'from_pretrained',
      ),
    ).toBe(false);
  });

  it.each([
    ['torch.utils.model_zoo', 'load_url'],
    ['sklearn.externals.joblib', 'load'],
    ['numpy.lib.format', 'read_array'],
    ['transformers', 'AutoModel.from_pretrained'],
    ['transformers', 'AutoModelForCausalLM.from_pretrained'],
    ['transformers.modeling_utils', 'PreTrainedModel.from_pretrained'],
    ['diffusers', 'DiffusionPipeline.from_pretrained'],
    ['huggingface_hub', 'hf_hub_download'],
  ])(
    'grades the fetch-or-nested loader %s.%s as a nested loader',
    (module, name) => {
      expect(classifyGlobal(module, name)).toMatchObject({
        status: 'dangerous',
        danger: { category: 'nested-loader' },
      });
    },
  );

  it('does not grade the auto classes themselves, only their loaders', () => {
    expect(classifyGlobal('transformers', 'AutoModel').status).toBe('unknown');
  });
});

function split(symbol: string): string[] {
  const dot = symbol.lastIndexOf('.');
  return [symbol.slice(0, dot), symbol.slice(dot + 1)];
}
