import type { Rule } from '../model/rule';

/**
 * Rules for non-pickle model formats (safetensors, GGUF, ONNX, Keras, TensorFlow SavedModel) and for
 * what ships beside the weights (model cards, Hugging Face configs, code, pinned hashes).
 */
export const MODEL_FORMAT_RULES: Rule[] = [
  {
    id: 'MODEL-SAFETENSORS-INVALID',
    title: 'Malformed safetensors header',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-20', 'CWE-1284'],
    owaspLlm: ['LLM03:2025', 'LLM04:2025'],
    description:
      'The safetensors header breaks the format: a header length beyond the file, a header that is not a JSON object, duplicate keys (JSON parsers keep different ones), unknown dtypes, sizes that do not match shapes, or data offsets that overlap, leave gaps or do not end at the end of the file. Loaders differ in how they treat such files, which hides tensors from one tool and shows them to another, and some lenient readers have crashed on them.',
    fix: 'Re-export the weights with the `safetensors` library (`save_file`) from a trusted copy of the model, and compare the result with the original.',
    docsAnchor: 'model-safetensors-invalid',
  },
  {
    id: 'MODEL-DISGUISED',
    title: 'Model file content does not match its extension',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-434', 'CWE-502'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The file is named like a data-only format (for example `.safetensors`, `.gguf`, `.onnx` or a TensorFlow `.pb`) but its bytes are something else, typically a pickle or a zip. Reviewers and allowlists trust the extension while loaders sniff the content, so this is a known way to slip executable serialisation past a policy.',
    fix: 'Do not load the file. Obtain the model from its source again and re-export it to the format its name claims.',
    docsAnchor: 'model-disguised',
  },
  {
    id: 'MODEL-MALFORMED',
    title: 'Malformed model structure',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-20', 'CWE-1284'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The model file (GGUF, ONNX, TensorFlow SavedModel) breaks its own format: truncated, with impossible counts or lengths, or with invalid wire data. Native loaders have had memory-safety bugs on exactly such inputs (GGUF parsing overflows in ggml, for example), and what cannot be parsed cannot be checked.',
    fix: 'Re-export the model with its library from a trusted copy. If the file is legitimate, report the parse failure with the file attached.',
    docsAnchor: 'model-malformed',
  },
  {
    id: 'MODEL-ONNX-EXTERNAL-PATH',
    title: 'ONNX external data path leaves the model folder',
    category: 'artifact',
    severity: 'critical',
    cwe: ['CWE-22', 'CWE-59'],
    owaspLlm: ['LLM03:2025'],
    description:
      'A tensor stores its data outside the `.onnx` file at a `location` that is absolute, climbs with `..`, or otherwise points outside the model folder (CVE-2022-25882, CVE-2024-27318, CVE-2025-51480). Loading or re-saving the model reads or overwrites arbitrary files on the host.',
    fix: 'Reject the model. External data files must sit in the model folder and be referenced by plain relative names (`weights.bin`).',
    docsAnchor: 'model-onnx-external-path',
  },
  {
    id: 'MODEL-ONNX-CUSTOM-DOMAIN',
    title: 'ONNX model uses a custom operator domain',
    category: 'artifact',
    severity: 'medium',
    cwe: ['CWE-829'],
    owaspLlm: ['LLM03:2025'],
    description:
      'Nodes or opset imports use an operator domain outside the standard ones (`ai.onnx`, `ai.onnx.ml`, `com.microsoft`, ...). Running the model needs a custom-op library registered with the runtime: native code that comes from somewhere else and is not covered by this scan.',
    fix: 'Identify the library that implements the domain, pin it and scan it, or export the model with standard operators only.',
    docsAnchor: 'model-onnx-custom-domain',
  },
  {
    id: 'MODEL-CHAT-TEMPLATE-INJECTION',
    title: 'Chat template reaches Python internals (Jinja template injection)',
    category: 'artifact',
    severity: 'critical',
    cwe: ['CWE-1336', 'CWE-94'],
    owaspLlm: ['LLM03:2025', 'LLM05:2025'],
    description:
      'The chat template stored with the model (GGUF metadata or `tokenizer_config.json`) walks from template objects to Python internals (`__class__`, `__mro__`, `__subclasses__`, `__globals__`, `__builtins__`...) or hides such names behind escapes, the `attr` filter, or subscripts whose names are assembled at render time (`cycler[u+u+"init"+u+u]`, `joiner["__in"~"it__"]`), which Jinja resolves as attribute lookups. Runtimes that render templates outside a sandbox execute it on the first chat request (CVE-2024-34359 in llama-cpp-python).',
    fix: 'Remove or replace the chat template with the upstream one, and render templates only in a sandboxed Jinja environment.',
    docsAnchor: 'model-chat-template-injection',
  },
  {
    id: 'MODEL-HDF5-DECLARED-SIZE',
    title: 'HDF5 datasets declare far more data than the file holds',
    category: 'artifact',
    severity: 'medium',
    cwe: ['CWE-789', 'CWE-400'],
    owaspLlm: ['LLM10:2025'],
    description:
      'The shapes of the datasets in an HDF5 file (a Keras `.h5` model or the `model.weights.h5` of a `.keras` archive) multiply out to more than 1 GiB and over 64 times the size of the file. Keras reads every weight into memory, so loading the model allocates what the shapes declare and exhausts the host (CVE-2026-12570, fixed in Keras 3.15). Real weight files hold what they declare.',
    fix: 'Do not load the file; re-export the model from a trusted copy. Lock keras>=3.15.0.',
    docsAnchor: 'model-hdf5-declared-size',
  },
  {
    id: 'MODEL-KERAS-LAMBDA',
    title: 'Keras Lambda layer with serialised Python code',
    category: 'artifact',
    severity: 'critical',
    cwe: ['CWE-502', 'CWE-94'],
    owaspLlm: ['LLM03:2025'],
    description:
      'A Keras `Lambda` layer carries marshalled Python bytecode (or a reference to a Python function) that runs when the model is loaded or called (CVE-2024-3660). Legacy `.h5` files ignore `safe_mode` entirely (CVE-2025-9905), and `.keras` archives have bypassed it (CVE-2025-9906).',
    fix: 'Replace the Lambda layer with a registered custom layer whose code is reviewed and shipped as source, then re-save the model.',
    docsAnchor: 'model-keras-lambda',
  },
  {
    id: 'MODEL-KERAS-CUSTOM-OBJECT',
    title: 'Keras config refers to code outside Keras',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-502', 'CWE-829'],
    owaspLlm: ['LLM03:2025'],
    description:
      'An object in the Keras model config names a `module` or `registered_name` outside the Keras packages. Loading imports that module and calls into it, so the model runs code that is not part of the file and not checked by this scan.',
    fix: 'Review the named module and ship it as reviewed source with the model, or rebuild the model from built-in Keras layers.',
    docsAnchor: 'model-keras-custom-object',
  },
  {
    id: 'MODEL-KERAS-UNSAFE-FUNCTION',
    title: 'Keras config calls a dangerous function on load',
    category: 'artifact',
    severity: 'critical',
    cwe: ['CWE-502', 'CWE-94'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The Keras config references a function or class that disables safe mode, loads another model, fetches files, unpickles, or reaches an operating-system module (`keras.config.enable_unsafe_deserialization`, `keras.models.load_model`, `keras.utils.get_file`, `TorchModuleWrapper`, `os.system`...). These are the gadgets of CVE-2025-1550, CVE-2025-8747, CVE-2025-9906 and CVE-2025-49655: code execution while loading with `safe_mode=True`.',
    fix: 'Do not load the model. Rebuild it from a trusted source with built-in layers only.',
    docsAnchor: 'model-keras-unsafe-function',
  },
  {
    id: 'MODEL-TF-PYTHON-OP',
    title: 'TensorFlow graph runs Python code',
    category: 'artifact',
    severity: 'critical',
    cwe: ['CWE-94', 'CWE-502'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The SavedModel graph contains `PyFunc`, `PyFuncStateless` or `EagerPyFunc` nodes: they call a Python function of the loading process, which ties the model to code outside the file and has been used to run attacker code.',
    fix: 'Re-export the model without `tf.py_function`/`tf.numpy_function`, or ship the called code as reviewed source.',
    docsAnchor: 'model-tf-python-op',
  },
  {
    id: 'MODEL-TF-FILE-OP',
    title: 'TensorFlow graph reads or writes files',
    category: 'artifact',
    severity: 'high',
    cwe: ['CWE-73', 'CWE-552'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The SavedModel graph contains operations that read, write, list or map files (`ReadFile`, `WriteFile`, `MatchingFiles`, `ImmutableConst`, checkpoint `Save`/`Restore` outside the saver, debug ops writing to file URLs). Run at inference, they can read secrets or overwrite files on the serving host.',
    fix: 'Check each named node. Remove file operations from the serving graph, or accept the finding with a justification if the model legitimately reads its inputs from files.',
    docsAnchor: 'model-tf-file-op',
  },
  {
    id: 'MODEL-REMOTE-CODE',
    title: 'Model config runs custom code on load',
    category: 'provenance',
    severity: 'high',
    cwe: ['CWE-829', 'CWE-94'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The Hugging Face `config.json` (or tokenizer config) maps model classes to Python modules through `auto_map`, which `from_pretrained(..., trust_remote_code=True)` imports and runs. The code either ships beside the weights or is pulled from another repository (`org/repo--module.Class`), which widens the trust boundary to that repository.',
    fix: 'Use a model supported natively by `transformers`, or vendor the referenced code, review it and pin the repository revision.',
    docsAnchor: 'model-remote-code',
  },
  {
    id: 'MODEL-CODE-BESIDE-WEIGHTS',
    title: 'Python code shipped beside model weights',
    category: 'provenance',
    severity: 'medium',
    cwe: ['CWE-829'],
    owaspLlm: ['LLM03:2025'],
    description:
      'A `.py` file sits in a folder that holds model weights. Loaders with `trust_remote_code`, and people copying the folder, run such files; they need the same review as application code.',
    fix: 'Review the file and move reusable code into a package with its own review and pinning; remove it if the model does not need it.',
    docsAnchor: 'model-code-beside-weights',
  },
  {
    id: 'MODEL-HASH-MISMATCH',
    title: 'Model file does not match its pinned SHA-256',
    category: 'provenance',
    severity: 'critical',
    cwe: ['CWE-354', 'CWE-494'],
    owaspLlm: ['LLM03:2025', 'LLM04:2025'],
    description:
      'The policy pins this path to a SHA-256 digest and the file on disk differs (or is missing). The artifact was replaced or corrupted after it was reviewed.',
    fix: 'Restore the reviewed file, or review the new one and update the pin in the policy.',
    docsAnchor: 'model-hash-mismatch',
  },
  {
    id: 'MODEL-CARD-MALFORMED',
    title: 'Model card metadata cannot be read',
    category: 'provenance',
    severity: 'low',
    cwe: ['CWE-20'],
    owaspLlm: ['LLM03:2025'],
    description:
      'The YAML front matter of the model card (`README.md`) does not parse, so its licence, base model and datasets are missing from the ML-BOM.',
    fix: 'Fix the YAML between the `---` lines at the top of the README.',
    docsAnchor: 'model-card-malformed',
  },
];
