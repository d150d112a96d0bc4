import type { Location, Signal } from '../../model/evidence';
import type { Severity } from '../../model/severity';
import {
  bytesOf,
  callablesIn,
  callableTargets,
  type CallableTarget,
} from './callables';
import { classifyGlobal, type GlobalVerdict } from './knowledge/classify';
import {
  EXTENSION_REGISTRY_MODULE,
  renderArgs,
  renderValue,
  isContainer,
  isRef,
  type CallRef,
  type GlobalRef,
  type PyValue,
} from './values';
import { looksLikePickleAt, walkPickleStreams } from './streams';
import { sourceStringsIn } from './knowledge/evaluatorSource';
import type {
  InlineData,
  StructuralAnomaly,
  WalkBudget,
  WalkEvents,
} from './walker';

export interface PickleAnalysisOptions {
  /** Where the pickle is; signals add `offset`. */
  location: Location;
  /** Offset of the pickle inside the file or member (e.g. after a .npy header). */
  baseOffset?: number;
  /** Policy `trustedGlobals` (`module.name` or `module.*`). */
  trustedGlobals?: readonly string[];
  emit(signal: Signal): void;
  budget: WalkBudget;
  /** Raw data a writer puts in the stream after some BUILDs (joblib inline arrays). */
  inlineDataAfterBuild?(
    target: PyValue,
    state: PyValue,
  ): InlineData | undefined;
}

interface ImportRecord {
  ref: GlobalRef;
  verdict: GlobalVerdict;
  calledBy?: string;
  callArgs?: string;
  nested: number;
}

export interface NestedPayload {
  /** The loader it is passed to, e.g. `torch.storage._load_from_bytes`. */
  symbol: string;
  offset: number;
  data: Uint8Array;
}

const MAX_NESTED_PAYLOADS = 8;

/** Nested `pickle.loads(b'...')` payloads are walked this deep. */
export const MAX_NESTED_PICKLE_DEPTH = 3;

/**
 * Turns walker events into signals. Invocations of denylisted callables are reported at once
 * (PICKLE-EXEC); imports are collected and reported by `finish()` so that an import that is also
 * called is one finding, not two. Call `finish()` even when the walk ends in an exception.
 */
export class PickleAnalysis implements WalkEvents {
  private readonly imports = new Map<string, ImportRecord>();
  /** Byte arguments of nested loaders that are not pickles (zips, .npy...), for the engine to scan. */
  readonly nestedPayloads: NestedPayload[] = [];
  private readonly executed = new Set<string>();
  private readonly verdicts = new Map<string, GlobalVerdict>();
  private nestedDepth = 0;
  /** While walking a nested payload, its signals point at the call that carries it. */
  private nestedOffset: number | undefined;
  private finished = false;
  readonly classify = (module: string, name: string): GlobalVerdict => {
    const key = `${module}\n${name}`;
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = classifyGlobal(module, name, this.options.trustedGlobals ?? []);
      this.verdicts.set(key, verdict);
    }
    return verdict;
  };

  constructor(private readonly options: PickleAnalysisOptions) {}

  /** Symbols seen so far, for readers that label formats (joblib, torch). */
  hasImported(symbol: string): boolean {
    return this.imports.has(symbol);
  }

  onGlobal(ref: GlobalRef): void {
    const verdict = this.classify(ref.module, ref.name);
    const symbol =
      ref.module === '?' ? `unresolved@${ref.offset}` : verdict.resolved.symbol;
    if (!this.imports.has(symbol))
      this.imports.set(symbol, { ref, verdict, nested: this.nestedDepth });
  }

  onCall(call: CallRef): void {
    const targets = callableTargets(call.callee, this.classify);
    const argText = renderArgs(call.args);
    for (const target of targets) {
      this.noteCall(target, call, argText);
      if (target.verdict.status === 'dangerous')
        this.reportExecution(
          target,
          call,
          `${call.opcode} calls ${target.symbol}${argText}`,
        );
      if (target.verdict.danger?.category === 'nested-loader')
        this.walkNestedPayload(target, call);
    }
    const calleeName = targets[0]?.symbol ?? renderValue(call.callee, 60);
    this.reportSourceStrings(call, targets, calleeName);
    for (const passed of callablesIn(call.args, this.classify).concat(
      callablesIn(call.kwargs, this.classify),
    )) {
      if (passed.verdict.status === 'dangerous') {
        this.reportExecution(
          passed,
          call,
          `${call.opcode} passes ${passed.symbol} to ${calleeName}${argText}`,
        );
      }
    }
  }

  /**
   * Source strings handed to a call: an evaluator is only as dangerous as what it is given, and
   * evaluators hide in trusted-looking namespaces, so arguments are read whatever the callee's grade.
   */
  private reportSourceStrings(
    call: CallRef,
    targets: CallableTarget[],
    calleeName: string,
  ): void {
    const evaluator = targets.find(
      target => target.verdict.danger?.category === 'code-evaluation',
    );
    const found = sourceStringsIn([call.args, call.kwargs ?? null], {
      anyString: evaluator !== undefined,
    });
    if (found.length === 0) return;
    const source = found[0];
    const shown = source.length > 120 ? `${source.slice(0, 117)}...` : source;
    const why = evaluator
      ? `${evaluator.symbol} evaluates the string it is given`
      : 'the string is Python source that reaches for the interpreter';
    if (evaluator) this.executed.add(evaluator.importedAs);
    this.emit({
      ruleId: 'PICKLE-EVAL-SOURCE',
      message: `${call.opcode} hands ${JSON.stringify(
        shown,
      )} to ${calleeName}: ${why}`,
      offset: call.offset,
      evidence: {
        opcode: call.opcode,
        symbol: evaluator?.symbol ?? targets[0]?.symbol,
        source: shown,
      },
      key: `eval-source:${calleeName}:${call.offset}`,
    });
  }

  onBuild(target: PyValue, state: PyValue, offset: number): void {
    const states =
      isContainer(state) && state.kind === 'tuple' ? state.items : [state];
    const dunderKeys = states.flatMap(item =>
      isContainer(item) && item.kind === 'dict' ? item.dunderKeys ?? [] : [],
    );
    const onImported = isRef(target) && target.kind === 'global';
    if (!onImported && dunderKeys.length === 0) return;
    const targetName = onImported
      ? this.classify(target.module, target.name).resolved.symbol
      : renderValue(target, 60);
    const what =
      dunderKeys.length > 0
        ? `sets ${dunderKeys.join(', ')} on`
        : 'overwrites attributes of the imported object';
    this.emit({
      ruleId: 'PICKLE-STATE-TAMPER',
      message: `BUILD ${what} ${targetName}`,
      offset,
      evidence: {
        opcode: 'BUILD',
        symbol: onImported ? targetName : undefined,
        keys: dunderKeys.length > 0 ? dunderKeys : undefined,
      },
      key: `BUILD:${targetName}:${dunderKeys.join(',')}`,
    });
  }

  onAnomaly(anomaly: StructuralAnomaly): void {
    const severity: Severity | undefined =
      anomaly.kind === 'trailing-data' ? 'medium' : undefined;
    this.emit({
      ruleId: 'PICKLE-STRUCT',
      message:
        this.nestedDepth > 0
          ? `Nested pickle: ${anomaly.message}`
          : anomaly.message,
      offset: anomaly.offset,
      evidence: {
        opcode: anomaly.opcode,
        anomaly: anomaly.kind,
        ...anomaly.detail,
      },
      key: `${anomaly.kind}${anomaly.opcode ? `:${anomaly.opcode}` : ''}${
        this.nestedDepth > 0 ? ':nested' : ''
      }`,
      severity,
    });
  }

  inlineDataAfterBuild(
    target: PyValue,
    state: PyValue,
  ): InlineData | undefined {
    return this.nestedDepth === 0
      ? this.options.inlineDataAfterBuild?.(target, state)
      : undefined;
  }

  /** Reports every import that is not trusted and was not already reported as executed. Idempotent. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const [symbol, record] of this.imports) {
      const { verdict, ref } = record;
      if (verdict.status === 'trusted' || this.executed.has(symbol)) continue;
      const offset = ref.offset;
      const where = record.nested > 0 ? 'nested pickle ' : '';
      let message: string;
      if (ref.module === '?') {
        message = `${where}${ref.opcode} import cannot be resolved statically (its operands are not plain strings)`;
      } else if (ref.module === EXTENSION_REGISTRY_MODULE) {
        message = `${where}${ref.opcode} imports extension code ${ref.name} from the copyreg registry, which cannot be resolved statically`;
      } else {
        const grade = verdict.danger
          ? `dangerous (${verdict.danger.category}: ${verdict.danger.why})`
          : 'not on the trusted allowlist';
        const use = record.calledBy
          ? `${record.calledBy} calls ${symbol}${record.callArgs ?? ''}`
          : `${ref.opcode} imports ${symbol}`;
        message = `${where}${use}; ${grade}`;
      }
      this.emit({
        ruleId: 'PICKLE-GLOBAL-IMPORT',
        message,
        offset,
        evidence: {
          opcode: record.calledBy ?? ref.opcode,
          symbol: ref.module === '?' ? undefined : symbol,
          category: verdict.danger?.category,
          called: record.calledBy !== undefined,
        },
        key: ref.module === '?' ? `unresolved:${ref.opcode}` : symbol,
      });
    }
  }

  private noteCall(
    target: CallableTarget,
    call: CallRef,
    argText: string,
  ): void {
    const record = this.imports.get(target.importedAs);
    if (record && record.calledBy === undefined) {
      record.calledBy = call.opcode;
      record.callArgs = argText;
    } else if (!record && target.via && target.verdict.status !== 'trusted') {
      // Reached through a trampoline rather than imported: still an import of that symbol.
      const ref: GlobalRef = {
        kind: 'global',
        module: target.verdict.resolved.module,
        name: target.verdict.resolved.name,
        opcode: call.opcode,
        offset: call.offset,
      };
      this.imports.set(target.importedAs, {
        ref,
        verdict: target.verdict,
        calledBy: call.opcode,
        callArgs: argText,
        nested: this.nestedDepth,
      });
    }
  }

  private reportExecution(
    target: CallableTarget,
    call: CallRef,
    message: string,
  ): void {
    this.executed.add(target.importedAs);
    const danger = target.verdict.danger;
    const via = target.via ? ` (reached through ${target.via})` : '';
    const nested = this.nestedDepth > 0 ? 'nested pickle: ' : '';
    this.emit({
      ruleId: 'PICKLE-EXEC',
      message: `${nested}${message}${via}${danger ? `: ${danger.why}` : ''}`,
      offset: call.offset,
      evidence: {
        opcode: call.opcode,
        symbol: target.symbol,
        imported:
          target.importedAs !== target.symbol ? target.importedAs : undefined,
        category: danger?.category,
        via: target.via,
      },
      key: `${target.symbol}:${call.opcode}`,
    });
  }

  /** `pickle.loads(b'...')`-style calls: walk the embedded bytes as a pickle, a few levels deep. */
  private walkNestedPayload(target: CallableTarget, call: CallRef): void {
    if (this.nestedDepth >= MAX_NESTED_PICKLE_DEPTH) return;
    const args = isContainer(call.args) ? call.args.items : [];
    const payload = bytesOf(args[0], this.classify);
    if (!payload || payload.length === 0) return;
    const offset =
      this.nestedOffset ?? call.offset + (this.options.baseOffset ?? 0);
    if (!looksLikePickleAt(payload, 0)) {
      // e.g. torch.storage._load_from_bytes(<a torch.save zip>): handed back to the engine by the reader.
      if (this.nestedPayloads.length < MAX_NESTED_PAYLOADS) {
        this.nestedPayloads.push({
          symbol: target.symbol,
          offset,
          data: payload,
        });
      }
      return;
    }
    const savedOffset = this.nestedOffset;
    this.nestedDepth++;
    this.nestedOffset = offset;
    try {
      walkPickleStreams(payload, this, this.options.budget, {
        reportTrailing: false,
      });
    } finally {
      this.nestedDepth--;
      this.nestedOffset = savedOffset;
    }
  }

  private emit(signal: {
    ruleId: string;
    message: string;
    offset: number;
    evidence: Signal['evidence'];
    key: string;
    severity?: Severity;
  }): void {
    const offset =
      this.nestedOffset ?? signal.offset + (this.options.baseOffset ?? 0);
    const evidence = Object.fromEntries(
      Object.entries(signal.evidence).filter(
        ([, value]) => value !== undefined,
      ),
    );
    if (this.nestedDepth > 0) evidence.nested = this.nestedDepth;
    this.options.emit({
      ruleId: signal.ruleId,
      message: signal.message,
      location: { ...this.options.location, offset },
      evidence,
      key: signal.key,
      ...(signal.severity ? { severity: signal.severity } : {}),
    });
  }
}
