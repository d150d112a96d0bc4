import type { ReaderContext, ReaderInput } from '../../../engine/FormatReader';
import { isPlainObject } from '../common/boundedJson';
import { signalAt, snippetOf } from '../common/signals';
import { gradeCallable, type CallableGrade } from './callableKnowledge';

/**
 * Finds the callables a Hydra / OmegaConf config makes `instantiate` import and call: every
 * `_target_` at any depth (Hydra instantiates nested nodes recursively, inside `_args_` too), the
 * older `cls`/`_call_`-style spellings some loaders accept, and NeMo's top-level `target` (which
 * `ModelPT.restore_from` imports). Pure walk over parsed YAML/JSON with a node cap.
 */
export interface ConfigTarget {
  /** JSON path of the node holding the key, e.g. `$.model.preprocessor`. */
  path: string;
  key: string;
  symbol: string;
  grade: CallableGrade;
  partial: boolean;
  /** Dotted strings passed as arguments: what an import trampoline would resolve. */
  argumentPaths: string[];
}

/** Keys whose string value Hydra-style loaders import and call. */
const TARGET_KEYS = ['_target_', '_call_', '_callable_', '_func_'];
/** Plain `target` (NeMo) is graded only when the knowledge base knows it as dangerous. */
const WEAK_TARGET_KEYS = ['target'];
const DOTTED_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const MAX_NODES = 200_000;
const MAX_TARGETS = 200;

export function findConfigTargets(
  root: unknown,
  policyTrusted: readonly string[] = [],
): { targets: ConfigTarget[]; truncated: boolean } {
  const targets: ConfigTarget[] = [];
  const stack: { value: unknown; path: string }[] = [
    { value: root, path: '$' },
  ];
  let visited = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    // No depth cap: the walk is iterative and the node cap bounds it.
    if (++visited > MAX_NODES || targets.length >= MAX_TARGETS)
      return { targets, truncated: true };
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        stack.push({ value: item, path: `${path}[${i}]` }),
      );
      continue;
    }
    if (!isPlainObject(value)) continue;
    for (const key of [...TARGET_KEYS, ...WEAK_TARGET_KEYS]) {
      const symbol = value[key];
      if (typeof symbol !== 'string' || symbol.trim() === '') continue;
      const weak = WEAK_TARGET_KEYS.includes(key);
      if (weak && !DOTTED_PATH.test(symbol.trim())) continue;
      const grade = gradeCallable(symbol, policyTrusted, {
        trustRemoteCode:
          value.trust_remote_code === true ||
          value.trust_remote_code === 'true',
      });
      if (weak && grade.verdict !== 'dangerous') continue;
      targets.push({
        path,
        key,
        symbol: snippetOf(symbol, 200),
        grade,
        partial: value._partial_ === true || value._partial_ === 'true',
        argumentPaths: argumentPaths(value),
      });
    }
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, path: `${path}.${key}` });
    }
  }
  targets.sort((a, b) => a.path.localeCompare(b.path));
  return { targets, truncated: false };
}

function argumentPaths(node: Record<string, unknown>): string[] {
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (TARGET_KEYS.includes(key)) continue;
    if (Array.isArray(value)) values.push(...value);
    else values.push(value);
  }
  return values
    .filter(
      (v): v is string => typeof v === 'string' && DOTTED_PATH.test(v.trim()),
    )
    .slice(0, 5);
}

/** Emits one MODEL-CONFIG-CALLABLE per graded target that is not a known model class. */
export function reportConfigTargets(
  input: ReaderInput,
  ctx: ReaderContext,
  config: unknown,
  origin: string,
): number {
  const { targets, truncated } = findConfigTargets(
    config,
    ctx.options.trustedGlobals ?? [],
  );
  let reported = 0;
  for (const target of targets) {
    if (target.grade.verdict === 'trusted') continue;
    reported++;
    const args = target.argumentPaths.length
      ? `; it is given ${target.argumentPaths.join(', ')}`
      : '';
    ctx.emit(
      signalAt(
        input,
        'MODEL-CONFIG-CALLABLE',
        `${origin} ${target.path}.${target.key} = ${
          target.symbol
        }: instantiating the config ${
          target.partial ? 'binds' : 'calls'
        } it, which ${target.grade.why}${args}`,
        `${origin}:${target.path}.${target.key}:${target.symbol}`,
        {
          symbol: target.symbol,
          configPath: `${target.path}.${target.key}`,
          source: origin,
          verdict: target.grade.verdict,
          mechanism: 'hydra-instantiate',
          ...(target.argumentPaths.length
            ? { arguments: target.argumentPaths }
            : {}),
        },
        { severity: target.grade.severity },
      ),
    );
  }
  if (truncated)
    ctx.emit(
      signalAt(
        input,
        'SCAN-LIMIT',
        `${origin} is too large or deep to walk completely; later _target_ keys were not checked`,
        `${origin}:config-targets`,
        { limit: 'configNodes' },
      ),
    );
  return reported;
}
