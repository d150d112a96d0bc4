import type { Rule } from '../model/rule';

const SUPPLY_CHAIN = ['LLM03:2025'];
const REVIEW =
  'Load TorchScript models only from trusted producers, or export the weights to safetensors and build the module in reviewed code.';

/**
 * TorchScript code rules: what the serialised code/ of a TorchScript archive can reach when
 * torch.jit.load compiles it (formats/torchscript). Plain traced or scripted modules raise none.
 */
export const TORCHSCRIPT_RULES: Rule[] = [
  {
    id: 'TORCHSCRIPT-PYTHON-ESCAPE',
    title: 'TorchScript code calls back into Python',
    category: 'artifact',
    severity: 'critical',
    cwe: ['CWE-94'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      "The archive's code calls `prim::PythonOp` (what `@torch.jit.ignore`d functions compile to): running the model runs arbitrary Python, outside TorchScript's restricted language.",
    fix: `Do not load this file. ${REVIEW}`,
    docsAnchor: 'torchscript-python-escape',
  },
  {
    id: 'TORCHSCRIPT-FILE-ACCESS',
    title: 'TorchScript code reaches files or the host',
    category: 'artifact',
    severity: 'critical',
    cwe: ['CWE-94', 'CWE-73'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'The code uses a builtin or module path that reads or writes files or reaches the host (`torch.from_file`, `torch.save`, `os.*`, `open(...)`, `torch.classes.*`). Model code has no reason to.',
    fix: `Do not load this file. ${REVIEW}`,
    docsAnchor: 'torchscript-file-access',
  },
  {
    id: 'TORCHSCRIPT-CUSTOM-OP',
    title: 'TorchScript code calls an operator from a native extension',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-829'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'The code calls `ops.<namespace>.<op>` outside the namespaces PyTorch ships (aten, prim, quantized...). Such operators are native code registered by a separately loaded library; what they do cannot be seen in the archive.',
    fix: 'Review and pin the extension that registers the namespace, then trust the model through a policy exception; or rebuild the model without the custom operator.',
    docsAnchor: 'torchscript-custom-op',
  },
  {
    id: 'TORCHSCRIPT-SETSTATE',
    title: 'TorchScript __setstate__ does more than restore state',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-502', 'CWE-94'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      'A class in the archive defines `__setstate__`, which torch.jit.load runs while loading, and its body calls functions other than the attribute and tensor restores a serialised module needs.',
    fix: `Read the method in the archive's code/ folder. ${REVIEW}`,
    docsAnchor: 'torchscript-setstate',
  },
  {
    id: 'TORCHSCRIPT-CODE-UNREAD',
    title: 'TorchScript code too large to analyse',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-94'],
    owaspLlm: SUPPLY_CHAIN,
    description:
      "A file under the archive's code/ is larger than TorchScript's printer writes for any model, so it was not analysed; it runs on load like the rest.",
    fix: REVIEW,
    docsAnchor: 'torchscript-code-unread',
  },
];
