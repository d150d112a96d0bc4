import { CALL_FAMILY } from './data/riskyCalls';
import type { ReadOptions } from './pythonModule';

/** Every symbol `classifyCall` knows: also what a star import may provide. */
export const KNOWN_SYMBOLS: ReadonlySet<string> = new Set(CALL_FAMILY.keys());

export type CallFilter = NonNullable<ReadOptions['wantCall']>;

const LOAD_MODEL_CALLEE = /(^|\.)load_model$/;

/**
 * Calls `classifyCall` or the hardened-module check can say something about; the module reader
 * reads no others. `hardened` names the hardenedModules option's modules.
 */
export function riskyCallFilter(hardened: readonly string[] = []): CallFilter {
  return (symbol, callee, hasKeyword) =>
    (symbol !== undefined &&
      (KNOWN_SYMBOLS.has(symbol) ||
        symbol === 'getattr' ||
        hardened.some(module => symbol.startsWith(`${module}.`)))) ||
    LOAD_MODEL_CALLEE.test(callee) ||
    hasKeyword('trust_remote_code');
}
