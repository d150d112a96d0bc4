/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect*"] }] */
/**
 * TorchScript archives: generators for what its code/ can reach (harmless payloads), each asserting
 * the TORCHSCRIPT-* rule that names the mechanism, and a hand-built traced-module archive that passes.
 */
import {
  PickleWriter,
  buildZip,
  expectBlockedBy,
  expectNotBlocked,
  scanBytes,
} from './__testUtils__/helpers';

/** data.pkl of a scripted module as torch.jit.save writes it: a __torch__ class built with NEWOBJ + BUILD. */
function modulePickle(): Uint8Array {
  return PickleWriter.create()
    .proto(2)
    .global('__torch__.torch.nn.modules.linear', 'Linear')
    .emptyTuple()
    .newobj()
    .emptyDict()
    .binUnicode('training')
    .raw(0x88)
    .setItem()
    .build()
    .stop()
    .bytes();
}

const debugPickle = () =>
  PickleWriter.create()
    .proto(2)
    .global('torch.jit._pickle', 'build_intlist')
    .emptyList()
    .tuple1()
    .reduce()
    .stop()
    .bytes();

function torchScriptArchive(code: string): Uint8Array {
  return buildZip({
    entries: [
      { name: 'm/data.pkl', data: modulePickle() },
      { name: 'm/code/__torch__/torch/nn/modules/linear.py', data: code },
      {
        name: 'm/code/__torch__/torch/nn/modules/linear.py.debug_pkl',
        data: debugPickle(),
      },
      {
        name: 'm/constants.pkl',
        data: PickleWriter.create().proto(2).emptyTuple().stop().bytes(),
      },
      { name: 'm/version', data: '1\n' },
    ],
  });
}

const FORWARD = (body: string) =>
  `class Linear(Module):\n  __parameters__ = []\n  training : bool\n  def forward(self: __torch__.torch.nn.modules.linear.Linear,\n    input: Tensor) -> Tensor:\n    ${body}\n`;

describe('TorchScript archives', () => {
  it('a traced module passes: jit pickle helpers and __torch__ classes are what torch.jit.save writes', async () => {
    expectNotBlocked(
      await scanBytes(
        torchScriptArchive(FORWARD('return torch.relu(input)')),
        'model.pt',
      ),
    );
  });

  it.each([
    [
      'custom operator from a native extension',
      FORWARD('return ops.my_ext.run(input)'),
      'TORCHSCRIPT-CUSTOM-OP',
      'ops.my_ext.run',
    ],
    [
      'Python escape (prim::PythonOp)',
      FORWARD('_0 = ^PythonOp("cb")(input)\n    return _0'),
      'TORCHSCRIPT-PYTHON-ESCAPE',
      undefined,
    ],
    [
      'file read with torch.from_file',
      FORWARD('return torch.from_file("/etc/passwd", False, 8)'),
      'TORCHSCRIPT-FILE-ACCESS',
      'torch.from_file(',
    ],
    [
      'torch.classes escape',
      FORWARD('_0 = torch.classes.evil.Runner()\n    return input'),
      'TORCHSCRIPT-FILE-ACCESS',
      undefined,
    ],
    [
      '__setstate__ with side effects',
      `class Linear(Module):\n  def __setstate__(self, state: Tuple[bool]) -> None:\n    self.training = state[0]\n    _0 = ops.my_ext.fetch("x")\n    return None\n`,
      'TORCHSCRIPT-SETSTATE',
      '__setstate__',
    ],
  ])('%s', async (_title, code, rule, symbol) => {
    expectBlockedBy(
      await scanBytes(torchScriptArchive(code), 'model.pt'),
      rule,
      symbol,
    );
  });

  it('os.system in data.pkl of a TorchScript archive still blocks (the jit trust covers only its own names)', async () => {
    const zip = buildZip({
      entries: [
        {
          name: 'm/data.pkl',
          data: PickleWriter.create()
            .proto(2)
            .call('os', 'system', 'id', 'GLOBAL')
            .stop()
            .bytes(),
        },
        { name: 'm/code/__torch__/m.py', data: FORWARD('return input') },
        {
          name: 'm/constants.pkl',
          data: PickleWriter.create().proto(2).emptyTuple().stop().bytes(),
        },
        { name: 'm/version', data: '1\n' },
      ],
    });
    expectBlockedBy(
      await scanBytes(zip, 'model.pt'),
      'PICKLE-EXEC',
      'os.system',
    );
  });
});
