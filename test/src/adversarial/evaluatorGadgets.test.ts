/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*"] }] */
/**
 * Red-team generators for evaluators hiding in allowlisted namespaces and other gadget classes from
 * the published bypass write-ups (JFrog's picklescan zero-days, the picklescan/fickling/modelscan
 * GHSAs). Payloads are harmless (`id`); each case asserts the rule that names the mechanism, both as
 * a bare pickle and as the data.pkl of a PyTorch zip.
 */
import {
  PickleWriter,
  buildZip,
  expectBlockedBy,
  pytorchZipSpec,
  scanBytes,
  summary,
} from './__testUtils__/helpers';

const SOURCE = "__import__('os').system('id')";
const w = () => PickleWriter.create().proto(4);

type Generator = [
  title: string,
  bytes: () => Uint8Array,
  rule: string,
  symbol: string | undefined,
];

const GENERATORS: Generator[] = [
  // A CapWords class in pandas.core that parses and evaluates its argument on construction.
  [
    'pandas Expr(source) via REDUCE',
    () =>
      w().call('pandas.core.computation.expr', 'Expr', SOURCE).stop().bytes(),
    'PICKLE-EVAL-SOURCE',
    'pandas.core.computation.expr.Expr',
  ],
  [
    'pandas Expr(source) via NEWOBJ',
    () =>
      w()
        .stackGlobal('pandas.core.computation.expr', 'Expr')
        .shortUnicode(SOURCE)
        .tuple1()
        .newobj()
        .stop()
        .bytes(),
    'PICKLE-EVAL-SOURCE',
    'pandas.core.computation.expr.Expr',
  ],
  [
    'pandas.eval(source)',
    () => w().call('pandas', 'eval', SOURCE).stop().bytes(),
    'PICKLE-EVAL-SOURCE',
    'pandas.eval',
  ],
  [
    'pandas.core.computation.eval.eval(source)',
    () =>
      w().call('pandas.core.computation.eval', 'eval', SOURCE).stop().bytes(),
    'PICKLE-EVAL-SOURCE',
    'pandas.core.computation.eval.eval',
  ],
  [
    'numexpr.evaluate(source)',
    () => w().call('numexpr', 'evaluate', SOURCE).stop().bytes(),
    'PICKLE-EVAL-SOURCE',
    'numexpr.evaluate',
  ],
  [
    'sympy.sympify(source)',
    () => w().call('sympy', 'sympify', SOURCE).stop().bytes(),
    'PICKLE-EVAL-SOURCE',
    'sympy.sympify',
  ],
  [
    'jinja2.Template(source)',
    () =>
      w()
        .call(
          'jinja2',
          'Template',
          "{{ cycler.__init__.__globals__.os.popen('id') }}",
        )
        .stop()
        .bytes(),
    'PICKLE-EVAL-SOURCE',
    'jinja2.Template',
  ],
  // An allowlisted estimator class handed interpreter source: the argument is read whatever the grade.
  [
    'trusted sklearn class given interpreter source',
    () =>
      w()
        .call(
          'sklearn.preprocessing._function_transformer',
          'FunctionTransformer',
          SOURCE,
        )
        .stop()
        .bytes(),
    'PICKLE-EVAL-SOURCE',
    'sklearn.preprocessing._function_transformer.FunctionTransformer',
  ],
  [
    'builtins.eval through numpy.size __builtins__ walk',
    () =>
      w()
        .call('numpy', 'size.__globals__.__builtins__.eval', SOURCE)
        .stop()
        .bytes(),
    'PICKLE-EVAL-SOURCE',
    undefined,
  ],
  // JFrog / GHSA write-ups: standard-library helpers that run code or write files.
  [
    'numpy.f2py.crackfortran.getlincoef (eval)',
    () =>
      w().call('numpy.f2py.crackfortran', 'getlincoef', SOURCE).stop().bytes(),
    'PICKLE-EXEC',
    'numpy.f2py.crackfortran.getlincoef',
  ],
  [
    'distutils.file_util.write_file',
    () =>
      w().call('distutils.file_util', 'write_file', '/tmp/x').stop().bytes(),
    'PICKLE-EXEC',
    'distutils.file_util.write_file',
  ],
  [
    'ensurepip._run_pip',
    () => w().call('ensurepip', '_run_pip', 'id').stop().bytes(),
    'PICKLE-EXEC',
    'ensurepip._run_pip',
  ],
  [
    'idlelib.calltip.get_entity (eval)',
    () => w().call('idlelib.calltip', 'get_entity', SOURCE).stop().bytes(),
    'PICKLE-EXEC',
    'idlelib.calltip.get_entity',
  ],
  [
    'lib2to3.pgen2.pgen.generate_grammar',
    () =>
      w()
        .call('lib2to3.pgen2.pgen', 'generate_grammar', '/etc/passwd')
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'lib2to3.pgen2.pgen.generate_grammar',
  ],
  [
    'cProfile.runctx(source)',
    () => w().call('cProfile', 'runctx', SOURCE).stop().bytes(),
    'PICKLE-EVAL-SOURCE',
    'cProfile.runctx',
  ],
  [
    'torch.utils._config_module (exec of a config)',
    () =>
      w()
        .call('torch.utils._config_module', 'ConfigModule', SOURCE)
        .stop()
        .bytes(),
    'PICKLE-EVAL-SOURCE',
    'torch.utils._config_module.ConfigModule',
  ],
  [
    'torch.fx.experimental.symbolic_shapes ShapeEnv guard eval',
    () =>
      w()
        .call('torch.fx.experimental.symbolic_shapes', 'ShapeEnv', SOURCE)
        .stop()
        .bytes(),
    'PICKLE-EVAL-SOURCE',
    'torch.fx.experimental.symbolic_shapes.ShapeEnv',
  ],
  // importlib.import_module on a name built at load time (str.join of a list): not resolvable, still the importer.
  [
    'importlib.import_module on a computed name',
    () =>
      w()
        .stackGlobal('importlib', 'import_module')
        .stackGlobal('builtins', 'getattr')
        .stackGlobal('builtins', 'str')
        .shortUnicode('join')
        .tuple2()
        .reduce()
        .shortUnicode('')
        .emptyList()
        .mark()
        .shortUnicode('o')
        .shortUnicode('s')
        .raw('e')
        .tuple2()
        .reduce()
        .tuple1()
        .reduce()
        .stop()
        .bytes(),
    'PICKLE-EXEC',
    'importlib.import_module',
  ],
];

const CARRIERS: [string, (bytes: Uint8Array) => [Uint8Array, string]][] = [
  ['bare pickle', bytes => [bytes, 'model.pkl']],
  [
    'PyTorch zip',
    bytes => [
      buildZip(
        pytorchZipSpec(
          bytes,
          [{ name: '0', data: new Uint8Array(16) }],
          'archive',
        ),
      ),
      'model.pt',
    ],
  ],
];

describe.each(CARRIERS)(
  'evaluator and gadget generators, carried as %s',
  (_carrier, carry) => {
    it.each(GENERATORS)('%s', async (_title, bytes, rule, symbol) => {
      const [data, name] = carry(bytes());
      expectBlockedBy(await scanBytes(data, name), rule, symbol);
    });
  },
);

describe('the knowledge base is exact inside allowlisted namespaces', () => {
  it('trusts pandas frame classes but not the computation package next to them', async () => {
    const frame = await scanBytes(
      w()
        .stackGlobal('pandas.core.frame', 'DataFrame')
        .emptyTuple()
        .newobj()
        .stop()
        .bytes(),
      'df.pkl',
    );
    expect(
      frame.findings
        .filter(f => f.severity === 'high' || f.severity === 'critical')
        .map(f => f.ruleId),
    ).toEqual([]);
    const expr = await scanBytes(
      w()
        .stackGlobal('pandas.core.computation.ops', 'Term')
        .emptyTuple()
        .newobj()
        .stop()
        .bytes(),
      'df.pkl',
    );
    expect(
      expr.findings.find(
        f => f.evidence.symbol === 'pandas.core.computation.ops.Term',
      )?.severity ?? summary(expr),
    ).toBe('critical');
  });
});
