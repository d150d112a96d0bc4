import { analyseTorchScriptCode } from './torchScriptCode';

// What torch.jit.trace(nn.Sequential(nn.Linear(4, 3), nn.ReLU())) prints for the Linear module.
const TRACED_LINEAR = `class Linear(Module):
  __parameters__ = ["weight", "bias", ]
  __buffers__ = []
  weight : Tensor
  bias : Tensor
  training : bool
  def forward(self: __torch__.torch.nn.modules.linear.Linear,
    input: Tensor) -> Tensor:
    bias = self.bias
    weight = self.weight
    return torch.linear(input, weight, bias)
`;

describe('TorchScript code analysis', () => {
  it('finds nothing in a traced module', () => {
    expect(analyseTorchScriptCode(TRACED_LINEAR)).toEqual([]);
  });

  it('accepts operators of PyTorch namespaces and a __setstate__ that only restores attributes', () => {
    const code = `class M(Module):
  def forward(self, x: Tensor) -> Tensor:
    return ops.aten.relu(ops.quantized.add(x, x, 1.0, 0))
  def __setstate__(self, state: Tuple[Tensor, bool]) -> None:
    self.weight = state[0]
    self.training = state[1]
    return None
`;
    expect(analyseTorchScriptCode(code)).toEqual([]);
  });

  it('reports custom operators with the namespace and line', () => {
    expect(
      analyseTorchScriptCode(
        'def forward(self, x: Tensor) -> Tensor:\n  return ops.my_ext.launch(x)\n',
      ),
    ).toEqual([{ kind: 'custom-op', line: 2, what: 'ops.my_ext.launch' }]);
  });

  it('reports Python escapes and file access', () => {
    const kinds = analyseTorchScriptCode(
      '  _0 = ^PythonOp("evil")(x)\n  t = torch.from_file("/etc/shadow", False, 10)\n',
    ).map(h => h.kind);
    expect(kinds).toEqual(['python-escape', 'file-or-system']);
  });

  it('reports a __setstate__ that calls something besides restoring state', () => {
    const code = `class M(Module):
  def __setstate__(self, state: Tuple[Tensor]) -> None:
    self.weight = state[0]
    _0 = ops.my_ext.download("http://x")
    return None
  def forward(self, x: Tensor) -> Tensor:
    return x
`;
    const hazards = analyseTorchScriptCode(code);
    expect(hazards.map(h => h.kind).sort()).toEqual(['custom-op', 'setstate']);
    expect(hazards.find(h => h.kind === 'setstate')).toMatchObject({
      line: 2,
      detail: 'ops.my_ext.download',
    });
  });

  it('does not read quoted text or comments as code', () => {
    expect(
      analyseTorchScriptCode(
        '  x = "ops.evil.run os.system(1)"  # torch.from_file(\n',
      ),
    ).toEqual([]);
  });
});
