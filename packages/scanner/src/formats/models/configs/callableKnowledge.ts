import type { Severity } from '../../../model/severity';
import { classifyGlobal } from '../../pickle/knowledge/classify';
import { matchesPattern, splitSymbol } from '../../pickle/knowledge/patterns';

/**
 * Grades a callable named by a config (`_target_: os.system`). Hydra's `_locate` imports the
 * dotted path module by module and walks the rest as attributes, the same resolution a pickle
 * GLOBAL gets, so the pickle knowledge base decides first: denylisted → critical, trusted → pass.
 * What it does not know is checked against the model libraries configs routinely instantiate;
 * anything else is code outside the known libraries → high.
 */
export interface CallableGrade {
  verdict: 'dangerous' | 'unknown' | 'trusted';
  severity?: Severity;
  why: string;
}

interface ConfigPattern {
  pattern: string;
  why: string;
}

/** Config-only gadgets the pickle base has no reason to list: Hydra's own locators and loaders. */
const CONFIG_DANGEROUS: readonly ConfigPattern[] = [
  {
    pattern: 'hydra.utils.**',
    why: 'Hydra locators and instantiate import and call an arbitrary path given as an argument',
  },
  {
    pattern: 'hydra._internal.**',
    why: 'Hydra internals resolve and call arbitrary paths',
  },
  {
    pattern: 'omegaconf.**.register_new_resolver',
    why: 'registers a resolver function that later interpolations call',
  },
  {
    pattern: 'transformers.dynamic_module_utils.**',
    why: 'downloads and imports remote Python code',
  },
  {
    pattern: 'nemo.utils.model_utils.**',
    why: 'NeMo import helpers (import_class_by_path) load an arbitrary class by name',
  },
];

/** Methods that load another checkpoint (a pickle, usually) from a path the config chooses. */
const NESTED_LOADER_METHODS =
  /^(restore_from|load_from_checkpoint|load_state_dict_from_url|load)$/;

/** Model libraries whose classes configs instantiate as a matter of course. */
const CONFIG_TRUSTED: readonly ConfigPattern[] = [
  {
    pattern: 'nemo.collections.**',
    why: 'NeMo models, modules, datasets and losses',
  },
  { pattern: 'nemo.core.optim.**', why: 'NeMo optimizers and schedulers' },
  { pattern: 'nemo.core.neural_types.**', why: 'NeMo type annotations' },
  {
    pattern: 'nemo.lightning.**',
    why: 'NeMo 2 trainer, strategies and callbacks',
  },
  {
    pattern: 'megatron.core.**',
    why: 'Megatron-Core transformer building blocks used by NeMo',
  },
  { pattern: 'torch.nn.**', why: 'PyTorch layers, losses and initialisers' },
  { pattern: 'torch.optim.**', why: 'PyTorch optimizers and LR schedulers' },
  { pattern: 'torch.utils.data.**', why: 'PyTorch data loaders and samplers' },
  { pattern: 'torchvision.transforms.**', why: 'torchvision preprocessing' },
  { pattern: 'torchvision.models.**', why: 'torchvision model classes' },
  { pattern: 'torchaudio.transforms.**', why: 'torchaudio preprocessing' },
  {
    pattern: 'transformers.**',
    why: 'Hugging Face transformers model, config and tokenizer classes',
  },
  {
    pattern: 'pytorch_lightning.**',
    why: 'Lightning trainer, callbacks and loggers',
  },
  {
    pattern: 'lightning.pytorch.**',
    why: 'Lightning 2 trainer, callbacks and loggers',
  },
  { pattern: 'timm.models.**', why: 'timm model classes' },
];

/** What the node around the callable says (its sibling keys). */
export interface CallSite {
  /** `trust_remote_code: true` passed to the call. */
  trustRemoteCode?: boolean;
}

export function gradeCallable(
  path: string,
  policyTrusted: readonly string[] = [],
  site: CallSite = {},
): CallableGrade {
  const symbol = path.trim();
  const [module, name] = splitSymbol(symbol);
  // A bare name cannot be located by Hydra (no module to import); grade it as a builtin anyway.
  const verdict = classifyGlobal(module || 'builtins', name, policyTrusted);
  // In a pickle, `from_pretrained` is a hidden nested load; in a config it is how a model library
  // builds its tokenizer or backbone, by design and in plain sight. It runs code only with
  // trust_remote_code, which the call site shows.
  if (name === 'from_pretrained' && findIn(CONFIG_TRUSTED, module, name)) {
    if (site.trustRemoteCode)
      return {
        verdict: 'unknown',
        severity: 'high',
        why: "downloads and runs the model repository's own Python code (trust_remote_code: true)",
      };
    return {
      verdict: 'trusted',
      why: 'a model library loader without remote code',
    };
  }
  if (verdict.status === 'dangerous')
    return {
      verdict: 'dangerous',
      severity: 'critical',
      why: `${verdict.danger!.why} (${verdict.danger!.category})`,
    };
  const configDanger = findIn(CONFIG_DANGEROUS, module, name);
  if (configDanger)
    return {
      verdict: 'dangerous',
      severity: 'critical',
      why: configDanger.why,
    };
  if (NESTED_LOADER_METHODS.test(name) && module.includes('.'))
    return {
      verdict: 'unknown',
      severity: 'high',
      why: 'loads another checkpoint from a path in the config, which may be a pickle',
    };
  if (verdict.status === 'trusted')
    return { verdict: 'trusted', why: verdict.why ?? 'trusted' };
  const known = findIn(CONFIG_TRUSTED, module, name);
  if (known) return { verdict: 'trusted', why: known.why };
  return {
    verdict: 'unknown',
    severity: 'high',
    why: 'imports and calls code outside the known model libraries',
  };
}

function findIn(list: readonly ConfigPattern[], module: string, name: string) {
  return list.find(entry => matchesPattern(entry.pattern, module, name));
}
