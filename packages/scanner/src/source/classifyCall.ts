import { lt } from '@renovatebot/pep440';
import { gradeInstall, INSTALL_COMMAND } from './runtimeInstall';
import type { Severity } from '../model/severity';
import type { ArgumentValue, CallSite } from './pythonModule';
import {
  CALL_FAMILY,
  FULL_YAML_LOADERS,
  MODEL_LIKE_ARGUMENT,
  SAFE_YAML_LOADERS,
  SENSITIVE_MODULES,
  type CallFamily,
} from './data/riskyCalls';

/** What a risky call means, before the analyzer decides where (first or third party) it is reported. */
export interface CallObservation {
  ruleId: string;
  severity: Severity;
  family:
    | CallFamily
    | 'remote-code'
    | 'obfuscated-attribute'
    | 'hardened-loader';
  /** The resolved symbol, e.g. `torch.load`, `pickle.loads` (from `getattr(pickle, 'lo' + 'ads')`). */
  symbol: string;
  message: string;
  /** The call explicitly turns a safety off (`weights_only=False`, `allow_pickle=True`, `safe_mode=False`...). */
  disablesSafety: boolean;
  /** Extra evidence fields (CVE, versions, flags). */
  details?: Record<string, string>;
}

export interface CallContext {
  /** Locked or pinned torch version from the dependency facts, when known. */
  torchVersion?: string;
  /** The module is serving code (path under app/api/serving..., or it declares web routes). */
  serving: boolean;
}

function isConstant(
  arg: ArgumentValue | undefined,
  value: string | boolean | number | null,
): boolean {
  return arg !== undefined && arg.value === value;
}

/** Last dotted segment of an argument's resolved symbol or text: `yaml.SafeLoader` → `SafeLoader`. */
function lastSegment(arg: ArgumentValue): string {
  return (arg.symbol ?? arg.text).split('.').pop() ?? '';
}

function safeLt(version: string, bound: string): boolean | undefined {
  try {
    return lt(version, bound);
  } catch {
    return undefined;
  }
}

function weightsOnlySetting(
  arg: ArgumentValue | undefined,
): 'default' | 'true' | 'false' | 'computed' {
  if (arg === undefined) return 'default';
  if (arg.value === true) return 'true';
  if (arg.value === false) return 'false';
  return 'computed';
}

type TorchGrade =
  | Pick<CallObservation, 'severity' | 'message' | 'disablesSafety' | 'details'>
  | undefined;

/**
 * `torch.load` is graded by the torch version the project locks: the default became
 * weights_only=True in 2.6, weights_only=True is bypassable up to 2.5.1 (CVE-2025-32434), and the
 * weights-only unpickler corrupts memory before 2.10 (CVE-2026-24747).
 */
export function gradeTorchLoad(
  call: CallSite,
  torchVersion: string | undefined,
): TorchGrade {
  const weightsOnly = call.keywords.weights_only;
  const setting = weightsOnlySetting(weightsOnly);
  const before26 = torchVersion ? safeLt(torchVersion, '2.6.0') : undefined;
  const before210 = torchVersion ? safeLt(torchVersion, '2.10.0') : undefined;
  const versionText =
    torchVersion && before26 !== undefined
      ? `torch ${torchVersion}`
      : 'the torch version is unknown (no lock file pins it), so';
  const details: Record<string, string> = {
    weightsOnly: setting,
    torchVersion: torchVersion ?? 'unknown',
  };

  if (call.keywords.pickle_module) {
    return {
      severity: 'high',
      disablesSafety: true,
      details,
      message: `torch.load with a custom pickle_module (${call.keywords.pickle_module.text}) unpickles arbitrary objects`,
    };
  }
  if (setting === 'false') {
    return {
      severity: 'high',
      disablesSafety: true,
      details,
      message:
        'torch.load(weights_only=False) unpickles arbitrary objects: loading an untrusted checkpoint runs its code',
    };
  }
  if (setting === 'true') {
    if (before26 === false && before210 === false) return undefined;
    if (before26 === false) {
      return {
        severity: 'low',
        disablesSafety: false,
        details: { ...details, cve: 'CVE-2026-24747' },
        message: `torch.load(weights_only=True) on torch ${torchVersion}: the weights-only unpickler has a memory-corruption bug before 2.10 (CVE-2026-24747)`,
      };
    }
    if (before26 === true) {
      return {
        severity: 'high',
        disablesSafety: false,
        details: { ...details, cve: 'CVE-2025-32434' },
        message: `torch.load(weights_only=True) on torch ${torchVersion} is bypassable: weights_only does not stop code execution before 2.6 (CVE-2025-32434)`,
      };
    }
    return {
      severity: 'medium',
      disablesSafety: false,
      details: { ...details, cve: 'CVE-2025-32434' },
      message: `torch.load(weights_only=True): ${versionText} assuming a version before 2.6, where weights_only is bypassable (CVE-2025-32434)`,
    };
  }
  // Default or computed weights_only.
  const how =
    setting === 'default'
      ? 'without weights_only'
      : `with a computed weights_only (${weightsOnly?.text})`;
  if (before26 === false) {
    const severity: Severity =
      before210 || setting === 'computed' ? 'medium' : 'low';
    const cve = before210
      ? ' (and the weights-only unpickler corrupts memory before 2.10, CVE-2026-24747)'
      : '';
    return {
      severity,
      disablesSafety: false,
      details: before210 ? { ...details, cve: 'CVE-2026-24747' } : details,
      message: `torch.load ${how} on torch ${torchVersion}: relies on the 2.6+ default, which TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 turns off${cve}; pass weights_only=True`,
    };
  }
  if (before26 === true) {
    return {
      severity: 'high',
      disablesSafety: false,
      details,
      message: `torch.load ${how} on torch ${torchVersion}, where the default is weights_only=False: loading an untrusted checkpoint runs its code`,
    };
  }
  return {
    severity: 'high',
    disablesSafety: false,
    details,
    message: `torch.load ${how}: ${versionText} assuming a version before 2.6, where the default unpickles arbitrary objects`,
  };
}

function gradeYamlLoad(call: CallSite, symbol: string): TorchGrade {
  const name = symbol.split('.').pop() ?? '';
  if (name.startsWith('unsafe_load')) {
    return {
      severity: 'high',
      disablesSafety: true,
      message: `${symbol} constructs arbitrary Python objects from the document`,
    };
  }
  if (name.startsWith('full_load')) {
    return {
      severity: 'medium',
      disablesSafety: false,
      message: `${symbol} uses FullLoader, which builds Python objects (arbitrary calls before PyYAML 5.4, CVE-2020-14343)`,
    };
  }
  const loader = call.keywords.Loader ?? call.positional[1];
  if (!loader) {
    return {
      severity: 'high',
      disablesSafety: false,
      message: `${symbol} without a Loader: unsafe before PyYAML 5.1 and FullLoader after; use yaml.safe_load`,
    };
  }
  const loaderName = lastSegment(loader);
  if (SAFE_YAML_LOADERS.has(loaderName)) return undefined;
  if (FULL_YAML_LOADERS.has(loaderName)) {
    return {
      severity: 'medium',
      disablesSafety: false,
      message: `${symbol} with ${loaderName} builds Python objects (arbitrary calls before PyYAML 5.4, CVE-2020-14343)`,
    };
  }
  if (
    ['Loader', 'UnsafeLoader', 'CLoader', 'CUnsafeLoader'].includes(loaderName)
  ) {
    return {
      severity: 'high',
      disablesSafety: true,
      message: `${symbol} with ${loaderName} constructs arbitrary Python objects from the document`,
    };
  }
  return {
    severity: 'medium',
    disablesSafety: false,
    message: `${symbol} with a Loader that could not be resolved (${loader.text}); only SafeLoader is safe on untrusted input`,
  };
}

function observe(
  ruleId: string,
  family: CallObservation['family'],
  symbol: string,
  grade: TorchGrade,
): CallObservation[] {
  return grade ? [{ ruleId, family, symbol, ...grade }] : [];
}

function classifyFamily(
  call: CallSite,
  symbol: string,
  family: CallFamily,
  context: CallContext,
): CallObservation[] {
  switch (family) {
    case 'pickle-load':
      return observe('SOURCE-PICKLE-LOAD', family, symbol, {
        severity: 'high',
        disablesSafety: false,
        message: `${symbol} deserialises with pickle semantics: loading untrusted data runs its code`,
      });
    case 'torch-load':
      return observe(
        'SOURCE-TORCH-LOAD',
        family,
        symbol,
        gradeTorchLoad(call, context.torchVersion),
      );
    case 'numpy-load': {
      const allow = call.keywords.allow_pickle;
      if (!allow || allow.value === false || allow.value === null) return [];
      const constant = allow.value === true;
      return observe('SOURCE-NUMPY-ALLOW-PICKLE', family, symbol, {
        severity: constant ? 'high' : 'medium',
        disablesSafety: constant,
        message: constant
          ? `${symbol}(allow_pickle=True) unpickles object arrays: a crafted .npy/.npz runs code`
          : `${symbol} with a computed allow_pickle (${allow.text}): object arrays are unpickled when it is true`,
      });
    }
    case 'yaml-load':
      return observe(
        'SOURCE-YAML-UNSAFE-LOAD',
        family,
        symbol,
        gradeYamlLoad(call, symbol),
      );
    case 'keras-load':
      return keepUnsafeMode(call, symbol);
    case 'keras-unsafe-mode':
      return observe('SOURCE-KERAS-UNSAFE-MODE', family, symbol, {
        severity: 'high',
        disablesSafety: true,
        message: `${symbol}() turns Keras safe_mode off for the whole process: Lambda layers in any model loaded afterwards run code`,
      });
    case 'graph-load':
      return observe('SOURCE-GRAPH-MODEL-LOAD', family, symbol, {
        severity: 'medium',
        disablesSafety: false,
        message: `${symbol} loads a serialised graph whose ops can read and write files; load only artifacts you scanned and pinned`,
      });
    case 'model-export':
      return classifyExport(call, symbol, context);
    case 'dynamic-import':
      return classifyDynamicImport(call, symbol);
    case 'exec':
      return classifyExec(call, symbol);
    case 'runtime-install':
      return classifyRuntimeInstall(call, symbol);
    default:
      return [];
  }
}

function keepUnsafeMode(call: CallSite, symbol: string): CallObservation[] {
  const safeMode = call.keywords.safe_mode;
  if (!safeMode || safeMode.value === true) return [];
  const constant = safeMode.value === false;
  return observe('SOURCE-KERAS-UNSAFE-MODE', 'keras-load', symbol, {
    severity: constant ? 'high' : 'medium',
    disablesSafety: constant,
    message: constant
      ? `${symbol}(safe_mode=False) deserialises Lambda layers: a crafted model runs code on load`
      : `${symbol} with a computed safe_mode (${safeMode.text}): Lambda layers run code when it is false`,
  });
}

function classifyExport(
  call: CallSite,
  symbol: string,
  context: CallContext,
): CallObservation[] {
  if (!context.serving) return [];
  const exported =
    call.positional[0] ?? call.keywords.obj ?? call.keywords.value;
  const modelLike =
    symbol === 'torch.save' ||
    (exported !== undefined && MODEL_LIKE_ARGUMENT.test(exported.text));
  if (!modelLike) return [];
  // High-risk: a service that writes pickled models needs an approved exception (blocks by default).
  return observe('SOURCE-MODEL-EXPORT-PICKLE', 'model-export', symbol, {
    severity: 'high',
    disablesSafety: false,
    message: `${symbol}(${
      exported?.text ?? ''
    }) in serving code writes a pickle-based model that the next load will unpickle; export tensors with safetensors`,
  });
}

function classifyDynamicImport(
  call: CallSite,
  symbol: string,
): CallObservation[] {
  const target = call.positional[0] ?? call.keywords.name;
  const name = typeof target?.value === 'string' ? target.value : undefined;
  const top = name?.split(/[.:]/)[0] ?? '';
  let severity: Severity;
  let message: string;
  if (name === undefined) {
    severity = 'medium';
    message = `${symbol}(${
      target?.text ?? ''
    }) imports a module chosen at run time: what runs cannot be reviewed`;
  } else if (target?.assembled) {
    severity = 'high';
    message = `${symbol} imports '${name}' from an assembled string, hiding the module name from review`;
  } else if (SENSITIVE_MODULES.has(top)) {
    severity = 'medium';
    message = `${symbol}('${name}') imports a sensitive module indirectly, out of sight of import review`;
  } else {
    severity = 'info';
    message = `${symbol}('${name}') imports a constant module dynamically`;
  }
  return observe(
    'SOURCE-DYNAMIC-IMPORT',
    'dynamic-import',
    name ? `${symbol}:${name}` : symbol,
    { severity, disablesSafety: false, message },
  );
}

const DECODED_PAYLOAD =
  /b64decode|b32decode|a85decode|decodebytes|unhexlify|fromhex|decompress|codecs\.decode|rot_?13|marshal|\.decode\(/;

function classifyExec(call: CallSite, symbol: string): CallObservation[] {
  const code = call.positional[0];
  if (!code) return [];
  let severity: Severity;
  let message: string;
  if (typeof code.value === 'string' && !code.assembled) {
    severity = 'low';
    message = `${symbol} of a constant string: the code is fixed but hidden from linters and review tools`;
  } else if (DECODED_PAYLOAD.test(code.text)) {
    severity = 'high';
    message = `${symbol} of decoded or decompressed data (${code.text}): the classic shape of a hidden payload`;
  } else {
    severity = 'medium';
    message = `${symbol} of a computed string (${code.text}): code injection if any part comes from input`;
  }
  return observe('SOURCE-EXEC-STRING', 'exec', symbol, {
    severity,
    disablesSafety: false,
    message,
  });
}

/** `getattr(pickle, 'lo' + 'ads')` / `getattr(os, name)`: a sensitive attribute fetched by a computed name. */
function classifyObfuscatedAttribute(call: CallSite): CallObservation[] {
  const [object, name] = call.positional;
  const module = object?.symbol;
  if (!module || !name || !SENSITIVE_MODULES.has(module.split('.')[0]))
    return [];
  if (typeof name.value === 'string' && !name.assembled) return [];
  const symbol =
    typeof name.value === 'string' ? `${module}.${name.value}` : `${module}.?`;
  return observe('SOURCE-OBFUSCATED-GETATTR', 'obfuscated-attribute', symbol, {
    severity: 'high',
    disablesSafety: false,
    message:
      typeof name.value === 'string'
        ? `getattr(${object.text}, ${name.text}) assembles the name '${name.value}' to reach ${symbol} out of sight of review`
        : `getattr(${object.text}, ${name.text}) reaches an attribute of ${module} chosen at run time`,
  });
}

function classifyRemoteCode(call: CallSite): CallObservation[] {
  const trust = call.keywords.trust_remote_code;
  if (!trust || trust.value === false || trust.value === null) return [];
  const constant = isConstant(trust, true);
  const symbol = call.symbol ?? call.callee;
  return observe('SOURCE-TRUST-REMOTE-CODE', 'remote-code', symbol, {
    severity: constant ? 'high' : 'medium',
    disablesSafety: constant,
    message: constant
      ? `${call.callee}(trust_remote_code=True) downloads and runs Python code from the model repository`
      : `${call.callee} with a computed trust_remote_code (${trust.text}): repository code runs when it is true`,
  });
}

/** `subprocess.run([sys.executable, "-m", "pip", "install", …])`, `os.system("pip install …")`, `pip.main([...])`. */
function classifyRuntimeInstall(
  call: CallSite,
  symbol: string,
): CallObservation[] {
  const first = call.positional[0];
  if (!first) return [];
  const text = typeof first.value === 'string' ? first.value : first.text;
  const viaPip = symbol.startsWith('pip.');
  if (viaPip ? !/['"]install['"]/.test(text) : !INSTALL_COMMAND.test(text))
    return [];
  const grade = gradeInstall(text);
  return observe('SOURCE-RUNTIME-INSTALL', 'runtime-install', symbol, {
    severity: grade.severity,
    disablesSafety: false,
    message:
      grade.unknownHosts.length > 0
        ? `${symbol} installs packages at run time from ${grade.unknownHosts.join(
            ', ',
          )}: that host decides what code runs`
        : `${symbol} installs packages at run time, outside the locked and reviewed dependencies`,
    details:
      grade.unknownHosts.length > 0
        ? { hosts: grade.unknownHosts.join(',') }
        : undefined,
  });
}

/** Every risky meaning of one call (usually none, sometimes one, rarely two). */
export function classifyCall(
  call: CallSite,
  context: CallContext,
): CallObservation[] {
  const observations: CallObservation[] = [];
  const symbol = call.symbol;
  const family = symbol ? CALL_FAMILY.get(symbol) : undefined;
  if (symbol && family)
    observations.push(...classifyFamily(call, symbol, family, context));
  else if (/(^|\.)load_model$/.test(call.callee))
    observations.push(...keepUnsafeMode(call, symbol ?? call.callee));
  if (symbol === 'getattr')
    observations.push(...classifyObfuscatedAttribute(call));
  observations.push(...classifyRemoteCode(call));
  return observations;
}
