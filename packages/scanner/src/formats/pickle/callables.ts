import type { GlobalVerdict } from './knowledge/classify';
import { isContainer, isRef, type CallRef, type PyValue } from './values';

/**
 * What a stack value refers to when it is called: a plain global, or a symbol reached through an
 * import/attribute trampoline (`getattr(__import__('os'), 'system')`, `importlib.import_module('os')`,
 * `numpy.core._ufunc_reconstruct('os', 'system')`, `pkgutil.resolve_name('os:system')`).
 */
export interface CallableTarget {
  /** Fully qualified symbol, e.g. `os.system` (for a dotted name, the dangerous object it reaches). */
  symbol: string;
  /** The symbol as imported (`pathlib.os.system`), which keys the import records. */
  importedAs: string;
  verdict: GlobalVerdict;
  /** How the symbol was reached when not imported directly, e.g. `builtins.getattr`. */
  via?: string;
}

type Classifier = (module: string, name: string) => GlobalVerdict;

const IMPORTERS = new Set([
  'builtins.__import__',
  'importlib.import_module',
  'importlib.__import__',
]);
const NAME_RESOLVERS = new Set([
  'pkgutil.resolve_name',
  'pydoc.locate',
  'numpy.core._ufunc_reconstruct',
  'numpy._core._ufunc_reconstruct',
]);
const GETATTRS = new Set(['builtins.getattr']);

/** Resolves what calling `value` would call; returns nothing for values we cannot name. */
export function callableTargets(
  value: PyValue,
  classify: Classifier,
  depth = 0,
): CallableTarget[] {
  if (!isRef(value) || depth > 4) return [];
  if (value.kind === 'global') {
    const verdict = classify(value.module, value.name);
    return [
      {
        symbol: verdict.dangerSymbol ?? verdict.resolved.symbol,
        importedAs: verdict.resolved.symbol,
        verdict,
      },
    ];
  }
  if (value.kind !== 'call') return [];
  const derived = derivedSymbol(value, classify, depth);
  if (!derived) return [];
  const dot = derived.symbol.lastIndexOf('.');
  if (dot <= 0) return [];
  const verdict = classify(
    derived.symbol.slice(0, dot),
    derived.symbol.slice(dot + 1),
  );
  const symbol = verdict.dangerSymbol ?? verdict.resolved.symbol;
  return [
    { symbol, importedAs: verdict.resolved.symbol, verdict, via: derived.via },
  ];
}

/** The module or attribute a trampoline call evaluates to, if its arguments are plain strings. */
function derivedSymbol(
  call: CallRef,
  classify: Classifier,
  depth: number,
): { symbol: string; via: string } | undefined {
  const args = isContainer(call.args) ? call.args.items : [];
  const callee = call.callee;
  if (isRef(callee) && callee.kind === 'global') {
    const symbol = classify(callee.module, callee.name).resolved.symbol;
    if (IMPORTERS.has(symbol) && typeof args[0] === 'string')
      return { symbol: args[0], via: symbol };
    if (NAME_RESOLVERS.has(symbol)) {
      if (typeof args[0] === 'string' && typeof args[1] === 'string')
        return { symbol: `${args[0]}.${args[1]}`, via: symbol };
      if (typeof args[0] === 'string')
        return { symbol: args[0].replace(':', '.'), via: symbol };
    }
    if (GETATTRS.has(symbol) && typeof args[1] === 'string') {
      const base = objectSymbol(args[0], classify, depth + 1);
      if (base) return { symbol: `${base}.${args[1]}`, via: symbol };
    }
  }
  // operator.attrgetter('system')(os) — the call of an attrgetter result
  if (
    isRef(callee) &&
    callee.kind === 'call' &&
    isRef(callee.callee) &&
    callee.callee.kind === 'global'
  ) {
    const getter = classify(callee.callee.module, callee.callee.name).resolved
      .symbol;
    const attribute = isContainer(callee.args)
      ? callee.args.items[0]
      : undefined;
    if (getter === 'operator.attrgetter' && typeof attribute === 'string') {
      const base = objectSymbol(args[0], classify, depth + 1);
      if (base) return { symbol: `${base}.${attribute}`, via: getter };
    }
  }
  return undefined;
}

/** A module or object symbol for getattr's first argument. */
function objectSymbol(
  value: PyValue | undefined,
  classify: Classifier,
  depth: number,
): string | undefined {
  if (!isRef(value) || depth > 4) return undefined;
  if (value.kind === 'global')
    return classify(value.module, value.name).resolved.symbol;
  if (value.kind === 'call')
    return derivedSymbol(value, classify, depth)?.symbol;
  return undefined;
}

/** Callable references found among call arguments (a few levels deep, within kept items). */
export function callablesIn(
  value: PyValue | undefined,
  classify: Classifier,
  depth = 0,
  found: CallableTarget[] = [],
): CallableTarget[] {
  if (value === undefined || !isRef(value) || depth > 3 || found.length > 16)
    return found;
  if (value.kind === 'global' || value.kind === 'call') {
    found.push(...callableTargets(value, classify));
    if (value.kind === 'call') {
      callablesIn(value.args, classify, depth + 1, found);
    }
    return found;
  }
  if (isContainer(value))
    for (const item of value.items)
      callablesIn(item, classify, depth + 1, found);
  return found;
}

/** Bytes a value evaluates to: a bytes literal, or protocol 2's `_codecs.encode(str, 'latin1')`. */
export function bytesOf(
  value: PyValue | undefined,
  classify: Classifier,
): Uint8Array | undefined {
  if (!isRef(value)) return undefined;
  if (value.kind === 'bytes') return value.data;
  if (
    value.kind === 'call' &&
    isRef(value.callee) &&
    value.callee.kind === 'global'
  ) {
    const symbol = classify(value.callee.module, value.callee.name).resolved
      .symbol;
    const args = isContainer(value.args) ? value.args.items : [];
    if (
      (symbol === '_codecs.encode' || symbol === 'codecs.encode') &&
      typeof args[0] === 'string'
    ) {
      return Uint8Array.from(args[0], ch => ch.charCodeAt(0) & 0xff);
    }
    if (symbol === 'builtins.bytes' || symbol === 'builtins.bytearray')
      return bytesOf(args[0], classify);
  }
  return undefined;
}
