// Turns the observations on a file's calls into signals, including what the hardenedModules option makes of them.
import type { ProjectContext } from '../engine/ProjectAnalyzer';
import type { Signal } from '../model/evidence';
import type { CallObservation } from './classifyCall';
import type { PreparedText } from './pythonFileReading';
import type { CallSite } from './pythonModule';

const LOADER_NAME =
  /(^|_)(load|loads|read|restore|unpickle|deserialize|deserialise|from_pretrained)/i;

/** Emits one signal per observation, keyed by symbol + call text + occurrence so line shifts keep fingerprints. */
export function emitCallSignals(
  ctx: ProjectContext,
  path: string,
  source: PreparedText,
  calls: CallSite[],
  observe: (
    call: CallSite,
  ) => Array<CallObservation & { dependencyPath?: string[] }>,
) {
  const occurrences = new Map<string, number>();
  for (const call of calls) {
    for (const observation of observe(call)) {
      const base = `${observation.symbol}|${call.normalisedText}`;
      const occurrence = occurrences.get(`${observation.ruleId}|${base}`) ?? 0;
      occurrences.set(`${observation.ruleId}|${base}`, occurrence + 1);
      const signal: Signal = {
        ruleId: observation.ruleId,
        message: call.guard
          ? `${observation.message} (guarded by \`${call.guard.text}\`)`
          : observation.message,
        location: { path, line: call.line, column: call.column },
        evidence: {
          symbol: observation.symbol,
          snippet: call.snippet,
          guard: call.guard?.text,
          guardKind: call.guard?.kind,
          dependencyPath: observation.dependencyPath,
          // The snippet shows the NFKC form CPython runs, not the look-alike characters written.
          identifiersNormalised: source.identifiersNormalised || undefined,
          ...observation.details,
        },
        key: occurrence === 0 ? base : `${base}#${occurrence}`,
        severity: observation.severity,
      };
      ctx.emit(signal);
    }
  }
}

export function allowedInHardenedModule(
  observation: CallObservation,
  module: string,
): CallObservation {
  return {
    ...observation,
    ruleId: 'SOURCE-HARDENED-LOADER',
    severity: 'info',
    message: `Allowed inside hardened module ${module} (hardenedModules option): ${observation.message}`,
    details: {
      ...observation.details,
      firstPartyRule: observation.ruleId,
      hardenedModule: module,
    },
  };
}

/** `model_utils.load_estimator(p)`: a loader-named call into a hardened module, recorded as allowed. */
export function hardenedLoaderCall(
  symbol: string | undefined,
  hardened: readonly string[],
): CallObservation | undefined {
  const module = symbol
    ? hardened.find(candidate => symbol.startsWith(`${candidate}.`))
    : undefined;
  if (!symbol || !module || !LOADER_NAME.test(symbol.split('.').pop() ?? ''))
    return undefined;
  return {
    ruleId: 'SOURCE-HARDENED-LOADER',
    severity: 'info',
    family: 'hardened-loader',
    symbol,
    disablesSafety: false,
    message: `Allowed: ${symbol} loads through hardened module ${module} (hardenedModules option)`,
    details: { hardenedModule: module },
  };
}
