import type { Rule } from '../model/rule';

/**
 * Rules for configuration files that make a loader import and call code (Hydra / OmegaConf
 * `_target_`), and for Keras layer configs that read files or URLs while the model loads.
 */
export const MODEL_CONFIG_RULES: Rule[] = [
  {
    id: 'MODEL-CONFIG-CALLABLE',
    title:
      'Config names a callable that is instantiated on load (Hydra `_target_`)',
    category: 'artifact',
    severity: 'critical',
    cwe: ['CWE-94', 'CWE-470', 'CWE-502'],
    owaspLlm: ['LLM03:2025'],
    description:
      'A YAML or JSON config (NeMo `model_config.yaml` inside a `.nemo` archive, a Hydra config beside the weights, a Hugging Face `config.json`) has a `_target_` key, which `hydra.utils.instantiate` imports and calls with the sibling keys as arguments (`_args_` positional, `_partial_` returns the call for later). Naming `builtins.exec`, `os.system` or `subprocess.run` runs a command while the model loads (CVE-2025-23304 in NVIDIA NeMo). The callable is graded with the same knowledge base as pickle imports: a known-dangerous callable is critical, code outside the known model libraries is high, known model classes (`nemo.collections.*`, `torch.nn.*`, `transformers` model classes) pass.',
    fix: 'Do not load the model. If the config is yours, point `_target_` at a reviewed class of a pinned library; otherwise obtain the model from its source again.',
    docsAnchor: 'model-config-callable',
  },
  {
    id: 'MODEL-KERAS-FILE-ACCESS',
    title: 'Keras layer reads a file or URL while the model loads',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-73', 'CWE-918', 'CWE-22'],
    owaspLlm: ['LLM03:2025'],
    description:
      'A Keras layer config names a local path or a remote URL (`http(s)://`, `gs://`, `s3://`...) in a field the layer opens when it is rebuilt: the `vocabulary` of `StringLookup`, `IntegerLookup` or `TextVectorization`, their `idf_weights`, or any `*_path`/`*file*` field. Loading the model then reads arbitrary host files into the model (they can be exfiltrated through its outputs) or fetches attacker-chosen URLs, with `safe_mode=True` (CVE-2025-12058).',
    fix: 'Re-save the model with the vocabulary stored inline (`layer.set_vocabulary(list)` before saving) and no file or URL references.',
    docsAnchor: 'model-keras-file-access',
  },
];
